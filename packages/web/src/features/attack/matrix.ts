import type { CoverageStatus, Tactic, TechniqueSummary } from '@aegis/contracts';

export interface MatrixFilters {
  platform: string;
  status: CoverageStatus | '';
  reviewOnly: boolean;
  search: string;
}

export const noFilters: MatrixFilters = { platform: '', status: '', reviewOnly: false, search: '' };

export interface MatrixColumn {
  tactic: Tactic;
  techniques: TechniqueSummary[];
}

/** Tactics in matrix order, each with its techniques (a technique appears under each of its tactics). */
export function buildColumns(tactics: Tactic[], techniques: TechniqueSummary[]): MatrixColumn[] {
  const ordered = [...tactics].sort((a, b) => (a.matrixOrder ?? 999) - (b.matrixOrder ?? 999));
  const byShortname = new Map<string, TechniqueSummary[]>();
  for (const technique of techniques)
    for (const shortname of technique.tactics) {
      const list = byShortname.get(shortname) ?? [];
      list.push(technique);
      byShortname.set(shortname, list);
    }
  return ordered.map((tactic) => ({
    tactic,
    techniques: (byShortname.get(tactic.shortname ?? '') ?? []).sort((a, b) => a.name.localeCompare(b.name)),
  }));
}

export function matchesFilters(technique: TechniqueSummary, filters: MatrixFilters): boolean {
  if (filters.platform && !technique.platforms.includes(filters.platform)) return false;
  if (filters.status && technique.coverageStatus !== filters.status) return false;
  if (filters.reviewOnly && !technique.reviewRequired) return false;
  const q = filters.search.trim().toLowerCase();
  if (q && !technique.name.toLowerCase().includes(q) && !(technique.attackId ?? '').toLowerCase().includes(q))
    return false;
  return true;
}

export function isFiltered(filters: MatrixFilters): boolean {
  return Boolean(filters.platform || filters.status || filters.reviewOnly || filters.search.trim());
}

export function platformsOf(techniques: TechniqueSummary[]): string[] {
  return [...new Set(techniques.flatMap((t) => t.platforms))].sort((a, b) => a.localeCompare(b));
}
