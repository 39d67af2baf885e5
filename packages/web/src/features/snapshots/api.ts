import type {
  CreateSnapshot,
  SnapshotComparison,
  SnapshotDetail,
  SnapshotList,
  SnapshotTrend,
} from '@aegis/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';

/** Every snapshot query starts with `snapshots`: taking or deleting one refreshes them all. */
export const snapshotKeys = {
  all: ['snapshots'] as const,
  list: (query: Query) => ['snapshots', 'list', query] as const,
  compare: (query: Query) => ['snapshots', 'compare', query] as const,
  trend: ['snapshots', 'trend'] as const,
};

/** The comparison as the API takes it. */
export interface CompareQuery {
  from: string;
  to: string;
  threshold: number;
  all: boolean;
}

/** A page of snapshots, newest first (leads and admins, as every route here). */
export function useSnapshots(query: { limit: number; offset: number }) {
  return useQuery({
    queryKey: snapshotKeys.list(query),
    queryFn: ({ signal }) => api<SnapshotList>('/snapshots', { query, signal }),
    placeholderData: (previous) => previous,
  });
}

export function useComparison(query: CompareQuery | null) {
  return useQuery({
    queryKey: snapshotKeys.compare({ ...query }),
    enabled: query !== null,
    queryFn: ({ signal }) => api<SnapshotComparison>('/snapshots/compare', { query: { ...query }, signal }),
    placeholderData: (previous) => previous,
    // A side that is `now` moves with every validated test: ask again when the page is opened again.
    staleTime: 0,
  });
}

export function useSnapshotTrend() {
  return useQuery({
    queryKey: snapshotKeys.trend,
    queryFn: ({ signal }) => api<SnapshotTrend>('/snapshots/trend', { signal }),
  });
}

function useInvalidateSnapshots() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: snapshotKeys.all });
}

export function useTakeSnapshot() {
  const invalidate = useInvalidateSnapshots();
  return useMutation({
    mutationFn: (body: CreateSnapshot) => api<SnapshotDetail>('/snapshots', { method: 'POST', body }),
    onSuccess: invalidate,
  });
}

/** Admins only; a scheduled snapshot is refused (409: the retention removes those). */
export function useDeleteSnapshot() {
  const invalidate = useInvalidateSnapshots();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/snapshots/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: invalidate,
  });
}
