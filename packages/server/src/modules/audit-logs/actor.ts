import type { FastifyRequest } from 'fastify';
import type { AuditActor } from './audit-logs.service';

/** The audit actor of a request: the signed-in user (if any), client address and request id. */
export function actorOf(req: FastifyRequest): AuditActor {
  return {
    userId: req.auth?.user.id ?? null,
    username: req.auth?.user.username ?? 'anonymous',
    ip: req.ip ?? null,
    requestId: req.id,
  };
}
