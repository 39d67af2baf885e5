import type { ListEnvelope } from '@aegis/contracts';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api, type Query } from './api';

/**
 * A list endpoint read page by page as the user scrolls (for `VirtualTable`). Rows are the pages
 * joined; a row that shifted onto the next page while the user scrolled (a new item was inserted
 * meanwhile) is shown once. The key is `[...queryKey, query]`, so invalidating `queryKey` refreshes it.
 */
export function useInfiniteList<T extends { id: string }>(
  queryKey: readonly unknown[],
  path: string,
  query: Query,
  pageSize = 100,
) {
  const result = useInfiniteQuery({
    queryKey: [...queryKey, query, pageSize],
    initialPageParam: 0,
    queryFn: ({ pageParam, signal }) =>
      api<ListEnvelope<T>>(path, { query: { ...query, limit: pageSize, offset: pageParam }, signal }),
    getNextPageParam: (last, pages) => {
      const next = last.offset + last.limit;
      // An estimated total is not an end: a short page is.
      const more = last.totalEstimated ? last.items.length === last.limit : next < last.total;
      return last.items.length > 0 && more && pages.length > 0 ? next : undefined;
    },
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(() => {
    const seen = new Set<string>();
    const out: T[] = [];
    for (const page of result.data?.pages ?? [])
      for (const item of page.items)
        if (!seen.has(item.id)) {
          seen.add(item.id);
          out.push(item);
        }
    return out;
  }, [result.data]);
  const last = result.data?.pages.at(-1);
  return { ...result, rows, total: last?.total ?? 0, totalEstimated: last?.totalEstimated ?? false };
}
