import type { ClaimedLayerSummary } from '@aegis/contracts';
import { COUNT_LABELS } from '../format';

/** The resolution counts of a layer as a definition list, one figure per count. */
export function CountsList({ counts, testId }: { counts: ClaimedLayerSummary['counts']; testId?: string }) {
  return (
    <dl className="flex flex-wrap gap-2" data-testid={testId}>
      {COUNT_LABELS.map(({ key, label }) => (
        <div
          key={key}
          data-testid={`count-${key}`}
          className="flex min-w-24 flex-col-reverse rounded-md border border-slate-200 bg-slate-50 px-3 py-1.5"
        >
          <dt className="text-xs text-slate-600">{label}</dt>
          <dd className="text-lg font-semibold tabular-nums text-slate-900">{counts[key]}</dd>
        </div>
      ))}
    </dl>
  );
}
