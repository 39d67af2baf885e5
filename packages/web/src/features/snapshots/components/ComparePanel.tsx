import type { Classification, SnapshotSummary } from '@aegis/contracts';
import { MAX_PAGE_SIZE } from '@aegis/contracts/paging';
import { Link } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { EmptyState, Spinner } from '../../../components/Feedback';
import { QueryView } from '../../../components/QueryView';
import { inputClass } from '../../../components/SearchField';
import { ChartFrame } from '../../metrics/components/ChartFrame';
import { formatDateTime } from '../../test-cases/components/ui';
import { useComparison, useSnapshots } from '../api';
import { KIND_LABELS, tacticTable, thresholdError } from '../format';
import { type ComparisonSearch, DEFAULT_THRESHOLD } from '../search';
import { ClassificationTotals, ComparisonEnds, OrganizationMove } from './ComparisonSummary';
import { TacticDeltaChart } from './TacticDeltaChart';
import { TechniqueChanges } from './TechniqueChanges';

const optionLabel = (s: SnapshotSummary) =>
  `${s.name} — ${formatDateTime(s.takenAt)} (${KIND_LABELS[s.kind]})`;

/**
 * Two ends (any snapshot or now) and a threshold, then what moved between them: totals per
 * classification, the organisation score, the tactics and the techniques. `from` defaults to the
 * newest snapshot and `to` to now: what changed since the last snapshot.
 */
export function ComparePanel({
  search,
  onSearch,
}: {
  search: ComparisonSearch;
  onSearch: (change: Partial<ComparisonSearch>) => void;
}) {
  // The pickers offer the newest snapshots the API lists at once (retention keeps far fewer).
  const options = useSnapshots({ limit: MAX_PAGE_SIZE, offset: 0 });
  const snapshots = options.data?.items ?? [];
  const from = search.from ?? snapshots[0]?.id;
  const to = search.to ?? 'now';
  const threshold = search.threshold ?? DEFAULT_THRESHOLD;
  const all = search.all ?? false;
  const same = from === to && from !== 'now';
  const comparison = useComparison(from && !same ? { from, to, threshold, all } : null);
  const ids = { from: useId(), to: useId(), threshold: useId(), all: useId() };

  // The threshold is typed: it is asked for once the typing pauses, and only when it is one.
  const [thresholdText, setThresholdText] = useState(String(threshold));
  useEffect(() => setThresholdText(String(threshold)), [threshold]);
  const thresholdProblem = thresholdError(thresholdText);
  useEffect(() => {
    if (thresholdError(thresholdText)) return;
    const value = Number(thresholdText);
    if (value === threshold) return;
    const t = setTimeout(() => onSearch({ threshold: value === DEFAULT_THRESHOLD ? undefined : value }), 400);
    return () => clearTimeout(t);
  }, [thresholdText, threshold, onSearch]);

  const picker = (id: string, label: string, value: string | undefined, key: 'from' | 'to') => (
    <label htmlFor={id} className="min-w-64 flex-1 text-sm font-medium text-slate-700">
      {label}
      <select
        id={id}
        className={`${inputClass} mt-1`}
        value={value ?? ''}
        onChange={(e) => onSearch({ [key]: e.target.value })}
      >
        <option value="now">Now (the knowledge base as it is)</option>
        {snapshots.map((s) => (
          <option key={s.id} value={s.id}>
            {optionLabel(s)}
          </option>
        ))}
      </select>
    </label>
  );

  const onShow = (show: Classification | undefined) =>
    onSearch(show === 'unchanged' ? { show, all: true } : { show });

  if (!from)
    return options.isPending ? (
      <Spinner label="Loading the snapshots…" />
    ) : (
      <EmptyState>
        Nothing to compare yet: take a snapshot, then compare it with now or with a later one.
      </EmptyState>
    );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-3">
        {picker(ids.from, 'From', from, 'from')}
        {picker(ids.to, 'To', to, 'to')}
        <label htmlFor={ids.threshold} className="w-40 text-sm font-medium text-slate-700">
          Threshold (points)
          <input
            id={ids.threshold}
            type="number"
            min={0}
            max={100}
            step={0.5}
            className={`${inputClass} mt-1`}
            value={thresholdText}
            aria-invalid={Boolean(thresholdProblem)}
            aria-describedby={thresholdProblem ? `${ids.threshold}-error` : undefined}
            onChange={(e) => setThresholdText(e.target.value)}
          />
        </label>
        <label htmlFor={ids.all} className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input
            id={ids.all}
            type="checkbox"
            className="size-4"
            checked={all}
            onChange={(e) => onSearch({ all: e.target.checked || undefined })}
          />
          Include unchanged techniques
        </label>
      </div>
      {thresholdProblem && (
        <p id={`${ids.threshold}-error`} className="-mt-2 text-xs text-red-700">
          {thresholdProblem}
        </p>
      )}
      {same ? (
        <p role="alert" className="text-sm text-red-800">
          Pick two different snapshots, or one and now.
        </p>
      ) : (
        <QueryView query={comparison} loading="Comparing…" failed="The comparison could not be made.">
          {(c) => {
            const tactics = tacticTable(c.tactics);
            return (
              <div className="flex flex-col gap-5" aria-busy={comparison.isFetching}>
                <ComparisonEnds c={c} />
                <p className="flex flex-wrap gap-4 text-sm">
                  <Link
                    to="/matrix"
                    search={{ layer: `snapshot-delta:${from}:${to}` }}
                    className="font-medium text-sky-700 underline hover:text-sky-900"
                    data-testid="delta-on-matrix"
                  >
                    See the changes on the ATT&amp;CK matrix
                  </Link>
                  <a
                    href={`/api/v1/snapshots/compare/export/navigator?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`}
                    download
                    className="font-medium text-sky-700 underline hover:text-sky-900"
                    data-testid="comparison-navigator"
                  >
                    Download as Navigator layers (scores at each end, and the changes)
                  </a>
                </p>
                <ClassificationTotals totals={c.totals} show={search.show} onShow={onShow} />
                <OrganizationMove c={c} />
                <section aria-labelledby="tactic-move-title" className="flex flex-col gap-2">
                  <h3 id="tactic-move-title" className="text-sm font-semibold text-slate-800">
                    Score change per tactic
                  </h3>
                  <ChartFrame
                    name="tactics"
                    caption="Score change per tactic"
                    table={tactics}
                    filename="tactic-score-changes.csv"
                  >
                    <TacticDeltaChart table={tactics} />
                  </ChartFrame>
                </section>
                <section aria-labelledby="technique-move-title" className="flex flex-col gap-2">
                  <h3 id="technique-move-title" className="text-sm font-semibold text-slate-800">
                    Techniques
                    {search.show ? ` — ${c.totals[search.show]} shown` : ''}
                  </h3>
                  <TechniqueChanges techniques={c.techniques} show={search.show} includesUnchanged={all} />
                </section>
              </div>
            );
          }}
        </QueryView>
      )}
    </div>
  );
}
