import type { CoverageCounts, CoverageStatus, TechniqueUse } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { CoverageBadge, coverageOrder, coverageStyles } from '../../../components/coverage';
import { type Column, DataTable } from '../../../components/DataTable';

/** How many of `techniques` are in each coverage status. */
export function coverageCounts(techniques: readonly TechniqueUse[]): Record<CoverageStatus, number> {
  const counts: Record<CoverageStatus, number> = {
    validated: 0,
    partial: 0,
    not_covered: 0,
    in_progress: 0,
    untested: 0,
  };
  for (const t of techniques) counts[t.coverageStatus] += 1;
  return counts;
}

/** A stacked bar and its numbers: how well the techniques behind a control or defense are covered. */
export function CoverageSummary({
  coverage,
  compact = false,
}: {
  /** Techniques per coverage status (`coverageCounts` of a technique list, or a list row's counts). */
  coverage: CoverageCounts;
  compact?: boolean;
}) {
  const counts = { ...coverageCounts([]), ...coverage };
  const total = coverageOrder.reduce((n, s) => n + counts[s], 0);
  if (total === 0) return <span className="text-sm text-slate-500">No technique</span>;
  const shown = coverageOrder.filter((s) => counts[s] > 0);
  return (
    <div className={compact ? 'w-44' : ''}>
      <div aria-hidden="true" className="flex h-2 overflow-hidden rounded-full bg-slate-100">
        {shown.map((s) => (
          <span
            key={s}
            className={coverageStyles[s].swatch}
            style={{ width: `${(counts[s] / total) * 100}%` }}
          />
        ))}
      </div>
      <p className="mt-1 text-xs text-slate-600">
        {counts.validated} of {total} validated
        {compact
          ? counts.partial > 0 && ` · ${counts.partial} partial`
          : shown
              .filter((s) => s !== 'validated')
              .map((s) => ` · ${counts[s]} ${coverageStyles[s].label.toLowerCase()}`)
              .join('')}
      </p>
    </div>
  );
}

/** The techniques as a table: ATT&CK id and name linking to the technique, and its coverage. */
export function TechniqueCoverageTable({ techniques }: { techniques: readonly TechniqueUse[] }) {
  const columns: Column<TechniqueUse>[] = [
    {
      header: 'ATT&CK id',
      className: 'w-28 font-mono text-xs',
      cell: (t) => (
        <Link
          to="/techniques/$id"
          params={{ id: t.attackId ?? t.id }}
          className="text-sky-700 hover:underline"
        >
          {t.attackId ?? '—'}
        </Link>
      ),
    },
    { header: 'Technique', cell: (t) => t.name },
    {
      header: 'Coverage',
      className: 'w-36',
      cell: (t) => <CoverageBadge status={t.coverageStatus} />,
    },
  ];
  const rows = [...techniques].sort((a, b) => (a.attackId ?? '').localeCompare(b.attackId ?? ''));
  return <DataTable columns={columns} rows={rows} rowKey={(t) => t.id} rowTestId="technique-row" />;
}
