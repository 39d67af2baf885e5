import { useAttackRelease } from '../api';

/**
 * ATT&CK ids a catalog row names that the loaded release does not have (ADR 12: the row keeps them
 * and resolves them by itself when a release that has them is imported). Says which release is
 * loaded, why the ids are unknown and what fixes it, instead of a bare "—".
 */
export function NotInRelease({ attackIds }: { attackIds: readonly string[] }) {
  const release = useAttackRelease();
  if (attackIds.length === 0) return null;
  const loaded = release.data?.release ? `ATT&CK ${release.data.release}` : 'the ATT&CK release';
  const ids = attackIds.join(', ');
  return (
    <details data-testid="not-in-release" className="text-xs text-amber-900">
      <summary className="cursor-pointer rounded bg-amber-50 px-1.5 py-0.5">
        {ids} {attackIds.length === 1 ? 'is' : 'are'} not in {loaded} loaded here
      </summary>
      <p className="mt-1 max-w-xs rounded border border-amber-200 bg-white p-2 text-slate-700">
        The source names {attackIds.length === 1 ? 'a technique id' : 'technique ids'} that {loaded} does not
        have: a newer ATT&CK release added {attackIds.length === 1 ? 'it' : 'them'}. An admin can load the
        newer release (System → Import runs); this row then links to the technique by itself.
      </p>
    </details>
  );
}
