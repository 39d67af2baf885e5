import type { D3fendTechnique, ListEnvelope, UpdateD3fendTechnique } from '@aegis/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';

/** Who may record whether the organisation implements a countermeasure: blue leads and admins (`hasRole`). */
export const DEFENSE_EDITOR_ROLES = ['blue_lead'] as const;

export type Implementation = NonNullable<D3fendTechnique['implementation']>;

export const defenseKeys = {
  all: ['defenses'] as const,
  list: (query: Query) => ['defenses', 'list', query] as const,
  detail: (id: string) => ['defenses', 'detail', id] as const,
};

export function useDefenses(query: Query) {
  return useQuery({
    queryKey: defenseKeys.list(query),
    queryFn: ({ signal }) => api<ListEnvelope<D3fendTechnique>>('/d3fend', { query, signal }),
    placeholderData: (previous) => previous,
  });
}

/** By our id or the D3FEND id (`D3-AL`), as the API accepts both. */
export function useDefense(id: string) {
  return useQuery({
    queryKey: defenseKeys.detail(id),
    queryFn: ({ signal }) => api<D3fendTechnique>(`/d3fend/${encodeURIComponent(id)}`, { signal }),
  });
}

export function useSetImplementation(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateD3fendTechnique) =>
      api<D3fendTechnique>(`/d3fend/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSuccess: (defense) => {
      // The page may have loaded it by either id.
      for (const key of new Set([id, defense.id, defense.d3fendId]))
        queryClient.setQueryData(defenseKeys.detail(key), defense);
      void queryClient.invalidateQueries({ queryKey: defenseKeys.all });
    },
  });
}
