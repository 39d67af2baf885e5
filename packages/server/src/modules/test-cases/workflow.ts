import { ROLE_GROUPS, type Role } from '@aegis/contracts';

/**
 * The red/blue validation state machine, as data. Pure: callers pass the test's state, the actor's
 * role and what the test holds; the answer is the next state or why not.
 */
export type TestState =
  | 'draft'
  | 'red_executing'
  | 'blue_evaluating'
  | 'in_review'
  | 'validated'
  | 'rejected';
export type TestAction = 'start_execution' | 'submit_to_blue' | 'submit_for_review' | 'reopen';
export type Outcome = 'prevented' | 'detected' | 'logged' | 'not_detected';

interface TransitionRule {
  from: TestState;
  to: TestState;
  roles: readonly Role[];
  /** What the test must hold first; returns the missing pieces in words. */
  requires?: (facts: TestFacts) => string[];
}

export interface TestFacts {
  hasRedRecord: boolean;
  executionStarted: boolean;
  hasBlueOutcome: boolean;
}

export const TRANSITIONS: Record<TestAction, TransitionRule> = {
  start_execution: { from: 'draft', to: 'red_executing', roles: ROLE_GROUPS.red },
  submit_to_blue: {
    from: 'red_executing',
    to: 'blue_evaluating',
    roles: ROLE_GROUPS.red,
    requires: (f) => [
      ...(f.hasRedRecord ? [] : ['the procedure or commands executed']),
      ...(f.executionStarted ? [] : ['the execution start time']),
    ],
  },
  submit_for_review: {
    from: 'blue_evaluating',
    to: 'in_review',
    roles: ROLE_GROUPS.blue,
    requires: (f) => (f.hasBlueOutcome ? [] : ['an outcome (overall or per defensive tool)']),
  },
  reopen: { from: 'rejected', to: 'draft', roles: ROLE_GROUPS.leads },
};

export type TransitionCheck =
  | { ok: true; to: TestState }
  | { ok: false; reason: 'forbidden' | 'illegal' | 'incomplete'; message: string; allowed: TestAction[] };

/** The actions this role may take on a test in this state (shown in the UI, returned with a 409). */
export function allowedActions(state: TestState, role: Role): TestAction[] {
  return (Object.entries(TRANSITIONS) as Array<[TestAction, TransitionRule]>)
    .filter(([, r]) => r.from === state && r.roles.includes(role))
    .map(([a]) => a);
}

export function checkTransition(
  state: TestState,
  action: TestAction,
  role: Role,
  facts: TestFacts,
): TransitionCheck {
  const rule = TRANSITIONS[action];
  const allowed = allowedActions(state, role);
  if (!rule.roles.includes(role))
    return {
      ok: false,
      reason: 'forbidden',
      message: `The ${role} role cannot ${action.replace(/_/g, ' ')}`,
      allowed,
    };
  if (rule.from !== state)
    return {
      ok: false,
      reason: 'illegal',
      message: `Cannot ${action.replace(/_/g, ' ')} a test in state ${state}`,
      allowed,
    };
  const missing = rule.requires?.(facts) ?? [];
  if (missing.length > 0)
    return { ok: false, reason: 'incomplete', message: `Record ${missing.join(' and ')} first`, allowed };
  return { ok: true, to: rule.to };
}

/** Which side a lead votes for; admins name the side. */
export function voteSide(role: Role, requested?: 'red' | 'blue'): 'red' | 'blue' | undefined {
  if (role === 'red_lead') return 'red';
  if (role === 'blue_lead') return 'blue';
  if (role === 'admin') return requested;
  return undefined;
}

/** Dual validation: both approve → validated; any reject → rejected; otherwise stay in review. */
export function reviewOutcome(
  votes: Array<{ side: 'red' | 'blue'; decision: 'approve' | 'reject' }>,
): TestState {
  if (votes.some((v) => v.decision === 'reject')) return 'rejected';
  const approved = new Set(votes.filter((v) => v.decision === 'approve').map((v) => v.side));
  return approved.has('red') && approved.has('blue') ? 'validated' : 'in_review';
}

/** Best first: prevented > detected > logged > not_detected. */
export const OUTCOME_RANK: Record<Outcome, number> = {
  prevented: 3,
  detected: 2,
  logged: 1,
  not_detected: 0,
};

export function bestOutcome(outcomes: Outcome[]): Outcome | null {
  return outcomes.reduce<Outcome | null>(
    (best, o) => (best === null || OUTCOME_RANK[o] > OUTCOME_RANK[best] ? o : best),
    null,
  );
}

/** Which team's fields a role may edit in a state. */
export function canEditSide(side: 'red' | 'blue', state: TestState, role: Role): boolean {
  if (side === 'red') return ['draft', 'red_executing'].includes(state) && ROLE_GROUPS.red.includes(role);
  return state === 'blue_evaluating' && ROLE_GROUPS.blue.includes(role);
}
