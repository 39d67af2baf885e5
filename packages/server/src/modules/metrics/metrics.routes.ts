import {
  DataIntegrity,
  ExecutiveDashboard,
  MetricsPeriodQuery,
  MetricTrend,
  OperationalMetrics,
  ROLE_GROUPS,
  TrendParams,
  TrendQuery,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const ExecutivePeriodQuery = MetricsPeriodQuery.pick({ from: true, to: true });

import type { MetricsService } from './metrics.service';

const anyone = { auth: 'authenticated' } as const;
const tags = ['metrics'];

export function metricsRoutes(metrics: MetricsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/metrics/operational',
      {
        config: anyone,
        schema: {
          operationId: 'getOperationalMetrics',
          tags,
          summary:
            'MTTD (overall and per tool), MTTP, undetected share, MTTR, MTTV, efficacy, expectation met, alert fidelity and coverage velocity for a period, each with n and what it left out',
          querystring: MetricsPeriodQuery,
          response: { 200: OperationalMetrics },
        },
      },
      async (req) => metrics.operational(req.query),
    );
    app.get(
      '/metrics/:metric/trend',
      {
        config: anyone,
        schema: {
          operationId: 'getMetricTrend',
          tags,
          summary:
            'One metric per week, month or quarter of a range (empty buckets null), in the organisation’s time zone',
          params: TrendParams,
          querystring: TrendQuery,
          response: { 200: MetricTrend },
        },
      },
      async (req) => metrics.trend(req.params.metric, req.query),
    );
    app.get(
      '/metrics/executive',
      {
        config: { auth: { roles: ROLE_GROUPS.leads } },
        schema: {
          operationId: 'getExecutiveDashboard',
          tags,
          summary:
            'The executive dashboard: organisation score, coverage by tactic, the period’s figures beside the previous period’s, the techniques that moved most, the oldest open remediation',
          querystring: ExecutivePeriodQuery,
          response: { 200: ExecutiveDashboard },
        },
      },
      async (req) => metrics.executive(req.query),
    );
    app.get(
      '/metrics/data-integrity',
      {
        config: { auth: { roles: ROLE_GROUPS.leads } },
        schema: {
          operationId: 'getMetricsDataIntegrity',
          tags,
          summary:
            'The records the time metrics left out in a period and why (no timestamp, negative, outlier), linked to their tests',
          querystring: MetricsPeriodQuery,
          response: { 200: DataIntegrity },
        },
      },
      async (req) => metrics.integrity(req.query),
    );
  };
}
