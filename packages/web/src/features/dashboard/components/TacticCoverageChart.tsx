import type { CoverageGroup } from '@aegis/contracts';
import { CoverageLegend, coverageOrder, coverageStyles } from '../../../components/coverage';
import { chartScale } from '../chart';

/**
 * Stacked bars: per tactic, its techniques by coverage status, as the server counted them
 * (`GET /coverage?by=tactic`, in matrix order). Plain elements sized in percent of a fixed-height
 * box (no chart library, see ADR 18): it renders with the page, at its final size, in the same
 * colours as the matrix. Hovering a segment names it; the table beside it is the accessible form
 * of the same figures.
 */
export function TacticCoverageChart({ rows }: { rows: readonly CoverageGroup[] }) {
  const { top, ticks } = chartScale(Math.max(0, ...rows.map((r) => r.total)));
  const percent = (n: number) => `${(n / top) * 100}%`;
  return (
    <div className="flex h-85 flex-col text-[11px] text-slate-600">
      <div className="flex justify-center">
        <CoverageLegend />
      </div>
      <div className="relative mt-4 ml-8 flex-1 border-b border-slate-300">
        {ticks.map((tick) => (
          <div
            key={tick}
            className={`absolute inset-x-0 ${tick > 0 ? 'border-t border-dashed border-slate-200' : ''}`}
            style={{ bottom: percent(tick) }}
          >
            <span className="absolute right-full mr-1.5 -translate-y-1/2 tabular-nums">{tick}</span>
          </div>
        ))}
        <div className="absolute inset-0 flex items-end justify-around gap-1 px-1">
          {rows.map((row) => (
            <div
              key={row.key}
              data-testid="tactic-bar"
              className="flex w-full max-w-10 flex-col-reverse"
              style={{ height: percent(row.total) }}
            >
              {coverageOrder.map(
                (status) =>
                  row.counts[status] > 0 && (
                    <div
                      key={status}
                      title={`${row.name}: ${row.counts[status]} ${coverageStyles[status].label.toLowerCase()}`}
                      className={coverageStyles[status].swatch}
                      style={{ flex: `${row.counts[status]} 1 0` }}
                    />
                  ),
              )}
            </div>
          ))}
        </div>
      </div>
      <div className="ml-8 flex h-20 shrink-0 justify-around gap-1 px-1">
        {rows.map((row) => (
          <div key={row.key} className="relative w-full max-w-10">
            <span className="absolute top-1.5 right-1/2 origin-top-right -rotate-35 whitespace-nowrap">
              {row.name}
            </span>
          </div>
        ))}
      </div>
    </div>
  );
}
