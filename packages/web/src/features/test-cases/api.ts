import type { ListEnvelope, TestCaseSummary } from '@aegis/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';

export function useTests(query: Query, enabled = true) {
  return useQuery({
    queryKey: ['tests', 'list', query],
    enabled,
    queryFn: ({ signal }) => api<ListEnvelope<TestCaseSummary>>('/tests', { query, signal }),
  });
}
