import type { ListEnvelope, ThreatActor, ThreatActorSummary } from '@aegis/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';

/**
 * The list and detail queries of the ATT&CK knowledge objects (groups, software, intrusion
 * campaigns): one key scheme, so a coverage change invalidating `['attack']` refreshes them all.
 */
export function useAttackList<T>(path: string, query: Query) {
  return useQuery({
    queryKey: ['attack', path, 'list', query],
    queryFn: ({ signal }) => api<ListEnvelope<T>>(path, { query, signal }),
    placeholderData: (previous) => previous,
  });
}

export function useAttackObject<T>(path: string, id: string) {
  return useQuery({
    queryKey: ['attack', path, 'detail', id],
    queryFn: ({ signal }) => api<T>(`${path}/${encodeURIComponent(id)}`, { signal }),
  });
}

export const useThreatActors = (query: Query) => useAttackList<ThreatActorSummary>('/threat-actors', query);
export const useThreatActor = (id: string) => useAttackObject<ThreatActor>('/threat-actors', id);
