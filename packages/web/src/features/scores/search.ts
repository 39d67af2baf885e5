import type { CoverageStatus } from '@aegis/contracts';
import { coverageOrder } from '../../components/coverage';
import { compact, searchEnum, searchPage, searchText } from '../catalog/search';

export const SCORE_SORTS = ['attackId', 'name', 'ownScore', 'aggregateScore'] as const;
export const SUBTECHNIQUE_FILTERS = ['include', 'exclude', 'only'] as const;

/**
 * The Scores page's technique list filters, kept in the URL like the other lists
 * (`/scores?tactic=execution&minScore=50&sort=ownScore&order=desc`); defaults are left out.
 */
export interface ScoresSearch {
  tactic?: string;
  platform?: string;
  status?: CoverageStatus;
  minScore?: number;
  maxScore?: number;
  subtechniques?: 'exclude' | 'only';
  sort?: Exclude<(typeof SCORE_SORTS)[number], 'attackId'>;
  order?: 'desc';
  page?: number;
}

/** A score bound 0–100 from the URL (a number or its text), else nothing. */
export function searchScore(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : Number(searchText(value, 10) ?? Number.NaN);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined;
}

export function parseScoresSearch(search: Record<string, unknown>): ScoresSearch {
  const sort = searchEnum(search.sort, SCORE_SORTS);
  const subtechniques = searchEnum(search.subtechniques, SUBTECHNIQUE_FILTERS);
  return compact({
    tactic: searchText(search.tactic, 64),
    platform: searchText(search.platform, 64),
    status: searchEnum(search.status, coverageOrder),
    minScore: searchScore(search.minScore),
    maxScore: searchScore(search.maxScore),
    subtechniques: subtechniques === 'include' ? undefined : subtechniques,
    sort: sort === 'attackId' ? undefined : sort,
    order: searchEnum(search.order, ['desc'] as const),
    page: searchPage(search.page),
  });
}
