import type {
  DataIntegrity,
  ExecutiveDashboard,
  MetricTrend,
  OperationalMetrics,
  TrendMetric,
} from '@aegis/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';

/** A period as the metric routes take it (ISO instants, `to` exclusive). */
export interface Period {
  from: string;
  to: string;
}

/** Every metric query starts with `metrics`. */
export const metricKeys = {
  all: ['metrics'] as const,
  operational: (period: Period) => ['metrics', 'operational', period] as const,
  trend: (metric: TrendMetric, query: Query) => ['metrics', 'trend', metric, query] as const,
  integrity: (period: Period) => ['metrics', 'data-integrity', period] as const,
  executive: (period: Period) => ['metrics', 'executive', period] as const,
};

/** Any signed-in user. */
export function useOperationalMetrics(period: Period) {
  return useQuery({
    queryKey: metricKeys.operational(period),
    queryFn: ({ signal }) =>
      api<OperationalMetrics>('/metrics/operational', { query: { ...period }, signal }),
    placeholderData: (previous) => previous,
  });
}

/** One metric per bucket of the period, empty buckets included (value null). */
export function useMetricTrend(
  metric: TrendMetric,
  query: Period & { bucket: 'week' | 'month' | 'quarter' },
) {
  return useQuery({
    queryKey: metricKeys.trend(metric, { ...query }),
    queryFn: ({ signal }) =>
      api<MetricTrend>(`/metrics/${encodeURIComponent(metric)}/trend`, { query: { ...query }, signal }),
  });
}

/** Leads and admins (the API answers 403 to others). */
export function useDataIntegrity(period: Period) {
  return useQuery({
    queryKey: metricKeys.integrity(period),
    queryFn: ({ signal }) => api<DataIntegrity>('/metrics/data-integrity', { query: { ...period }, signal }),
    placeholderData: (previous) => previous,
  });
}

/** Leads and admins (the API answers 403 to others). */
export function useExecutiveDashboard(period: Period) {
  return useQuery({
    queryKey: metricKeys.executive(period),
    queryFn: ({ signal }) => api<ExecutiveDashboard>('/metrics/executive', { query: { ...period }, signal }),
    placeholderData: (previous) => previous,
    // A 403 is an answer, not a hiccup.
    retry: false,
  });
}
