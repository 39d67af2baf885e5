import type { AttackRef, CoverageStatus, ListEnvelope, ThreatActorSummary } from '@aegis/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';

/** `GET /threat-actors/:id` (the contract exports the schema, not this type). */
export interface ThreatActorDetail extends ThreatActorSummary {
  description: string;
  url: string | null;
  techniques: (AttackRef & { coverageStatus: CoverageStatus; tactics: string[] })[];
  software: AttackRef[];
  campaigns: AttackRef[];
  coverage: Partial<Record<CoverageStatus, number>>;
}

export const threatActorKeys = {
  list: (query: Query) => ['attack', 'threat-actors', 'list', query] as const,
  detail: (id: string) => ['attack', 'threat-actors', 'detail', id] as const,
};

export function useThreatActors(query: Query) {
  return useQuery({
    queryKey: threatActorKeys.list(query),
    queryFn: ({ signal }) => api<ListEnvelope<ThreatActorSummary>>('/threat-actors', { query, signal }),
    placeholderData: (previous) => previous,
  });
}

export function useThreatActor(id: string) {
  return useQuery({
    queryKey: threatActorKeys.detail(id),
    queryFn: ({ signal }) => api<ThreatActorDetail>(`/threat-actors/${encodeURIComponent(id)}`, { signal }),
  });
}
