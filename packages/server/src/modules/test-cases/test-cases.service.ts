import { randomUUID } from 'node:crypto';
import {
  type BulkTestRequest,
  type BulkTestResponse,
  type CreateTestCase,
  type ListEnvelope,
  type ListTestCasesQuery,
  NOTIFIED_ROLES,
  type PageQuery,
  type PendingTask,
  ROLE_GROUPS,
  type Role,
  type TestCase,
  type TestCaseSummary,
  type TestSide,
} from '@aegis/contracts';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import { errors } from '../../infra/http';
import { findTechniqueBrief } from '../attack';
import { type AuditActor, recordAudit } from '../audit-logs';
import { coverageAfterNewDraft, recomputeCoverage } from '../coverage';
import type { ResolveNotifications } from '../notifications';
import { activeUserIdsWithRoles, findUsersByIds } from '../users';
import {
  ASSIGNEE_FIELD,
  assigneeChanges,
  assignmentClosed,
  checkTake,
  type WantedAssignees,
} from './assignment';
import {
  assertMayChangeAssignees,
  assigneeNotices,
  assigneesSummary,
  type People,
  personLabel,
  reassign,
  resolveAssignees,
} from './assignment.service';
import { runBulk } from './bulk';
import { movedReason, reassignedSide, VOTE_KINDS, WORKFLOW_KINDS } from './moot';
import {
  findTestCases,
  insertTestCase,
  insertTransition,
  lockTestCase,
  replaceToolResults,
  type TestCaseRow,
  toolResultsOf,
  updateTestCase,
  upsertVote,
  votesOf,
} from './test-cases.queries';
import { listTestViews, pendingViews, type TestViewRow, testRecordReader } from './views.queries';
import { hiddenSides } from './visibility';
import {
  allowedActions,
  bestOutcome,
  canEditSide,
  checkTransition,
  type Outcome,
  reviewOutcome,
  type TestAction,
  type TestState,
  voteSide,
} from './workflow';

export interface Caller {
  userId: string;
  role: Role;
  audit: AuditActor;
}

export interface NotificationItem {
  userIds: string[];
  /** And every active user with one of these roles. */
  roles?: readonly Role[];
  /** None of these users. */
  exceptUserIds?: readonly string[];
  kind: string;
  title: string;
  body?: string;
  entityType?: string;
  entityId?: string;
}
/** Provided by the notifications module: inserts in the caller's transaction, pushes live after commit. */
export type Notify = (tx: Db | Tx, ...items: NotificationItem[]) => Promise<void>;
/** Provided by the notifications module: marks the notifications an action made moot done (moot.ts). */
export type Resolve = (tx: Db | Tx, which: ResolveNotifications) => Promise<number>;

/** A change to one locked test: what to audit, or null when there was nothing to change. */
export type Work = (
  tx: Tx,
  test: TestCaseRow,
) => Promise<{ action: string; summary: Record<string, unknown>; coverage?: boolean } | null>;

const iso = (v: string | Date | null | undefined) => (v ? new Date(v).toISOString() : null);
const userRef = (id: string | null, username: string | null, display: string | null) =>
  id ? { id, username: username ?? '', displayName: display ?? '' } : null;

/** A list row or the head of a detail, as this role may see it (the visibility rule, visibility.ts). */
export function toSummary(r: TestViewRow, role: Role): TestCaseSummary {
  const hidden = hiddenSides(role, r.state as TestState);
  return {
    id: r.id,
    title: r.title,
    state: r.state as TestState,
    technique: { id: r.technique_id, attackId: r.technique_attack_id, name: r.technique_name },
    tactic: r.tactic,
    platform: r.platform,
    outcome: hidden.includes('blue') ? null : (r.outcome as Outcome | null),
    expectedOutcome: r.expected_outcome as Outcome | null,
    assignedRed: userRef(r.red_id, r.red_username, r.red_display),
    assignedBlue: userRef(r.blue_id, r.blue_username, r.blue_display),
    retestNumber: r.retest_number,
    createdAt: iso(r.created_at) ?? '',
    updatedAt: iso(r.updated_at) ?? '',
    validatedAt: iso(r.validated_at),
    hidden,
  };
}

/** Some people, or everyone active in some roles (read by the notification's own insert). */
type Actors = string[] | { roles: Role[] };

/** Everyone who can take the next step, by role (the assigned person when there is one). */
function nextActors(test: TestCaseRow, state: TestState): Actors {
  const byRoles = (roles: readonly Role[]) => ({ roles: [...roles] });
  switch (state) {
    case 'draft':
    case 'red_executing':
      return test.assignedRedId ? [test.assignedRedId] : byRoles(NOTIFIED_ROLES.red);
    case 'blue_evaluating':
      return test.assignedBlueId ? [test.assignedBlueId] : byRoles(NOTIFIED_ROLES.blue);
    case 'in_review':
      return byRoles(NOTIFIED_ROLES.leads);
    case 'rejected':
      return byRoles(NOTIFIED_ROLES.leads);
    case 'validated':
      return [test.assignedRedId, test.assignedBlueId, test.createdBy].filter((x): x is string => Boolean(x));
  }
}

/** A notification's recipients: `actors`, but none of `except`. */
const recipients = (actors: Actors, except: readonly string[]) => ({
  ...(Array.isArray(actors) ? { userIds: actors } : { userIds: [], roles: actors.roles }),
  exceptUserIds: except,
});

/**
 * Everyone but the new assignee was asked for what a (re)assigned side now expects of one person.
 * Called before the assignees are told (so their new notices stay open); the test's assignees after
 * the change, of either side, keep theirs.
 */
async function resolveReassigned(
  tx: Tx,
  resolve: Resolve,
  test: TestCaseRow,
  patch: { assignedRedId?: string | null; assignedBlueId?: string | null },
): Promise<void> {
  const moved = reassignedSide(test.state as TestState, test, patch);
  if (!moved) return;
  const to = await tx.execute<{ username: string }>(
    sql`select username from users where id = ${moved.to}::uuid`,
  );
  await resolve(tx, {
    entityType: 'test_case',
    entityId: test.id,
    kinds: WORKFLOW_KINDS,
    exceptUserIds: [
      moved.to,
      ...[patch.assignedRedId ?? test.assignedRedId, patch.assignedBlueId ?? test.assignedBlueId].filter(
        (id): id is string => Boolean(id),
      ),
    ],
    reason: `reassigned to ${to.rows[0]?.username ?? 'someone else'}`,
  });
}

/** The earliest `detectedAt` among tool results (ISO strings), or null when no tool has one. */
function firstAlert(tools: ReadonlyArray<{ detectedAt?: string | null }>): Date | null {
  const times = tools.flatMap((t) => (t.detectedAt ? [new Date(t.detectedAt).getTime()] : []));
  return times.length === 0 ? null : new Date(Math.min(...times));
}

export function createTestCaseService(deps: {
  db: Db;
  notify: Notify;
  resolve: Resolve;
  /** After a change that moved coverage has committed (analyses that read outcomes follow). */
  afterCoverageChange?: () => Promise<void>;
}) {
  const { db } = deps;
  const findTestRecord = testRecordReader(db);
  const resolveWorkflow = (tx: Tx, id: string, reason: string) =>
    deps.resolve(tx, { entityType: 'test_case', entityId: id, kinds: WORKFLOW_KINDS, reason });

  async function resolveTechnique(tx: Tx, technique: string) {
    const row = await findTechniqueBrief(tx, technique);
    if (!row) throw errors.validation([{ path: 'body.technique', message: `no technique ${technique}` }]);
    if (row.revoked)
      throw errors.validation([
        { path: 'body.technique', message: `${technique} is revoked; test the technique that replaces it` },
      ]);
    return row;
  }

  async function detail(caller: Caller, id: string): Promise<TestCase> {
    const found = await findTestRecord(id);
    if (!found) throw errors.notFound('Test', id);
    const { view, row, lists } = found;
    const { tools, transitions, votes } = lists;
    const people = new Map(lists.people.map((u) => [u.id, u]));
    const state = row.state as TestState;
    const summary = toSummary(view, caller.role);
    // The hidden side's record is left out whole; red's target host and execution window stay, as
    // they say where and when to look, not what red found.
    const redHidden = summary.hidden.includes('red');
    const blueHidden = summary.hidden.includes('blue');
    return {
      ...summary,
      description: row.description,
      templateId: row.templateId,
      createdBy: row.createdBy ? (people.get(row.createdBy) ?? null) : null,
      red: {
        procedure: redHidden ? '' : row.procedure,
        commands: redHidden ? '' : row.commands,
        targetHost: row.targetHost,
        executionStartedAt: iso(row.executionStartedAt),
        executionEndedAt: iso(row.executionEndedAt),
      },
      blue: blueHidden
        ? {
            outcome: null,
            outcomeExplicit: false,
            toolResults: [],
            detectedAt: null,
            detectedAtExplicit: false,
            firedRules: [],
            notes: '',
          }
        : {
            outcome: row.outcome,
            outcomeExplicit: row.outcomeExplicit,
            toolResults: tools.map((t) => ({
              tool: t.tool,
              outcome: t.outcome,
              firstLoggedAt: iso(t.firstLoggedAt),
              detectedAt: iso(t.detectedAt),
              preventedAt: iso(t.preventedAt),
              notes: t.notes,
            })),
            detectedAt: iso(row.detectedAt),
            detectedAtExplicit: row.detectedAtExplicit,
            firedRules: row.firedRules,
            notes: row.blueNotes,
          },
      votes: votes.map((v) => ({
        side: v.side,
        decision: v.decision,
        comment: v.comment,
        voter: people.get(v.voterId) ?? { id: v.voterId, username: '', displayName: '' },
        votedAt: v.votedAt.toISOString(),
      })),
      transitions: transitions.map((t) => ({
        from: t.fromState as TestState | null,
        to: t.toState as TestState,
        action: t.action,
        actor: t.actorId ? (people.get(t.actorId) ?? null) : null,
        comment: t.comment,
        at: t.at.toISOString(),
      })),
      chain: {
        rootId: row.chainRootId ?? row.id,
        retestOfId: row.retestOfId,
        retestNumber: row.retestNumber,
      },
      rejectedAt: iso(row.rejectedAt),
      coverageStatus: view.coverage_status as TestCase['coverageStatus'],
      allowedActions: allowedActions(state, caller.role),
      canVote: state === 'in_review' && ROLE_GROUPS.leads.includes(caller.role),
      canEditRed: canEditSide('red', state, caller.role),
      canEditBlue: canEditSide('blue', state, caller.role),
    };
  }

  /**
   * Inserts a test (or a re-test of `retestOf`, which carries its chain and red procedure forward)
   * with its first transition, audit row, coverage and notification, in the caller's transaction.
   */
  async function insertTest(
    tx: Tx,
    caller: Caller,
    fields: {
      techniqueId: string;
      techniqueLabel: string;
      tactic: string | null;
      templateId: string | null;
      title: string;
      description: string;
      platform: string | null;
      expectedOutcome: Outcome | null;
      assignedRedId: string | null;
      assignedBlueId: string | null;
    },
    technique: { coverageStatus: string | null },
    retestOf?: TestCaseRow,
  ): Promise<string> {
    const { techniqueLabel, ...columns } = fields;
    const id = randomUUID();
    const test = await insertTestCase(
      tx,
      {
        id,
        ...columns,
        createdBy: caller.userId,
        chainRootId: retestOf?.chainRootId ?? id,
        retestOfId: retestOf?.id ?? null,
        retestNumber: retestOf ? retestOf.retestNumber + 1 : 0,
        procedure: retestOf?.procedure ?? '',
        commands: retestOf?.commands ?? '',
        targetHost: retestOf?.targetHost ?? null,
      },
      { fromState: null, toState: 'draft', action: retestOf ? 'retest' : 'create', actorId: caller.userId },
    );
    await recordAudit(tx, caller.audit, {
      action: retestOf ? 'test_case.retest' : 'test_case.create',
      entityType: 'test_case',
      entityId: id,
      summary: {
        title: test.title,
        technique: techniqueLabel,
        retestOf: retestOf?.id,
        ...(fields.assignedRedId || fields.assignedBlueId
          ? { assignees: { red: fields.assignedRedId, blue: fields.assignedBlueId } }
          : {}),
      },
    });
    // A new draft moves only an untested technique (afterNewDraft); its status was read in this
    // transaction, so any other status means there is nothing to change or read.
    if (technique.coverageStatus === 'untested' || technique.coverageStatus === null)
      await coverageAfterNewDraft(tx, fields.techniqueId, id);
    // A new test's assignees hear they were assigned (a re-test's, that it is to be done again);
    // everyone else who can take it, that there is a test to execute. One insert for all.
    const assigned = retestOf ? [] : assigneeChanges(null, fields);
    const told = [caller.userId, ...assigned.flatMap((c) => (c.to ? [c.to] : []))];
    await deps.notify(tx, ...assigneeNotices(caller, test, assigned), {
      ...recipients(nextActors(test, 'draft'), told),
      kind: retestOf ? 'test.retest' : 'test.created',
      title: `${retestOf ? 'Re-test' : 'New test'} to execute: ${test.title}`,
      body: techniqueLabel,
      entityType: 'test_case',
      entityId: id,
    });
    return id;
  }

  /** The automatic re-test of a remediated test (same technique, tactic, platform and people). */
  async function insertRetest(tx: Tx, caller: Caller, test: TestCaseRow): Promise<string> {
    const technique = await findTechniqueBrief(tx, test.techniqueId);
    return insertTest(
      tx,
      caller,
      {
        techniqueId: test.techniqueId,
        techniqueLabel: `${technique?.attack_id ?? ''} ${technique?.name ?? ''}`.trim(),
        tactic: test.tactic,
        templateId: test.templateId,
        title: `Re-test ${test.retestNumber + 1}: ${test.title.replace(/^Re-test \d+: /, '')}`,
        description: test.description,
        platform: test.platform,
        expectedOutcome: test.expectedOutcome,
        assignedRedId: test.assignedRedId,
        assignedBlueId: test.assignedBlueId,
      },
      { coverageStatus: technique?.coverage_status ?? null },
      test,
    );
  }

  /**
   * Runs a change on a locked test in one transaction: its audit row, coverage when it says so.
   * Returns false when the work found nothing to change (no audit row then).
   */
  async function apply(caller: Caller, id: string, work: Work): Promise<boolean> {
    let coverageMoved = false;
    const applied = await db.transaction(async (tx) => {
      const test = await lockTestCase(tx, id);
      if (!test) throw errors.notFound('Test', id);
      const done = await work(tx, test);
      if (!done) return false;
      await recordAudit(tx, caller.audit, {
        action: done.action,
        entityType: 'test_case',
        entityId: id,
        summary: done.summary,
      });
      if (done.coverage) await recomputeCoverage(tx, [test.techniqueId], id);
      coverageMoved = done.coverage === true;
      return true;
    });
    if (coverageMoved) await deps.afterCoverageChange?.();
    return applied;
  }

  /** `apply`, then the test as the caller sees it. */
  async function change(caller: Caller, id: string, work: Work): Promise<TestCase> {
    await apply(caller, id, work);
    return detail(caller, id);
  }

  /**
   * Sets the assignees `wanted` asks for on a test (edit rules: techs change none), telling each
   * new one. `people` are the assignees already resolved (bulk); otherwise they are read here.
   */
  const assignWork =
    (caller: Caller, wanted: WantedAssignees, people?: People): Work =>
    async (tx, test) => {
      if (assignmentClosed(test.state as TestState))
        throw errors.conflict(`A test in state ${test.state.replace(/_/g, ' ')} cannot be reassigned`);
      await resolveReassigned(tx, deps.resolve, test, wanted);
      const { changes, people: known } = await reassign(tx, deps.notify, caller, test, wanted, people);
      if (changes.length === 0) return null;
      return {
        action: 'test_case.assign',
        summary: {
          assignees: assigneesSummary(changes),
          message: changes.map((c) => `${c.side}: ${personLabel(known, c.to)}`).join('; '),
        },
      };
    };

  /** A workflow action on a locked test: checked against state, role and record; next actors told. */
  const transitionWork =
    (caller: Caller, action: TestAction, comment: string): Work =>
    async (tx, test) => {
      const tools = await toolResultsOf(tx, test.id);
      const check = checkTransition(test.state as TestState, action, caller.role, {
        hasRedRecord: test.procedure.trim() !== '' || test.commands.trim() !== '',
        executionStarted: test.executionStartedAt !== null,
        hasBlueOutcome: test.outcome !== null || tools.length > 0,
      });
      if (!check.ok) {
        if (check.reason === 'forbidden') throw errors.forbidden(check.message);
        throw errors.conflict(check.message, { state: test.state, allowed: check.allowed });
      }
      // A reopen starts the next review round: the last round's votes stay with its decision.
      const updated = await updateTestCase(tx, test.id, {
        state: check.to,
        ...(action === 'reopen' ? { rejectedAt: null, reviewRound: test.reviewRound + 1 } : {}),
      });
      await insertTransition(tx, {
        testCaseId: test.id,
        fromState: test.state,
        toState: check.to,
        action,
        actorId: caller.userId,
        comment,
      });
      await resolveWorkflow(tx, test.id, movedReason(check.to, caller.audit.username));
      await deps.notify(tx, {
        ...recipients(nextActors(updated, check.to), [caller.userId]),
        kind: 'test.transition',
        title: `${test.title}: now ${check.to.replace(/_/g, ' ')}`,
        body: comment,
        entityType: 'test_case',
        entityId: test.id,
      });
      return {
        action: `test_case.${action}`,
        summary: { from: test.state, to: check.to, comment },
        coverage: true,
      };
    };

  return {
    detail,
    insertRetest,

    async list(caller: Caller, q: ListTestCasesQuery): Promise<ListEnvelope<TestCaseSummary>> {
      const { rows, ...total } = await listTestViews(db, q, caller.userId);
      return {
        items: rows.map((r) => toSummary(r, caller.role)),
        ...total,
        limit: q.limit,
        offset: q.offset,
      };
    },

    async create(caller: Caller, input: CreateTestCase): Promise<TestCase> {
      assertMayChangeAssignees(caller, assigneeChanges(null, input), 'create');
      // The checks read in the transaction that writes: the technique's coverage read with it is
      // the one this test moves.
      const id = await db.transaction(async (tx) => {
        const technique = await resolveTechnique(tx, input.technique);
        await resolveAssignees(tx, input);
        if (input.tactic && !technique.tactics.includes(input.tactic))
          throw errors.validation([
            {
              path: 'body.tactic',
              message: `${technique.attack_id} belongs to ${technique.tactics.join(', ')}`,
            },
          ]);
        return insertTest(
          tx,
          caller,
          {
            techniqueId: technique.id,
            techniqueLabel: `${technique.attack_id} ${technique.name}`,
            tactic: input.tactic ?? (technique.tactics.length === 1 ? (technique.tactics[0] ?? null) : null),
            templateId: input.templateId ?? null,
            title: input.title,
            description: input.description,
            platform: input.platform ?? null,
            expectedOutcome: input.expectedOutcome ?? null,
            assignedRedId: input.assignedRedId ?? null,
            assignedBlueId: input.assignedBlueId ?? null,
          },
          { coverageStatus: technique.coverage_status },
        );
      });
      return detail(caller, id);
    },

    /**
     * Edits a test's fields and assignees. Assignees change by the edit rules (leads and admins;
     * each new one told); the audit row lists the fields and the assignee changes.
     */
    async update(
      caller: Caller,
      id: string,
      patch: Record<string, unknown> & WantedAssignees,
    ): Promise<TestCase> {
      const { assignedRedId, assignedBlueId, ...fields } = patch;
      const wanted = { assignedRedId, assignedBlueId };
      return change(caller, id, async (tx, test) => {
        if (assignmentClosed(test.state as TestState))
          throw errors.conflict(`A test in state ${test.state} cannot be edited`);
        const mayEdit = ROLE_GROUPS.leads.includes(caller.role) || test.createdBy === caller.userId;
        if (!mayEdit) throw errors.forbidden('Only the test author, a lead or an admin can edit it');
        await resolveReassigned(tx, deps.resolve, test, wanted);
        const { changes } = await reassign(tx, deps.notify, caller, test, wanted);
        await updateTestCase(tx, id, fields);
        return {
          action: 'test_case.update',
          summary: {
            fields: Object.keys(patch).filter((k) => patch[k] !== undefined),
            ...(changes.length > 0 ? { assignees: assigneesSummary(changes) } : {}),
          },
        };
      });
    },

    /** The caller becomes the assignee of a free side of its team (409 if someone holds it). */
    async take(caller: Caller, id: string, side: TestSide): Promise<TestCase> {
      return change(caller, id, async (tx, test) => {
        const field = ASSIGNEE_FIELD[side];
        const holder = test[field];
        const check = checkTake(side, test.state as TestState, holder, caller);
        if (!check.ok) {
          if (check.reason === 'forbidden') throw errors.forbidden(check.message, { field: 'body.side' });
          if (check.reason === 'held' && holder) {
            const people = new Map((await findUsersByIds(tx, [holder])).map((u) => [u.id, u]));
            throw errors.conflict(`The ${side} side is already assigned to ${personLabel(people, holder)}`, {
              field: 'body.side',
              assigneeId: holder,
            });
          }
          throw errors.conflict(check.message, { state: test.state });
        }
        if (check.already) return null;
        await updateTestCase(tx, id, { [field]: caller.userId });
        await resolveReassigned(tx, deps.resolve, test, { [field]: caller.userId });
        return {
          action: 'test_case.take',
          summary: { side, assignees: assigneesSummary([{ side, from: null, to: caller.userId }]) },
        };
      });
    },

    /** One action on many tests, each in its own transaction by the single-test rules (bulk.ts). */
    async bulk(caller: Caller, request: BulkTestRequest): Promise<BulkTestResponse> {
      const people =
        request.action === 'assign' ? await resolveAssignees(db, request) : (new Map() as People);
      return runBulk({
        tests: await findTestCases(db, request.ids),
        request,
        people,
        apply: (id, work) => apply(caller, id, work),
        assign: assignWork(caller, request, people),
        startExecution: transitionWork(caller, 'start_execution', ''),
      });
    },

    async recordRed(caller: Caller, id: string, body: Record<string, unknown>): Promise<TestCase> {
      return change(caller, id, async (tx, test) => {
        if (!canEditSide('red', test.state as TestState, caller.role))
          throw errors.conflict(`The red side cannot be edited by ${caller.role} in state ${test.state}`);
        const start = body.executionStartedAt as string | null | undefined;
        const end = body.executionEndedAt as string | null | undefined;
        const startAt = start === undefined ? test.executionStartedAt : start ? new Date(start) : null;
        const endAt = end === undefined ? test.executionEndedAt : end ? new Date(end) : null;
        if (startAt && endAt && endAt < startAt)
          throw errors.validation([
            { path: 'body.executionEndedAt', message: 'is before the execution start' },
          ]);
        await updateTestCase(tx, id, {
          ...(body.procedure !== undefined ? { procedure: body.procedure as string } : {}),
          ...(body.commands !== undefined ? { commands: body.commands as string } : {}),
          ...(body.targetHost !== undefined ? { targetHost: body.targetHost as string | null } : {}),
          ...(body.platform !== undefined ? { platform: body.platform as string } : {}),
          executionStartedAt: startAt,
          executionEndedAt: endAt,
        });
        return { action: 'test_case.red_record', summary: { fields: Object.keys(body) } };
      });
    },

    async recordBlue(caller: Caller, id: string, body: Record<string, unknown>): Promise<TestCase> {
      return change(caller, id, async (tx, test) => {
        if (!canEditSide('blue', test.state as TestState, caller.role))
          throw errors.conflict(`The blue side cannot be edited by ${caller.role} in state ${test.state}`);
        const tools = body.toolResults as
          | Array<{
              tool: string;
              outcome: Outcome;
              firstLoggedAt?: string | null;
              detectedAt?: string | null;
              preventedAt?: string | null;
              notes: string;
            }>
          | undefined;
        if (tools) {
          const names = tools.map((t) => t.tool.toLowerCase());
          const dup = names.find((n, i) => names.indexOf(n) !== i);
          if (dup)
            throw errors.validation([{ path: 'body.toolResults', message: `tool ${dup} is listed twice` }]);
          await replaceToolResults(
            tx,
            id,
            tools.map((t) => ({
              tool: t.tool,
              outcome: t.outcome,
              firstLoggedAt: t.firstLoggedAt ? new Date(t.firstLoggedAt) : null,
              detectedAt: t.detectedAt ? new Date(t.detectedAt) : null,
              preventedAt: t.preventedAt ? new Date(t.preventedAt) : null,
              notes: t.notes,
            })),
          );
        }
        const currentTools =
          tools ??
          (await toolResultsOf(tx, id)).map((t) => ({
            outcome: t.outcome,
            detectedAt: t.detectedAt?.toISOString() ?? null,
          }));
        const explicit = body.outcome !== undefined ? body.outcome !== null : test.outcomeExplicit;
        const outcome = explicit
          ? ((body.outcome as Outcome | undefined) ?? test.outcome)
          : bestOutcome(currentTools.map((t) => t.outcome));
        // The first alert (spec §2.2): the earliest tool alert, unless blue sets it (null hands it back).
        const detectedExplicit =
          body.detectedAt !== undefined ? body.detectedAt !== null : test.detectedAtExplicit;
        const detectedAt = detectedExplicit
          ? body.detectedAt
            ? new Date(body.detectedAt as string)
            : test.detectedAt
          : firstAlert(currentTools);
        await updateTestCase(tx, id, {
          outcome,
          outcomeExplicit: explicit,
          detectedAt,
          detectedAtExplicit: detectedExplicit,
          ...(body.firedRules !== undefined
            ? { firedRules: body.firedRules as Array<{ ruleId?: string; name: string }> }
            : {}),
          ...(body.notes !== undefined ? { blueNotes: body.notes as string } : {}),
        });
        return { action: 'test_case.blue_record', summary: { fields: Object.keys(body), outcome } };
      });
    },

    async transition(caller: Caller, id: string, action: TestAction, comment: string): Promise<TestCase> {
      return change(caller, id, transitionWork(caller, action, comment));
    },

    /** A lead's vote; row-locked so simultaneous votes serialise into one consistent outcome. */
    async vote(
      caller: Caller,
      id: string,
      input: { decision: 'approve' | 'reject'; comment: string; side?: 'red' | 'blue' },
    ): Promise<TestCase> {
      const side = voteSide(caller.role, input.side);
      if (!side) {
        if (caller.role === 'admin')
          throw errors.validation([
            { path: 'body.side', message: 'admins must say which side they vote for' },
          ]);
        throw errors.forbidden(`The ${caller.role} role does not vote`);
      }
      return change(caller, id, async (tx, test) => {
        const existing = await votesOf(tx, id);
        // A reject decides at once; the other lead's vote of the same round (often cast at the same
        // instant) is still recorded, without changing the outcome.
        const lateVote = test.state === 'rejected' && !existing.some((v) => v.side === side);
        if (test.state !== 'in_review' && !lateVote)
          throw errors.conflict(`Votes are cast in review; this test is ${test.state}`, {
            state: test.state,
            allowed: allowedActions(test.state as TestState, caller.role),
          });
        await upsertVote(tx, {
          testCaseId: id,
          round: test.reviewRound,
          side,
          voterId: caller.userId,
          decision: input.decision,
          comment: input.comment,
        });
        if (lateVote) {
          // The decided round's record changed (lead agreement reads it): the test was touched.
          await updateTestCase(tx, id, {});
          return {
            action: 'test_case.vote',
            summary: {
              side,
              decision: input.decision,
              comment: input.comment,
              result: 'rejected',
              late: true,
            },
          };
        }
        const votes = await votesOf(tx, id);
        const next = reviewOutcome(votes.map((v) => ({ side: v.side, decision: v.decision })));
        if (next !== 'in_review') {
          const updated = await updateTestCase(tx, id, {
            state: next,
            ...(next === 'validated' ? { validatedAt: new Date() } : { rejectedAt: new Date() }),
          });
          await insertTransition(tx, {
            testCaseId: id,
            fromState: 'in_review',
            toState: next,
            action: 'review',
            reviewRound: test.reviewRound,
            actorId: caller.userId,
            comment: votes
              .map((v) => `${v.side} ${v.decision}${v.comment ? `: ${v.comment}` : ''}`)
              .join('; '),
          });
          await resolveWorkflow(tx, id, movedReason(next, caller.audit.username));
          await deps.notify(tx, {
            ...recipients(nextActors(updated, next), [caller.userId]),
            kind: 'test.reviewed',
            title: `${test.title} was ${next}`,
            entityType: 'test_case',
            entityId: id,
          });
        } else {
          // This side has voted: its leads' "vote needed" is done (the other side is asked below).
          const voters = await tx.execute<{ id: string }>(
            sql`select id from users where role = ${`${side}_lead`}`,
          );
          await deps.resolve(tx, {
            entityType: 'test_case',
            entityId: id,
            kinds: VOTE_KINDS,
            userIds: [caller.userId, ...voters.rows.map((u) => u.id)],
            reason: `${side} vote cast by ${caller.audit.username}`,
          });
          const other = side === 'red' ? 'blue_lead' : 'red_lead';
          await deps.notify(tx, {
            userIds: await activeUserIdsWithRoles(tx, [other]),
            kind: 'test.vote',
            title: `${test.title}: the ${side} lead ${input.decision === 'approve' ? 'approved' : 'rejected'}; your vote is needed`,
            entityType: 'test_case',
            entityId: id,
          });
        }
        return {
          action: 'test_case.vote',
          summary: { side, decision: input.decision, comment: input.comment, result: next },
          coverage: next !== 'in_review',
        };
      });
    },

    async pending(caller: Caller, page: PageQuery): Promise<ListEnvelope<PendingTask>> {
      const { rows, ...total } = await pendingViews(db, { id: caller.userId, role: caller.role }, page);
      const words = {
        execute: 'Execute the technique and record the red side',
        evaluate: 'Record what the defences saw',
        vote: 'Review the evidence and vote',
        rework: 'Rejected: reopen it for rework',
      } as const;
      return {
        items: rows.map((r) => ({ kind: r.kind, test: toSummary(r, caller.role), detail: words[r.kind] })),
        ...total,
        limit: page.limit,
        offset: page.offset,
      };
    },
  };
}
export type TestCaseService = ReturnType<typeof createTestCaseService>;
