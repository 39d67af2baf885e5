import { useTacticNames } from '../api';

/**
 * Tactics as people read them ("Credential Access"), from the loaded release's tactics; a shortname
 * the release does not know reads as itself. The shortname stays available as the tooltip.
 */
export function TacticNames({ shortnames, empty = '—' }: { shortnames: readonly string[]; empty?: string }) {
  const nameOf = useTacticNames();
  if (shortnames.length === 0) return <>{empty}</>;
  return (
    <span data-testid="tactic-names">
      {shortnames.map((s, i) => (
        <span key={s} title={s}>
          {i > 0 && ', '}
          {nameOf(s)}
        </span>
      ))}
    </span>
  );
}
