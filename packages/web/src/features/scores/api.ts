import type {
  ActorScore,
  ListEnvelope,
  OrganizationScore,
  RecomputeAccepted,
  ScoringConfigRecord,
  ScoringConfigValues,
  TacticScore,
  TacticScoreSummary,
  TechniqueScore,
  TechniqueScoreSummary,
} from '@aegis/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Query } from '../../app/api';

/** Every score query starts with `scores`: a new configuration or a recompute refreshes them all. */
export const scoreKeys = {
  all: ['scores'] as const,
  technique: (attackId: string) => ['scores', 'technique', attackId] as const,
  techniques: (query: Query) => ['scores', 'techniques', query] as const,
  tactics: ['scores', 'tactics'] as const,
  tactic: (shortname: string) => ['scores', 'tactic', shortname] as const,
  actor: (id: string) => ['scores', 'actor', id] as const,
  organization: ['scores', 'organization'] as const,
  config: ['scores', 'config'] as const,
};

/**
 * While a queued recompute runs, the score queries ask again every few seconds (the job usually
 * takes a second or two; half a minute covers a busy machine), then stop.
 */
const REFRESH_FOR_MS = 30_000;
const REFRESH_EVERY_MS = 3_000;
let refreshUntil = 0;
const refetchInterval = () => (Date.now() < refreshUntil ? REFRESH_EVERY_MS : false);

export function useTechniqueScore(attackId: string) {
  return useQuery({
    queryKey: scoreKeys.technique(attackId),
    queryFn: ({ signal }) =>
      api<TechniqueScore>(`/scores/techniques/${encodeURIComponent(attackId)}`, { signal }),
    // A technique outside the scope answers 404 with why: nothing to retry.
    retry: false,
    refetchInterval,
  });
}

export function useTechniqueScores(query: Query) {
  return useQuery({
    queryKey: scoreKeys.techniques(query),
    queryFn: ({ signal }) =>
      api<ListEnvelope<TechniqueScoreSummary>>('/scores/techniques', { query, signal }),
    placeholderData: (previous) => previous,
    refetchInterval,
  });
}

export function useTacticScores() {
  return useQuery({
    queryKey: scoreKeys.tactics,
    queryFn: ({ signal }) =>
      api<{ items: TacticScoreSummary[] }>('/scores/tactics', { signal }).then((r) => r.items),
    refetchInterval,
  });
}

export function useTacticScore(shortname: string | undefined) {
  return useQuery({
    queryKey: scoreKeys.tactic(shortname ?? ''),
    enabled: shortname !== undefined,
    queryFn: ({ signal }) =>
      api<TacticScore>(`/scores/tactics/${encodeURIComponent(shortname ?? '')}`, { signal }),
    refetchInterval,
  });
}

export function useActorScore(id: string) {
  return useQuery({
    queryKey: scoreKeys.actor(id),
    queryFn: ({ signal }) => api<ActorScore>(`/scores/actors/${encodeURIComponent(id)}`, { signal }),
    refetchInterval,
  });
}

export function useOrganizationScore() {
  return useQuery({
    queryKey: scoreKeys.organization,
    queryFn: ({ signal }) => api<OrganizationScore>('/scores/organization', { signal }),
    refetchInterval,
  });
}

/** Leads and admins only (the API answers 403 to others). */
export function useScoringConfig() {
  return useQuery({
    queryKey: scoreKeys.config,
    queryFn: ({ signal }) => api<ScoringConfigRecord>('/scores/config', { signal }),
  });
}

/** Admins: a new configuration version; the server recomputes every score before it answers. */
export function useUpdateScoringConfig() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (values: ScoringConfigValues) =>
      api<ScoringConfigRecord>('/scores/config', { method: 'PUT', body: values }),
    onSuccess: (record) => {
      queryClient.setQueryData(scoreKeys.config, record);
      void queryClient.invalidateQueries({ queryKey: scoreKeys.all });
    },
  });
}

/**
 * "Recompute now" (leads, admins). Queued as a job, so the score queries refresh for a while; when
 * the server ran it at once (no scheduler), one refresh is enough. `requestedAt` says when it was asked.
 */
export function useRecomputeScores() {
  const queryClient = useQueryClient();
  const [requestedAt, setRequestedAt] = useState<Date | null>(null);
  const mutation = useMutation({
    mutationFn: () => api<RecomputeAccepted>('/scores/recompute', { method: 'POST', body: {} }),
    onSuccess: (accepted) => {
      setRequestedAt(new Date());
      if (accepted.queued) refreshUntil = Date.now() + REFRESH_FOR_MS;
      void queryClient.invalidateQueries({ queryKey: scoreKeys.all });
    },
  });
  return { ...mutation, requestedAt };
}
