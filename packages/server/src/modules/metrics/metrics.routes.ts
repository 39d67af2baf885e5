import {
  DataIntegrity,
  ExecutiveDashboard,
  MetricsPeriodQuery,
  MetricsSummary,
  MetricTrend,
  OperationalMetrics,
  PipelineMetrics,
  ROLE_GROUPS,
  TacticMetrics,
  TeamActivity,
  TrendParams,
  TrendQuery,
  ValidationRates,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

const ExecutivePeriodQuery = MetricsPeriodQuery.pick({ from: true, to: true });

import { errors } from '../../infra/http';
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
      '/metrics/summary',
      {
        config: anyone,
        schema: {
          operationId: 'getMetricsSummary',
          tags,
          summary:
            'The headline figures: tests per state, validations in the period, efficacy, undetected share, MTTD, MTTR, velocity',
          querystring: MetricsPeriodQuery,
          response: { 200: MetricsSummary },
        },
      },
      async (req) => metrics.summary(req.query),
    );
    app.get(
      '/metrics/by-tactic',
      {
        config: anyone,
        schema: {
          operationId: 'getMetricsByTactic',
          tags,
          summary:
            'The period’s current results per tactic (prevented, detected, logged, not detected) and each tactic’s efficacy',
          querystring: MetricsPeriodQuery,
          response: { 200: TacticMetrics },
        },
      },
      async (req) => metrics.byTactic(req.query),
    );
    app.get(
      '/metrics/pipeline',
      {
        config: anyone,
        schema: {
          operationId: 'getPipelineMetrics',
          tags,
          summary:
            'Tests in each state now, and of those created in the period: how many reached each step and the median time in each state',
          querystring: MetricsPeriodQuery,
          response: { 200: PipelineMetrics },
        },
      },
      async (req) => metrics.pipeline(req.query),
    );
    app.get(
      '/metrics/team-activity',
      {
        config: anyone,
        schema: {
          operationId: 'getTeamActivity',
          tags,
          summary:
            'What each team did in the period (tests created, executions, evaluations, votes, evidence, remediation steps done); per person for leads and admin',
          querystring: ExecutivePeriodQuery,
          response: { 200: TeamActivity },
        },
      },
      async (req) => {
        if (!req.auth) throw errors.unauthorized();
        return metrics.teamActivity(req.query, req.auth.user.role);
      },
    );
    app.get(
      '/metrics/validation-rates',
      {
        config: anyone,
        schema: {
          operationId: 'getValidationRates',
          tags,
          summary: 'Review decisions in the period: validation rate and first-pass rate',
          querystring: MetricsPeriodQuery,
          response: { 200: ValidationRates },
        },
      },
      async (req) => metrics.validationRates(req.query),
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
