import type { TestState } from './workflow';

/**
 * Which notifications an action makes moot. Pure: the service resolves what these say, in the
 * action's transaction (notifications module `resolve`), before it sends the next ones.
 *
 * Every workflow notification of a test asks its recipients to act in the state it was sent in
 * (execute, evaluate, vote, rework), so a move to another state makes all earlier ones moot.
 */
export const WORKFLOW_KINDS = [
  'test.created',
  'test.retest',
  'test.assigned',
  'test.transition',
  'test.vote',
  'test.reviewed',
] as const;

/** What a lead's review asks: the "now in review" transition and the other lead's "your vote is needed". */
export const VOTE_KINDS = ['test.transition', 'test.vote'] as const;

export const REMEDIATION_KINDS = ['remediation.assigned'] as const;

const words = (state: TestState) => state.replace(/_/g, ' ');

/** The reason a state change gives the notifications it makes moot. */
export function movedReason(to: TestState, by: string): string {
  if (to === 'validated' || to === 'rejected') return `test ${to}`;
  return `moved to ${words(to)} by ${by}`;
}

/** The states in which a side's assignee is the one asked to act. */
const SIDE_STATES: Record<'red' | 'blue', readonly TestState[]> = {
  red: ['draft', 'red_executing'],
  blue: ['blue_evaluating'],
};

/**
 * A side (re)assigned to someone else while that side is the one asked to act: the people notified
 * before, but the new assignee, have nothing left to do. Unassigning (null) makes nobody's moot: the
 * test is open to the whole team again.
 */
export function reassignedSide(
  state: TestState,
  before: { assignedRedId: string | null; assignedBlueId: string | null },
  patch: { assignedRedId?: string | null; assignedBlueId?: string | null },
): { side: 'red' | 'blue'; to: string } | undefined {
  for (const side of ['red', 'blue'] as const) {
    const to = side === 'red' ? patch.assignedRedId : patch.assignedBlueId;
    const from = side === 'red' ? before.assignedRedId : before.assignedBlueId;
    if (to && to !== from && SIDE_STATES[side].includes(state)) return { side, to };
  }
  return undefined;
}
