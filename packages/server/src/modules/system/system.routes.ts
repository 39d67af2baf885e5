import { ErrorEnvelope, Health, SchedulerStatus } from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SystemService } from './system.service';

export function systemRoutes(system: SystemService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        // Public on purpose: load balancers and uptime probes call it without credentials.
        config: { auth: 'public' },
        schema: {
          operationId: 'getHealth',
          tags: ['system'],
          summary: 'Liveness and readiness: database, evidence storage and job scheduler',
          response: { 200: Health, 503: Health.or(ErrorEnvelope) },
        },
      },
      async (_req, reply) => {
        const health = await system.health();
        return reply.code(health.status === 'down' ? 503 : 200).send(health);
      },
    );

    app.get(
      '/system/scheduler',
      {
        config: { auth: { roles: ['admin'] } },
        schema: {
          operationId: 'getScheduler',
          tags: ['system'],
          summary: 'Background jobs: schedules, next run, last run of each',
          response: { 200: SchedulerStatus },
        },
      },
      async () => system.schedulerStatus(),
    );
  };
}
