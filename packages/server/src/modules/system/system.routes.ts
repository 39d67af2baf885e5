import { ErrorEnvelope, Health, HealthSummary, ROLE_GROUPS, SchedulerStatus } from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { SystemService } from './system.service';

export function systemRoutes(system: SystemService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/health',
      {
        // Public on purpose: load balancers and uptime probes call it without credentials. They get the
        // status only; version, mode, uptime and check details (which name what failed) are for admins.
        config: { auth: 'public' },
        schema: {
          operationId: 'getHealth',
          tags: ['system'],
          summary: 'Liveness and readiness: database, evidence storage and job scheduler',
          description:
            'Anyone gets `{status}`; an admin also gets the version, run mode, uptime and each check.',
          response: { 200: Health.or(HealthSummary), 503: Health.or(HealthSummary).or(ErrorEnvelope) },
        },
      },
      async (req, reply) => {
        const health = await system.health();
        const body = req.auth?.user.role === 'admin' ? health : { status: health.status };
        return reply.code(health.status === 'down' ? 503 : 200).send(body);
      },
    );

    app.get(
      '/system/scheduler',
      {
        config: { auth: { roles: ROLE_GROUPS.admins } },
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
