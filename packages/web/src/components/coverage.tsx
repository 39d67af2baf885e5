import type { CoverageStatus } from '@aegis/contracts';

/** Coverage colours, in the order the legend shows them. Full class strings so Tailwind finds them. */
export const coverageStyles: Record<CoverageStatus, { label: string; cell: string; swatch: string }> = {
  validated: {
    label: 'Validated',
    cell: 'bg-emerald-100 border-emerald-400 text-emerald-950 hover:bg-emerald-200',
    swatch: 'bg-emerald-400',
  },
  partial: {
    label: 'Partial',
    cell: 'bg-amber-100 border-amber-400 text-amber-950 hover:bg-amber-200',
    swatch: 'bg-amber-400',
  },
  not_covered: {
    label: 'Not covered',
    cell: 'bg-red-100 border-red-400 text-red-950 hover:bg-red-200',
    swatch: 'bg-red-400',
  },
  in_progress: {
    label: 'In progress',
    cell: 'bg-sky-100 border-sky-400 text-sky-950 hover:bg-sky-200',
    swatch: 'bg-sky-400',
  },
  untested: {
    label: 'Untested',
    cell: 'bg-slate-100 border-slate-300 text-slate-800 hover:bg-slate-200',
    swatch: 'bg-slate-300',
  },
};

export const coverageOrder: CoverageStatus[] = [
  'validated',
  'partial',
  'not_covered',
  'in_progress',
  'untested',
];

export function CoverageBadge({ status }: { status: CoverageStatus }) {
  const style = coverageStyles[status];
  return (
    <span className="inline-flex items-center gap-1.5 rounded-full border border-slate-200 bg-white px-2 py-0.5 text-xs">
      <span aria-hidden="true" className={`size-2 rounded-full ${style.swatch}`} />
      {style.label}
    </span>
  );
}

export function CoverageLegend() {
  return (
    <ul aria-label="Coverage legend" className="flex flex-wrap items-center gap-3 text-xs text-slate-600">
      {coverageOrder.map((status) => (
        <li key={status} className="flex items-center gap-1.5">
          <span aria-hidden="true" className={`size-3 rounded-sm ${coverageStyles[status].swatch}`} />
          {coverageStyles[status].label}
        </li>
      ))}
    </ul>
  );
}
