import {
  D3fendAmbiguous,
  type D3fendCandidate,
  type D3fendTechnique,
  type ListEnvelope,
  type UpdateD3fendTechnique,
} from '@aegis/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, type Query } from '../../app/api';

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

/**
 * By our id, the IRI (`d3f:AccessModeling`, what the list links to) or the D3FEND id (`D3-AL`), as the
 * API accepts all three; a D3FEND id that names several techniques fails with their list (`candidatesOf`).
 */
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
      // The page may have loaded it by any of its ids.
      for (const key of new Set([id, defense.id, defense.iri]))
        queryClient.setQueryData(defenseKeys.detail(key), defense);
      void queryClient.invalidateQueries({ queryKey: defenseKeys.all });
    },
  });
}

/** The techniques a shared D3FEND id names, when that is why a request failed (409); otherwise null. */
export function candidatesOf(error: unknown): D3fendCandidate[] | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const details = D3fendAmbiguous.shape.error.shape.details.safeParse(error.details);
  return details.success ? details.data.candidates : null;
}
