import type { CoverageCounts, CoverageStatus, TechniqueUse } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useId, useMemo, useState } from 'react';
import { CoverageBadge, coverageOrder, coverageStyles } from '../../../components/coverage';
import { type Column, DataTable } from '../../../components/DataTable';
import { EmptyState } from '../../../components/Feedback';
import { Card } from '../../test-cases/components/ui';
import { ValidatedBar } from './ValidatedBar';

export type TechniqueSort = 'attackId' | 'name' | 'coverage';
interface SortState {
  key: TechniqueSort;
  descending: boolean;
}

const byAttackId = (a: TechniqueUse, b: TechniqueUse) =>
  (a.attackId ?? a.name).localeCompare(b.attackId ?? b.name, 'en', { numeric: true });
const compare: Record<TechniqueSort, (a: TechniqueUse, b: TechniqueUse) => number> = {
  attackId: byAttackId,
  name: (a, b) => a.name.localeCompare(b.name, 'en') || byAttackId(a, b),
  // Matrix legend order (validated first); ties stay in ATT&CK id order.
  coverage: (a, b) =>
    coverageOrder.indexOf(a.coverageStatus) - coverageOrder.indexOf(b.coverageStatus) || byAttackId(a, b),
};

/** The techniques shown: those with `status` (all when null), sorted. */
export function arrangeTechniques(
  techniques: readonly TechniqueUse[],
  status: CoverageStatus | null,
  sort: SortState,
): TechniqueUse[] {
  const rows = techniques.filter((t) => !status || t.coverageStatus === status).sort(compare[sort.key]);
  return sort.descending ? rows.reverse() : rows;
}

function SortButton({
  label,
  column,
  sort,
  onSort,
}: {
  label: string;
  column: TechniqueSort;
  sort: SortState;
  onSort: (column: TechniqueSort) => void;
}) {
  const active = sort.key === column;
  return (
    <button
      type="button"
      onClick={() => onSort(column)}
      className="inline-flex items-center gap-1 rounded font-medium hover:text-slate-900"
    >
      {label}
      {/* Fixed width: the heading does not move when the arrow appears. */}
      <span aria-hidden="true" className="inline-block w-3 text-slate-700">
        {active ? (sort.descending ? '▼' : '▲') : ''}
      </span>
      {active && (
        <span className="sr-only">{sort.descending ? ', sorted descending' : ', sorted ascending'}</span>
      )}
    </button>
  );
}

/**
 * The techniques a group, a piece of software or an intrusion campaign uses, each with our
 * coverage: how many are validated, a filter per coverage status with its count, and a table
 * sortable by ATT&CK id, name or coverage. The counts are the server's (`coverage`, absent while
 * they load); `countsNote` says what they count when that is not the whole list. `subject` names
 * the owner in the empty messages.
 */
export function TechniqueCoverage({
  techniques,
  coverage,
  countsNote,
  subject,
  rowTestId = 'technique-use',
}: {
  techniques: readonly TechniqueUse[];
  coverage: { counts: CoverageCounts; total: number } | undefined;
  countsNote?: ReactNode;
  subject: string;
  rowTestId?: string;
}) {
  const [status, setStatus] = useState<CoverageStatus | null>(null);
  const [sort, setSort] = useState<SortState>({ key: 'attackId', descending: false });
  const labelId = useId();
  const rows = useMemo(() => arrangeTechniques(techniques, status, sort), [techniques, status, sort]);

  const onSort = (key: TechniqueSort) =>
    setSort((s) => ({ key, descending: s.key === key ? !s.descending : false }));
  const header = (label: string, column: TechniqueSort) => (
    <SortButton label={label} column={column} sort={sort} onSort={onSort} />
  );
  const columns: Column<TechniqueUse>[] = [
    {
      header: header('ATT&CK id', 'attackId'),
      className: 'w-28 whitespace-nowrap font-mono text-xs text-slate-500',
      cell: (t) => t.attackId ?? '—',
    },
    {
      header: header('Technique', 'name'),
      cell: (t) => (
        <Link
          to="/techniques/$id"
          params={{ id: t.attackId ?? t.id }}
          className="text-sky-700 hover:underline"
        >
          {t.name}
        </Link>
      ),
    },
    { header: 'Tactics', className: 'text-xs text-slate-500', cell: (t) => t.tactics.join(', ') || '—' },
    {
      header: header('Coverage', 'coverage'),
      className: 'w-36',
      cell: (t) => <CoverageBadge status={t.coverageStatus} />,
    },
  ];

  return (
    <Card
      title={`Techniques (${techniques.length})`}
      labelId={labelId}
      actions={coverage && <ValidatedBar validated={coverage.counts.validated ?? 0} total={coverage.total} />}
    >
      <fieldset className="mb-3">
        <legend className="mb-1 text-xs text-slate-500">Show only the techniques that are</legend>
        <ul className="flex flex-wrap gap-1.5">
          {coverageOrder.map((s) => {
            const pressed = status === s;
            return (
              <li key={s}>
                <button
                  type="button"
                  aria-pressed={pressed}
                  onClick={() => setStatus(pressed ? null : s)}
                  className={`flex items-center gap-2 rounded-md border px-2 py-0.5 text-xs ${coverageStyles[s].cell} ${pressed ? 'ring-2 ring-sky-500' : ''}`}
                >
                  {coverageStyles[s].label}
                  <span className="font-semibold tabular-nums">
                    {coverage ? (coverage.counts[s] ?? 0) : '–'}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
        {countsNote && <div className="mt-1.5">{countsNote}</div>}
      </fieldset>
      {rows.length === 0 ? (
        <EmptyState>
          {status
            ? `No technique of ${subject} is ${coverageStyles[status].label.toLowerCase()}.`
            : `No technique is attributed to ${subject}.`}
        </EmptyState>
      ) : (
        <DataTable columns={columns} rows={rows} rowKey={(t) => t.id} rowTestId={rowTestId} />
      )}
    </Card>
  );
}
