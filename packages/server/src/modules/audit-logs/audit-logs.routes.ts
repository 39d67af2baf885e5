import { AuditLog, ListAuditLogsQuery, listEnvelope, ROLE_GROUPS } from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AuditService } from './audit-logs.service';

export function auditLogRoutes(audit: AuditService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/audit-logs',
      {
        config: { auth: { roles: ROLE_GROUPS.admins } },
        schema: {
          operationId: 'listAuditLogs',
          tags: ['audit'],
          summary: 'The audit trail, newest first, filtered by actor, action, entity and time',
          querystring: ListAuditLogsQuery,
          response: { 200: listEnvelope(AuditLog) },
        },
      },
      async (req) => audit.list(req.query),
    );
  };
}
