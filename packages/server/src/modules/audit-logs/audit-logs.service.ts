import type { AuditLog, ListAuditLogsQuery, ListEnvelope } from '@aegis/contracts';
import type { Db, Tx } from '../../infra/db';
import { insertAuditLogs, listAuditLogs } from './audit-logs.queries';
import { type AuditEntityNamer, entityLabels } from './audit-names';

/** Who did it and from where: a signed-in user, or `cli` / `system` for work without one. */
export interface AuditActor {
  userId: string | null;
  username: string;
  ip: string | null;
  requestId: string | null;
}

export const SYSTEM_ACTOR: AuditActor = { userId: null, username: 'system', ip: null, requestId: null };
export const CLI_ACTOR: AuditActor = { userId: null, username: 'cli', ip: null, requestId: null };

export interface AuditEntry {
  /** `<entity>.<verb>`, e.g. `user.create`, `auth.login_failed`. */
  action: string;
  entityType: string;
  entityId?: string | null;
  /** What changed, without secrets (never password hashes or tokens). */
  summary?: Record<string, unknown>;
}

/**
 * Records changes. Call it with the transaction that makes the change: the rows commit or roll back
 * together with it.
 */
export async function recordAudit(tx: Db | Tx, actor: AuditActor, ...entries: AuditEntry[]): Promise<void> {
  await insertAuditLogs(
    tx,
    entries.map((e) => ({
      actorId: actor.userId,
      actorUsername: actor.username,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId ?? null,
      summary: e.summary ?? {},
      ip: actor.ip,
      requestId: actor.requestId,
    })),
  );
}

/** The audit trail as shown: each row with its entity's and its actor's current names. */
export function createAuditService(deps: { db: Db; namers: readonly AuditEntityNamer[] }) {
  const { db } = deps;
  return {
    async list(q: ListAuditLogsQuery): Promise<ListEnvelope<AuditLog>> {
      const { rows, ...total } = await listAuditLogs(db, q);
      const actors = rows.map((r) => ({ entityType: 'user', entityId: r.actorId }));
      const nameOf = await entityLabels(db, deps.namers, [...rows, ...actors]);
      return {
        items: rows.map((r) => ({
          ...r,
          at: r.at.toISOString(),
          entityLabel: nameOf(r),
          actorName: nameOf({ entityType: 'user', entityId: r.actorId }),
        })),
        ...total,
        limit: q.limit,
        offset: q.offset,
      };
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;
