import { NOTIFIED_ROLES, ROLE_GROUPS } from '@aegis/contracts';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import { errors } from '../../infra/http';
import { recordAudit } from '../audit-logs';
import { activeUserIdsWithRoles } from '../users';
import { REMEDIATION_KINDS } from './moot';
import {
  findStep,
  insertStep,
  type RemediationStepRow,
  retestOf,
  stepsOf,
  updateStep,
} from './remediation.queries';
import { findTestCase, lockTestCase, type TestCaseRow } from './test-cases.queries';
import type { Caller, Notify, Resolve, TestCaseService } from './test-cases.service';
import { OUTCOME_RANK, type Outcome } from './workflow';

const iso = (v: Date | string | null) => (v ? new Date(v).toISOString() : null);

/** A validated test found a gap when its outcome is logged/not detected, or below what was expected. */
export function foundGap(test: Pick<TestCaseRow, 'state' | 'outcome' | 'expectedOutcome'>): boolean {
  if (test.state !== 'validated' || !test.outcome) return false;
  if (test.outcome === 'logged' || test.outcome === 'not_detected') return true;
  return (
    test.expectedOutcome !== null &&
    OUTCOME_RANK[test.outcome as Outcome] < OUTCOME_RANK[test.expectedOutcome as Outcome]
  );
}

function toStep(r: RemediationStepRow) {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    assignee: r.assigneeId
      ? { id: r.assigneeId, username: r.assigneeUsername ?? '', displayName: r.assigneeDisplayName ?? '' }
      : null,
    dueDate: iso(r.dueDate),
    status: r.status,
    createdAt: iso(r.createdAt) ?? '',
    completedAt: iso(r.completedAt),
  };
}

export function createRemediationService(deps: {
  db: Db;
  notify: Notify;
  resolve: Resolve;
  tests: Pick<TestCaseService, 'insertRetest'>;
  maxRetestCount: number;
}) {
  const { db } = deps;

  async function view(id: string) {
    const test = await findTestCase(db, id);
    if (!test) throw errors.notFound('Test', id);
    const [steps, retest] = await Promise.all([stepsOf(db, id), retestOf(db, id)]);
    return {
      steps: steps.map(toStep),
      retest: retest ?? null,
      retestsLeft: Math.max(0, deps.maxRetestCount - test.retestNumber),
    };
  }

  /**
   * A step closed or handed to someone else: its former assignee's "remediation assigned" of this
   * test is done unless another open step of the test is still theirs (notifications name the test,
   * not the step); a new assignee is told.
   */
  async function followAssignee(
    tx: Tx,
    caller: Caller,
    test: TestCaseRow,
    step: { assigneeId: string | null; title: string },
    patch: { title?: string; assigneeId?: string | null; status?: string },
    steps: RemediationStepRow[],
  ): Promise<void> {
    const reassigned = patch.assigneeId !== undefined && patch.assigneeId !== step.assigneeId;
    const closed = patch.status === 'done' || patch.status === 'wont_fix';
    const before = step.assigneeId;
    const open = (s: RemediationStepRow) => s.status !== 'done' && s.status !== 'wont_fix';
    if (before && (reassigned || closed) && !steps.some((s) => open(s) && s.assigneeId === before))
      await deps.resolve(tx, {
        entityType: 'test_case',
        entityId: test.id,
        kinds: REMEDIATION_KINDS,
        userIds: [before],
        reason: closed
          ? `remediation step ${patch.status === 'done' ? 'done' : "won't fix"}`
          : 'remediation step reassigned',
      });
    if (reassigned && patch.assigneeId && patch.assigneeId !== caller.userId)
      await deps.notify(tx, {
        userIds: [patch.assigneeId],
        kind: 'remediation.assigned',
        title: `Remediation assigned: ${patch.title ?? step.title}`,
        body: test.title,
        entityType: 'test_case',
        entityId: test.id,
      });
  }

  return {
    view,

    async addStep(
      caller: Caller,
      id: string,
      input: { title: string; description: string; assigneeId?: string; dueDate?: string },
    ) {
      await db.transaction(async (tx) => {
        const test = await lockTestCase(tx, id);
        if (!test) throw errors.notFound('Test', id);
        if (!foundGap(test))
          throw errors.conflict(
            'Remediation is for validated tests that found a gap (logged, not detected, or below the expected outcome)',
          );
        if (input.assigneeId) {
          const u = await tx.execute<{ active: boolean }>(
            sql`select active from users where id = ${input.assigneeId}::uuid`,
          );
          if (!u.rows[0]?.active)
            throw errors.validation([{ path: 'body.assigneeId', message: 'must be an active user' }]);
        }
        const stepId = await insertStep(tx, {
          testCaseId: id,
          title: input.title,
          description: input.description,
          assigneeId: input.assigneeId ?? null,
          dueDate: input.dueDate ? new Date(input.dueDate) : null,
          createdBy: caller.userId,
        });
        await recordAudit(tx, caller.audit, {
          action: 'remediation.create',
          entityType: 'remediation_step',
          entityId: stepId,
          summary: { testCaseId: id, title: input.title, assigneeId: input.assigneeId },
        });
        if (input.assigneeId && input.assigneeId !== caller.userId)
          await deps.notify(tx, {
            userIds: [input.assigneeId],
            kind: 'remediation.assigned',
            title: `Remediation assigned: ${input.title}`,
            body: test.title,
            entityType: 'test_case',
            entityId: id,
          });
      });
      return view(id);
    },

    /**
     * Updates a step. When the last open step closes (at least one done), the test's re-test is
     * created in the same transaction — once (the test row is locked and retest_of_id is unique),
     * and only while the chain is under MAX_RETEST_COUNT; past it, the leads are told instead.
     */
    async updateStep(
      caller: Caller,
      id: string,
      stepId: string,
      patch: {
        title?: string;
        description?: string;
        assigneeId?: string | null;
        dueDate?: string | null;
        status?: 'open' | 'in_progress' | 'done' | 'wont_fix';
      },
    ) {
      await db.transaction(async (tx) => {
        const test = await lockTestCase(tx, id);
        if (!test) throw errors.notFound('Test', id);
        const step = await findStep(tx, id, stepId);
        if (!step) throw errors.notFound('Remediation step', stepId);
        if (!ROLE_GROUPS.leads.includes(caller.role) && step.assigneeId !== caller.userId)
          throw errors.forbidden('Only the assignee, a lead or an admin can update this step');
        const closing = patch.status !== undefined && ['done', 'wont_fix'].includes(patch.status);
        await updateStep(tx, stepId, {
          ...(patch.title !== undefined ? { title: patch.title } : {}),
          ...(patch.description !== undefined ? { description: patch.description } : {}),
          ...(patch.assigneeId !== undefined ? { assigneeId: patch.assigneeId } : {}),
          ...(patch.dueDate !== undefined ? { dueDate: patch.dueDate ? new Date(patch.dueDate) : null } : {}),
          ...(patch.status !== undefined
            ? { status: patch.status, completedAt: closing ? new Date() : null }
            : {}),
        });
        await recordAudit(tx, caller.audit, {
          action: 'remediation.update',
          entityType: 'remediation_step',
          entityId: stepId,
          summary: { testCaseId: id, ...patch },
        });
        const steps = await stepsOf(tx, id);
        await followAssignee(tx, caller, test, step, patch, steps);
        const allClosed = steps.every((s) => s.status === 'done' || s.status === 'wont_fix');
        if (!allClosed || !steps.some((s) => s.status === 'done') || (await retestOf(tx, id))) return;
        if (test.retestNumber >= deps.maxRetestCount) {
          await deps.notify(tx, {
            userIds: await activeUserIdsWithRoles(tx, NOTIFIED_ROLES.leads),
            kind: 'test.retest_limit',
            title: `Remediation done, but ${test.title} reached the re-test limit (${deps.maxRetestCount})`,
            body: 'Create a new test manually if it should be tested again.',
            entityType: 'test_case',
            entityId: id,
          });
          return;
        }
        await deps.tests.insertRetest(tx, caller, test);
      });
      return view(id);
    },
  };
}
export type RemediationService = ReturnType<typeof createRemediationService>;
