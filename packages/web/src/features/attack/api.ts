import type { ListEnvelope, Tactic, Technique, TechniqueSummary } from '@aegis/contracts';
import { MAX_PAGE_SIZE } from '@aegis/contracts/paging';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';

/** Every page of a list endpoint, `MAX_PAGE_SIZE` at a time, until `total`. */
export async function fetchAll<T>(path: string, query: Query, signal?: AbortSignal): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += MAX_PAGE_SIZE) {
    const page = await api<ListEnvelope<T>>(path, {
      query: { ...query, limit: MAX_PAGE_SIZE, offset },
      signal,
    });
    items.push(...page.items);
    if (page.items.length === 0 || items.length >= page.total) return items;
  }
}

export const attackKeys = {
  tactics: ['attack', 'tactics'] as const,
  techniques: ['attack', 'techniques', 'top-level'] as const,
  subtechniques: ['attack', 'techniques', 'sub'] as const,
  technique: (id: string) => ['attack', 'technique', id] as const,
};

export const tacticsQuery = queryOptions({
  queryKey: attackKeys.tactics,
  queryFn: ({ signal }) => api<{ items: Tactic[] }>('/tactics', { signal }).then((r) => r.items),
  staleTime: 5 * 60_000,
});

/** Every top-level technique with its coverage (the matrix and the dashboard). */
export const techniquesQuery = queryOptions({
  queryKey: attackKeys.techniques,
  queryFn: ({ signal }) => fetchAll<TechniqueSummary>('/techniques', { subtechniques: 'exclude' }, signal),
});

export function useTactics() {
  return useQuery(tacticsQuery);
}

export function useTechniques() {
  return useQuery(techniquesQuery);
}

/** Sub-techniques grouped by their parent's id; loaded only once something asks for them. */
export function useSubtechniques(enabled: boolean) {
  return useQuery({
    queryKey: attackKeys.subtechniques,
    enabled,
    queryFn: async ({ signal }) => {
      const subs = await fetchAll<TechniqueSummary>('/techniques', { subtechniques: 'only' }, signal);
      const byParent = new Map<string, TechniqueSummary[]>();
      for (const sub of subs) {
        if (!sub.parent) continue;
        const list = byParent.get(sub.parent.id) ?? [];
        list.push(sub);
        byParent.set(sub.parent.id, list);
      }
      return byParent;
    },
  });
}

export function useTechnique(id: string) {
  return useQuery({
    queryKey: attackKeys.technique(id),
    queryFn: ({ signal }) => api<Technique>(`/techniques/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useMarkReviewed(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      api<unknown>(`/techniques/${encodeURIComponent(id)}/review`, { method: 'POST', body: {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['attack'] }),
  });
}

/** Saves the organisation's notes; every cached copy of the technique shows the saved value at once. */
export function useUpdateTechniqueNotes(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (notes: string) =>
      api<Technique>(`/techniques/${encodeURIComponent(id)}`, { method: 'PATCH', body: { notes } }),
    onSuccess: (updated) =>
      queryClient.setQueriesData<Technique>({ queryKey: ['attack', 'technique'] }, (old) =>
        old?.id === updated.id ? updated : old,
      ),
  });
}
