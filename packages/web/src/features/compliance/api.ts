import type {
  ComplianceControl,
  ComplianceControlSummary,
  ComplianceFramework,
  ListEnvelope,
} from '@aegis/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';

export const complianceKeys = {
  frameworks: ['compliance', 'frameworks'] as const,
  controls: (query: Query) => ['compliance', 'controls', query] as const,
  control: (id: string) => ['compliance', 'control', id] as const,
};

export function useFrameworks() {
  return useQuery({
    queryKey: complianceKeys.frameworks,
    queryFn: ({ signal }) =>
      api<{ items: ComplianceFramework[] }>('/compliance/frameworks', { signal }).then((r) => r.items),
    staleTime: 60_000,
  });
}

export function useControls(query: Query, enabled = true) {
  return useQuery({
    queryKey: complianceKeys.controls(query),
    enabled,
    queryFn: ({ signal }) =>
      api<ListEnvelope<ComplianceControlSummary>>('/compliance/controls', { query, signal }),
    placeholderData: (previous) => previous,
  });
}

export function useControl(id: string) {
  return useQuery({
    queryKey: complianceKeys.control(id),
    queryFn: ({ signal }) =>
      api<ComplianceControl>(`/compliance/controls/${encodeURIComponent(id)}`, { signal }),
  });
}
