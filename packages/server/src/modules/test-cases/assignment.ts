import { ROLE_GROUPS, type Role, SIDE_ROLES, type TestSide } from '@aegis/contracts';
import type { TestState } from './workflow';

/**
 * Who holds the red and the blue side of a test, as rules. Pure: callers pass roles, states and
 * ids; the answer is what may change or why not. Leads and admins assign anyone who may hold a side
 * (`SIDE_ROLES`); a tech takes a free side of its own team for itself.
 */
export const SIDES: readonly TestSide[] = ['red', 'blue'];
export const ASSIGNEE_FIELD = { red: 'assignedRedId', blue: 'assignedBlueId' } as const satisfies Record<
  TestSide,
  string
>;

/** The assignees asked for: a side left out stays as it is; null frees it. */
export type WantedAssignees = { assignedRedId?: string | null; assignedBlueId?: string | null };
export interface AssigneeChange {
  side: TestSide;
  from: string | null;
  to: string | null;
}

export const mayHold = (role: Role, side: TestSide): boolean => SIDE_ROLES[side].includes(role);

/** Past this point nobody is (re)assigned: the work is done or being judged. */
export const assignmentClosed = (state: TestState): boolean =>
  state === 'in_review' || state === 'validated' || state === 'rejected';

/** What `wanted` changes on a test holding `current` (a new test holds nobody). */
export function assigneeChanges(
  current: { assignedRedId: string | null; assignedBlueId: string | null } | null,
  wanted: WantedAssignees,
): AssigneeChange[] {
  return SIDES.flatMap((side) => {
    const field = ASSIGNEE_FIELD[side];
    const to = wanted[field];
    const from = current?.[field] ?? null;
    return to === undefined || to === from ? [] : [{ side, from, to }];
  });
}

/**
 * The changes this caller may not make. Leads and admins may make any. A tech creating a test may
 * put itself on its own side (taking it at once); otherwise techs change no assignee (they take).
 */
export function refusedChanges(
  caller: { userId: string; role: Role },
  changes: readonly AssigneeChange[],
  how: 'create' | 'edit',
): AssigneeChange[] {
  if (ROLE_GROUPS.leads.includes(caller.role)) return [];
  const takesAtCreation = (c: AssigneeChange) =>
    how === 'create' && c.from === null && c.to === caller.userId && mayHold(caller.role, c.side);
  return changes.filter((c) => !takesAtCreation(c));
}

export type TakeCheck =
  | { ok: true; already: boolean }
  | { ok: false; reason: 'forbidden' | 'finished' | 'held'; message: string };

/** May this caller take `side` of a test in `state` whose side `holder` holds (null: nobody)? */
export function checkTake(
  side: TestSide,
  state: TestState,
  holder: string | null,
  caller: { userId: string; role: Role },
): TakeCheck {
  if (!mayHold(caller.role, side))
    return {
      ok: false,
      reason: 'forbidden',
      message: `The ${caller.role} role cannot take the ${side} side`,
    };
  if (assignmentClosed(state))
    return {
      ok: false,
      reason: 'finished',
      message: `A test in state ${state.replace(/_/g, ' ')} cannot be taken`,
    };
  if (holder !== null && holder !== caller.userId)
    return { ok: false, reason: 'held', message: `The ${side} side is already assigned` };
  return { ok: true, already: holder === caller.userId };
}
