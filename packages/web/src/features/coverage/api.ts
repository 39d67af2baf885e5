import type { CoverageCountsQuery, CoverageGroup, CoverageReport, StatusCounts } from '@aegis/contracts';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../app/api';
import { coverageOrder } from '../../components/coverage';

/** What a page asks `GET /coverage` for: one group at most (`key`), the rest as the contract names it. */
export type CoverageQuery = Partial<
  Pick<CoverageCountsQuery, 'by' | 'subtechniques' | 'framework' | 'asOf'>
> & {
  key?: string;
};
export type CoverageDimension = NonNullable<CoverageQuery['by']>;

/**
 * In-scope techniques counted by coverage status on the server (docs/coverage.md "Reading coverage").
 * Keyed under `attack`: every change that moves coverage (a test, a template run) invalidates it already.
 */
export const coverageQuery = (query: CoverageQuery) =>
  queryOptions({
    queryKey: ['attack', 'coverage', query],
    queryFn: ({ signal }) => api<CoverageReport>('/coverage', { query, signal }),
  });

export function useCoverage(query: CoverageQuery) {
  return useQuery(coverageQuery(query));
}

const noTechnique = Object.fromEntries(coverageOrder.map((s) => [s, 0])) as StatusCounts;

/**
 * One group's counts (a threat actor, software, control or D3FEND countermeasure, by our id). The
 * server leaves out a group with no in-scope technique: that reads as zero of each.
 */
export function useGroupCoverage(by: CoverageDimension, key: string, framework?: string) {
  return useQuery({
    ...coverageQuery({ by, key, framework }),
    select: (report): CoverageGroup =>
      report.items.find((g) => g.key === key) ?? {
        key,
        name: '',
        attackId: null,
        total: 0,
        counts: noTechnique,
      },
  });
}
