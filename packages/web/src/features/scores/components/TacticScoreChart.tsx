import type { TacticScoreSummary } from '@aegis/contracts';
import { formatScore } from '../format';

const TICKS = [0, 25, 50, 75, 100];
const percent = (n: number | null) => `${Math.max(0, Math.min(100, n ?? 0))}%`;

export const scoreColors = { score: 'bg-sky-600', threat: 'bg-amber-500' } as const;

export function ScoreLegend() {
  return (
    <ul aria-label="Chart legend" className="flex flex-wrap items-center gap-4 text-xs text-slate-600">
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className={`h-2.5 w-4 rounded-sm ${scoreColors.score}`} />
        Score (equal weights)
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden="true" className={`h-2.5 w-4 rounded-sm ${scoreColors.threat}`} />
        Threat-weighted
      </li>
    </ul>
  );
}

/**
 * Each tactic's score and threat-weighted score as two horizontal bars on a fixed 0–100 axis, the
 * numbers beside them. Plain elements (no chart library, ADR 18), at its final size on first render;
 * a tactic with no technique in scope has no bar and says so. The table next to it is the accessible
 * form of the same figures.
 */
export function TacticScoreChart({ tactics }: { tactics: readonly TacticScoreSummary[] }) {
  return (
    <div className="max-w-4xl text-xs text-slate-600">
      <ul className="flex flex-col gap-1.5">
        {tactics.map((t) => {
          const none = t.score.value === null;
          return (
            <li
              key={t.id}
              data-testid="tactic-score-bar"
              data-tactic={t.shortname ?? t.name}
              className="grid grid-cols-[minmax(5.5rem,10rem)_1fr_2.75rem] items-center gap-x-2"
            >
              <span data-testid="chart-tactic" className="truncate text-right" title={t.name}>
                {t.name}
              </span>
              <div className="relative h-7 border-l border-slate-300">
                {TICKS.slice(1).map((tick) => (
                  <span
                    key={tick}
                    className="absolute inset-y-0 border-l border-dashed border-slate-200"
                    style={{ left: percent(tick) }}
                  />
                ))}
                {none ? (
                  <span className="absolute inset-y-0 left-2 flex items-center text-slate-500">
                    no technique in scope
                  </span>
                ) : (
                  <>
                    <div
                      title={`${t.name}: score ${formatScore(t.score)}`}
                      className={`absolute top-0.5 left-0 h-2.5 rounded-r-sm ${scoreColors.score}`}
                      style={{ width: percent(t.score.value) }}
                    />
                    <div
                      title={`${t.name}: threat-weighted ${formatScore(t.threatScore)}`}
                      className={`absolute bottom-0.5 left-0 h-2.5 rounded-r-sm ${scoreColors.threat}`}
                      style={{ width: percent(t.threatScore.value) }}
                    />
                  </>
                )}
              </div>
              <span className="flex flex-col text-right leading-3.5 tabular-nums">
                <span data-testid="chart-score" className="text-sky-800">
                  {formatScore(t.score)}
                </span>
                <span data-testid="chart-threat-score" className="text-amber-800">
                  {formatScore(t.threatScore)}
                </span>
              </span>
            </li>
          );
        })}
      </ul>
      <div className="mt-1 grid grid-cols-[minmax(5.5rem,10rem)_1fr_2.75rem] gap-x-2">
        <span />
        <div className="relative h-4">
          {TICKS.map((tick) => (
            <span
              key={tick}
              className="absolute -translate-x-1/2 tabular-nums"
              style={{ left: percent(tick) }}
            >
              {tick}
            </span>
          ))}
        </div>
      </div>
    </div>
  );
}
