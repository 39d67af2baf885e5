import type { CoverageCounts } from '@aegis/contracts';
import { coverageOrder, coverageStyles } from '../../../components/coverage';

/** A stacked bar and its numbers: how well the techniques behind a control or defense are covered. */
export function CoverageSummary({
  coverage,
  compact = false,
}: {
  /** Techniques per coverage status, as the server counted them (a missing status is none). */
  coverage: CoverageCounts;
  compact?: boolean;
}) {
  const count = (s: keyof CoverageCounts) => coverage[s] ?? 0;
  const total = coverageOrder.reduce((n, s) => n + count(s), 0);
  if (total === 0) return <span className="text-sm text-slate-500">No technique</span>;
  const shown = coverageOrder.filter((s) => count(s) > 0);
  return (
    <div className={compact ? 'w-44' : ''}>
      <div aria-hidden="true" className="flex h-2 overflow-hidden rounded-full bg-slate-100">
        {shown.map((s) => (
          <span
            key={s}
            className={coverageStyles[s].swatch}
            style={{ width: `${(count(s) / total) * 100}%` }}
          />
        ))}
      </div>
      <p className="mt-1 text-xs text-slate-600">
        {count('validated')} of {total} validated
        {compact
          ? count('partial') > 0 && ` · ${count('partial')} partial`
          : shown
              .filter((s) => s !== 'validated')
              .map((s) => ` · ${count(s)} ${coverageStyles[s].label.toLowerCase()}`)
              .join('')}
      </p>
    </div>
  );
}
