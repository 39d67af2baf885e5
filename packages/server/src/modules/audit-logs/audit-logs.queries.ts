import type { ListAuditLogsQuery } from '@aegis/contracts';
import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import { boundedCount, type Db, type ListTotal, type Tx } from '../../infra/db';
import { auditLogs } from './audit-logs.schema';

export type AuditLogRow = typeof auditLogs.$inferSelect;
export type NewAuditLog = typeof auditLogs.$inferInsert;

export async function insertAuditLogs(db: Db | Tx, rows: NewAuditLog[]): Promise<void> {
  if (rows.length > 0) await db.insert(auditLogs).values(rows);
}

function filters(q: ListAuditLogsQuery): SQL | undefined {
  const where: SQL[] = [];
  if (q.actorId) where.push(eq(auditLogs.actorId, q.actorId));
  if (q.action) where.push(eq(auditLogs.action, q.action));
  if (q.entityType) where.push(eq(auditLogs.entityType, q.entityType));
  if (q.entityId) where.push(eq(auditLogs.entityId, q.entityId));
  if (q.from) where.push(gte(auditLogs.at, new Date(q.from)));
  if (q.to) where.push(lte(auditLogs.at, new Date(q.to)));
  return where.length > 0 ? and(...where) : undefined;
}

export async function listAuditLogs(
  db: Db,
  q: ListAuditLogsQuery,
): Promise<{ rows: AuditLogRow[] } & ListTotal> {
  const where = filters(q);
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(auditLogs)
      .where(where)
      .orderBy(desc(auditLogs.at), desc(auditLogs.id))
      .limit(q.limit)
      .offset(q.offset),
    boundedCount(db, sql`from ${auditLogs} where ${where ?? sql`true`}`),
  ]);
  return { rows, ...total };
}
