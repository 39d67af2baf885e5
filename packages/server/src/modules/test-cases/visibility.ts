import { ROLE_GROUPS, type Role, type TestSide, type TestState, teamOf } from '@aegis/contracts';

const BOTH: readonly TestSide[] = ['red', 'blue'];
const REVIEWED: readonly TestState[] = ['validated', 'rejected'];

/**
 * Which sides of a test a role sees — its evidence and its record (red's procedure and commands;
 * blue's outcome, per-tool results, rules and notes). While a test is in flight each team works
 * blind to the other (so blue's verdict is not steered by red's notes, nor red's by blue's); leads
 * and admins see both; viewers see neither until the review is over, when everyone sees everything.
 */
export function visibleSides(role: Role, state: TestState): readonly TestSide[] {
  if (REVIEWED.includes(state)) return BOTH;
  if (ROLE_GROUPS.leads.includes(role)) return BOTH;
  const team = teamOf(role);
  return team ? [team] : [];
}

/** The sides a role does not see yet (what the web says is "hidden until review"). */
export function hiddenSides(role: Role, state: TestState): TestSide[] {
  const visible = visibleSides(role, state);
  return BOTH.filter((side) => !visible.includes(side));
}
