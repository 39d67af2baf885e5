import type { Facet } from '@aegis/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Query } from './api';

/** A facet endpoint (`{items: [{key, total}]}`): the values a list filter can take, with counts. */
export function useFacets(path: string, query?: Query) {
  return useQuery({
    queryKey: ['facets', path, query ?? {}],
    queryFn: ({ signal }) => api<{ items: Facet[] }>(path, { query, signal }).then((r) => r.items),
    staleTime: 60_000,
  });
}
