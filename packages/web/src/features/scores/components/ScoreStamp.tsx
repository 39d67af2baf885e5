import { formatDateTime } from '../../test-cases/components/ui';

/** Which configuration a score used and when it was computed, small (analysis spec §0.7). */
export function ScoreStamp({ configVersion, computedAt }: { configVersion: number; computedAt: string }) {
  return (
    <p data-testid="score-stamp" className="text-xs text-slate-500">
      Scoring configuration <span data-testid="score-config-version">v{configVersion}</span> · computed{' '}
      <time dateTime={computedAt}>{formatDateTime(computedAt)}</time>
    </p>
  );
}

/** A score as a large number over 100, with what it is. */
export function ScoreFigure({
  label,
  value,
  testId,
  size = 'large',
}: {
  label: string;
  value: string;
  testId?: string;
  size?: 'large' | 'medium';
}) {
  return (
    <div>
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p
        className={`font-semibold tabular-nums text-slate-900 ${size === 'large' ? 'text-3xl' : 'text-2xl'}`}
      >
        <span data-testid={testId}>{value}</span>
        <span className="text-sm font-normal text-slate-500"> / 100</span>
      </p>
    </div>
  );
}
