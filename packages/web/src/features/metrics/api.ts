import type {
  DataIntegrity,
  ExecutiveDashboard,
  MetricsFilters,
  MetricTrend,
  OperationalMetrics,
  PipelineMetrics,
  TacticMetrics,
  TeamActivity,
  TrendMetric,
  ValidationRates,
} from '@aegis/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Query } from '../../app/api';

/** A period as the metric routes take it (ISO instants, `to` exclusive). */
export interface Period {
  from: string;
  to: string;
}

/** A period and the filters the metrics page offers (ATT&CK tactic shortname, platform, tool). */
export type FilteredPeriod = Period & Pick<MetricsFilters, 'tactic' | 'platform' | 'tool'>;

/** Every metric query starts with `metrics`. */
export const metricKeys = {
  all: ['metrics'] as const,
  operational: (period: Period) => ['metrics', 'operational', period] as const,
  trend: (metric: TrendMetric, query: Query) => ['metrics', 'trend', metric, query] as const,
  integrity: (period: Period) => ['metrics', 'data-integrity', period] as const,
  executive: (period: Period) => ['metrics', 'executive', period] as const,
  workflow: (route: WorkflowRoute, query: Period) => ['metrics', route, query] as const,
};

type WorkflowRoute = 'pipeline' | 'validation-rates' | 'team-activity' | 'by-tactic';

/** One of the workflow metrics (any signed-in user); the previous answer stays while the next loads. */
function useWorkflowMetric<T>(route: WorkflowRoute, query: Period) {
  return useQuery({
    queryKey: metricKeys.workflow(route, query),
    queryFn: ({ signal }) => api<T>(`/metrics/${route}`, { query: { ...query }, signal }),
    placeholderData: (previous) => previous,
  });
}

/** The pipeline now and the cohort created in the period. */
export const usePipelineMetrics = (query: FilteredPeriod) =>
  useWorkflowMetric<PipelineMetrics>('pipeline', query);

/** Validation rate, first-pass rate and lead agreement of the period's review decisions. */
export const useValidationRates = (query: FilteredPeriod) =>
  useWorkflowMetric<ValidationRates>('validation-rates', query);

/** Team totals; per person for leads and admins (`users` is null for others). Takes no filters. */
export const useTeamActivity = (period: Period) =>
  useWorkflowMetric<TeamActivity>('team-activity', { from: period.from, to: period.to });

/** The period's current results per tactic. */
export const useTacticMetrics = (query: FilteredPeriod) =>
  useWorkflowMetric<TacticMetrics>('by-tactic', query);

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
