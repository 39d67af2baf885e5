import { SIDE_ROLES } from '@aegis/contracts';
import type { Db, Tx } from '../../infra/db';
import { errors } from '../../infra/http';
import { findUsersByIds, type UserBrief } from '../users';
import {
  ASSIGNEE_FIELD,
  type AssigneeChange,
  assigneeChanges,
  mayHold,
  refusedChanges,
  SIDES,
  type WantedAssignees,
} from './assignment';
import { type TestCaseRow, updateTestCase } from './test-cases.queries';
import type { Caller, NotificationItem, Notify } from './test-cases.service';

export type People = ReadonlyMap<string, UserBrief>;

/**
 * The people `wanted` names, each checked to be an active user who may hold that side (400 naming
 * the field otherwise), in one query.
 */
export async function resolveAssignees(db: Db | Tx, wanted: WantedAssignees): Promise<People> {
  const ids = SIDES.map((side) => wanted[ASSIGNEE_FIELD[side]]).filter((id): id is string => Boolean(id));
  const people = new Map((await findUsersByIds(db, ids)).map((u) => [u.id, u]));
  const issues = SIDES.flatMap((side) => {
    const id = wanted[ASSIGNEE_FIELD[side]];
    const user = id ? people.get(id) : undefined;
    if (!id || (user?.active && mayHold(user.role, side))) return [];
    return [
      {
        path: `body.${ASSIGNEE_FIELD[side]}`,
        message: `must be an active user with role ${SIDE_ROLES[side].join(' or ')}`,
      },
    ];
  });
  if (issues.length > 0) throw errors.validation(issues);
  return people;
}

/** 403 naming the first field this caller may not change (techs take; leads and admins assign). */
export function assertMayChangeAssignees(
  caller: Caller,
  changes: readonly AssigneeChange[],
  how: 'create' | 'edit',
): void {
  const refused = refusedChanges(caller, changes, how);
  const first = refused[0];
  if (!first) return;
  const fields = refused.map((c) => `body.${ASSIGNEE_FIELD[c.side]}`);
  throw errors.forbidden(
    how === 'create'
      ? `Only leads and admins assign others (${fields.join(', ')}); a tech may assign only itself, on its own side`
      : `Only leads and admins change the assignees (${fields.join(', ')}); take a free side of your team instead`,
    { field: fields[0], fields },
  );
}

/** `Alice R (alice)`, or `nobody`. */
export const personLabel = (people: People, id: string | null): string => {
  if (!id) return 'nobody';
  const u = people.get(id);
  return u ? `${u.displayName} (${u.username})` : id;
};

/** The audit summary of assignee changes: `{red: {from, to}}`. */
export const assigneesSummary = (changes: readonly AssigneeChange[]) =>
  Object.fromEntries(changes.map((c) => [c.side, { from: c.from, to: c.to }]));

/** What each new assignee is told, unless they assigned themselves. */
export function assigneeNotices(
  caller: Caller,
  test: { id: string; title: string },
  changes: readonly AssigneeChange[],
): NotificationItem[] {
  return changes.flatMap((c) =>
    c.to && c.to !== caller.userId
      ? [
          {
            userIds: [c.to],
            kind: 'test.assigned',
            title: `You are the ${c.side} person of ${test.title}`,
            body: `Assigned by ${caller.audit.username}`,
            entityType: 'test_case',
            entityId: test.id,
          },
        ]
      : [],
  );
}

/** Tells each new assignee, unless they assigned themselves, in the caller's transaction. */
export async function notifyAssignees(
  tx: Tx,
  notify: Notify,
  caller: Caller,
  test: { id: string; title: string },
  changes: readonly AssigneeChange[],
): Promise<void> {
  const items = assigneeNotices(caller, test, changes);
  if (items.length > 0) await notify(tx, ...items);
}

/**
 * Makes the assignee changes `wanted` asks of a locked test, by the edit rules (403 for a tech, 400
 * for someone who may not hold the side), and tells each new assignee. `people`: the assignees
 * already resolved (bulk); otherwise they are read here. Returns the changes (none: nothing written).
 */
export async function reassign(
  tx: Tx,
  notify: Notify,
  caller: Caller,
  test: TestCaseRow,
  wanted: WantedAssignees,
  people?: People,
): Promise<{ changes: AssigneeChange[]; people: People }> {
  const changes = assigneeChanges(test, wanted);
  if (changes.length === 0) return { changes, people: people ?? new Map() };
  assertMayChangeAssignees(caller, changes, 'edit');
  const known = people ?? (await resolveAssignees(tx, wanted));
  await updateTestCase(tx, test.id, Object.fromEntries(changes.map((c) => [ASSIGNEE_FIELD[c.side], c.to])));
  await notifyAssignees(tx, notify, caller, test, changes);
  return { changes, people: known };
}
