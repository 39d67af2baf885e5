import {
  DetectionRule,
  DetectionRuleSummary,
  IdParams,
  ListDetectionRulesQuery,
  listEnvelope,
  ROLE_GROUPS,
  UpdateDetectionRule,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../audit-logs';
import type { RuleService } from './rules.service';

const anyone = { auth: 'authenticated' } as const;
const blueLeads = { auth: { roles: ROLE_GROUPS.blueLeads } } as const;
const tags = ['detection-rules'];

export function ruleRoutes(rules: RuleService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/detection-rules',
      {
        config: anyone,
        schema: {
          operationId: 'listDetectionRules',
          tags,
          summary:
            'Detection rules with authors (filter by source, technique, status, level, log source, deployed, text)',
          querystring: ListDetectionRulesQuery,
          response: { 200: listEnvelope(DetectionRuleSummary) },
        },
      },
      async (req) => rules.list(req.query),
    );
    app.get(
      '/detection-rules/:id',
      {
        config: anyone,
        schema: {
          operationId: 'getDetectionRule',
          tags,
          summary: 'One rule with its raw text and author',
          params: IdParams,
          response: { 200: DetectionRule },
        },
      },
      async (req) => rules.get(req.params.id),
    );
    app.patch(
      '/detection-rules/:id',
      {
        config: blueLeads,
        schema: {
          operationId: 'updateDetectionRule',
          tags,
          summary: 'Mark a rule deployed (or not) in this organisation',
          params: IdParams,
          body: UpdateDetectionRule,
          response: { 200: DetectionRule },
        },
      },
      async (req) => rules.update(actorOf(req), req.params.id, req.body),
    );
  };
}
