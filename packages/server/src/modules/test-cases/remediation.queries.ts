import { asc, eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import { remediationSteps } from './remediation.schema';
import { testCases } from './test-cases.schema';

type Conn = Db | Tx;
export type RemediationStepRow = typeof remediationSteps.$inferSelect & {
  assigneeUsername: string | null;
  assigneeDisplayName: string | null;
};

export async function stepsOf(db: Conn, testCaseId: string): Promise<RemediationStepRow[]> {
  const r = await db.execute<RemediationStepRow>(sql`
    select s.id, s.test_case_id as "testCaseId", s.title, s.description, s.assignee_id as "assigneeId",
           s.due_date as "dueDate", s.status, s.created_by as "createdBy", s.created_at as "createdAt",
           s.updated_at as "updatedAt", s.completed_at as "completedAt",
           u.username as "assigneeUsername", u.display_name as "assigneeDisplayName"
      from remediation_steps s left join users u on u.id = s.assignee_id
     where s.test_case_id = ${testCaseId}::uuid
     order by s.created_at, s.id`);
  return r.rows;
}

export async function insertStep(tx: Conn, values: typeof remediationSteps.$inferInsert): Promise<string> {
  const [row] = await tx.insert(remediationSteps).values(values).returning({ id: remediationSteps.id });
  if (!row) throw new Error('remediation step insert returned no row');
  return row.id;
}

export async function findStep(db: Conn, testCaseId: string, stepId: string) {
  const [row] = await db.select().from(remediationSteps).where(eq(remediationSteps.id, stepId));
  return row && row.testCaseId === testCaseId ? row : undefined;
}

export async function updateStep(
  tx: Conn,
  stepId: string,
  patch: Partial<typeof remediationSteps.$inferInsert>,
): Promise<void> {
  await tx
    .update(remediationSteps)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(remediationSteps.id, stepId));
}

export async function retestOf(
  db: Conn,
  testCaseId: string,
): Promise<{ id: string; retestNumber: number } | undefined> {
  const [row] = await db
    .select({ id: testCases.id, retestNumber: testCases.retestNumber })
    .from(testCases)
    .where(eq(testCases.retestOfId, testCaseId))
    .orderBy(asc(testCases.createdAt));
  return row;
}
