import { CoverageCountsQuery, CoverageReport } from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CoverageService } from './coverage.service';

export function coverageRoutes(coverage: CoverageService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/coverage',
      {
        config: { auth: 'authenticated' },
        schema: {
          operationId: 'getCoverageCounts',
          tags: ['coverage'],
          summary:
            'In-scope techniques counted by coverage status, by tactic, platform, threat actor, software or control (optionally as of a past instant)',
          querystring: CoverageCountsQuery,
          response: { 200: CoverageReport },
        },
      },
      async (req) => coverage.counts(req.query),
    );
  };
}
