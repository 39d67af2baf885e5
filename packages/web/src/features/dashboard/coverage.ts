import type { CoverageStatus, Tactic, TechniqueSummary } from '@aegis/contracts';
import { coverageOrder } from '../../components/coverage';

export type TacticCoverageRow = { tactic: string; shortname: string; total: number } & Record<
  CoverageStatus,
  number
>;

/** Per tactic (matrix order), how many of its top-level techniques have each coverage status. */
export function coverageByTactic(tactics: Tactic[], techniques: TechniqueSummary[]): TacticCoverageRow[] {
  const rows = new Map<string, TacticCoverageRow>();
  const ordered = [...tactics].sort((a, b) => (a.matrixOrder ?? 999) - (b.matrixOrder ?? 999));
  for (const tactic of ordered) {
    if (!tactic.shortname) continue;
    const row = { tactic: tactic.name, shortname: tactic.shortname, total: 0 } as TacticCoverageRow;
    for (const status of coverageOrder) row[status] = 0;
    rows.set(tactic.shortname, row);
  }
  for (const technique of techniques) {
    if (technique.isSubtechnique) continue;
    for (const shortname of technique.tactics) {
      const row = rows.get(shortname);
      if (!row) continue;
      row[technique.coverageStatus] += 1;
      row.total += 1;
    }
  }
  return [...rows.values()];
}

/**
 * The value axis of the tactic chart: a round top at or above `max` and its ticks from 0, at most
 * six of them, stepping by 1, 2 or 5 times a power of ten.
 */
export function chartScale(max: number): { top: number; ticks: number[] } {
  let step = 1;
  for (let power = 1; Math.ceil(max / step) > 5; power *= 10)
    step = [power, 2 * power, 5 * power].find((s) => Math.ceil(max / s) <= 5) ?? 10 * power;
  const top = Math.max(step, Math.ceil(max / step) * step);
  return { top, ticks: Array.from({ length: top / step + 1 }, (_, i) => i * step) };
}
