import type { EvidenceSide } from '@aegis/contracts';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import { evidence } from './evidence.schema';

type Conn = Db | Tx;
export type EvidenceRow = typeof evidence.$inferSelect;

export async function insertEvidence(tx: Conn, values: typeof evidence.$inferInsert): Promise<EvidenceRow> {
  const [row] = await tx.insert(evidence).values(values).returning();
  if (!row) throw new Error('evidence insert returned no row');
  return row;
}

export async function findEvidence(
  db: Conn,
  testCaseId: string,
  id: string,
  options: { forUpdate?: boolean } = {},
): Promise<EvidenceRow | undefined> {
  const query = db
    .select()
    .from(evidence)
    .where(and(eq(evidence.testCaseId, testCaseId), eq(evidence.id, id)));
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row;
}

/** One page of a test's evidence on the given sides, oldest first. */
export async function listEvidence(
  db: Conn,
  testCaseId: string,
  sides: readonly EvidenceSide[],
  page: { limit: number; offset: number },
): Promise<{ rows: EvidenceRow[]; total: number }> {
  if (sides.length === 0) return { rows: [], total: 0 };
  const where = and(eq(evidence.testCaseId, testCaseId), inArray(evidence.side, [...sides]));
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(evidence)
      .where(where)
      .orderBy(asc(evidence.createdAt), asc(evidence.id))
      .limit(page.limit)
      .offset(page.offset),
    db.select({ total: sql<number>`count(*)::int` }).from(evidence).where(where),
  ]);
  return { rows, total: count?.total ?? 0 };
}

export async function deleteEvidenceRow(tx: Conn, id: string): Promise<void> {
  await tx.delete(evidence).where(eq(evidence.id, id));
}
