import type { Role } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  bestOutcome,
  canEditSide,
  checkTransition,
  reviewOutcome,
  type TestAction,
  type TestState,
  voteSide,
} from './workflow';

const full = { hasRedRecord: true, executionStarted: true, hasBlueOutcome: true };

describe('transitions', () => {
  it.each<[TestState, TestAction, Role, TestState | string]>([
    ['draft', 'start_execution', 'red_tech', 'red_executing'],
    ['draft', 'start_execution', 'red_lead', 'red_executing'],
    ['draft', 'start_execution', 'admin', 'red_executing'],
    ['draft', 'start_execution', 'blue_tech', 'forbidden'],
    ['draft', 'start_execution', 'viewer', 'forbidden'],
    ['red_executing', 'submit_to_blue', 'red_tech', 'blue_evaluating'],
    ['red_executing', 'submit_to_blue', 'blue_lead', 'forbidden'],
    ['blue_evaluating', 'submit_for_review', 'blue_tech', 'in_review'],
    ['blue_evaluating', 'submit_for_review', 'red_tech', 'forbidden'],
    ['rejected', 'reopen', 'red_lead', 'draft'],
    ['rejected', 'reopen', 'blue_lead', 'draft'],
    ['rejected', 'reopen', 'red_tech', 'forbidden'],
    ['draft', 'submit_to_blue', 'red_tech', 'illegal'],
    ['validated', 'reopen', 'admin', 'illegal'],
    ['in_review', 'submit_for_review', 'blue_tech', 'illegal'],
  ])('%s --%s (%s)--> %s', (state, action, role, expected) => {
    const r = checkTransition(state, action, role, full);
    expect(r.ok ? r.to : r.reason).toBe(expected);
  });

  it('requires the red record before blue, and an outcome before review', () => {
    const noRed = checkTransition('red_executing', 'submit_to_blue', 'red_tech', {
      ...full,
      hasRedRecord: false,
      executionStarted: false,
    });
    expect(noRed).toMatchObject({
      ok: false,
      reason: 'incomplete',
      message: 'Record the procedure or commands executed and the execution start time first',
    });
    const noBlue = checkTransition('blue_evaluating', 'submit_for_review', 'blue_tech', {
      ...full,
      hasBlueOutcome: false,
    });
    expect(noBlue).toMatchObject({ ok: false, reason: 'incomplete' });
  });

  it('lists the actions allowed to a role in a state', () => {
    expect(allowedActions('draft', 'red_tech')).toEqual(['start_execution']);
    expect(allowedActions('draft', 'viewer')).toEqual([]);
    expect(allowedActions('rejected', 'admin')).toEqual(['reopen']);
  });
});

describe('dual validation', () => {
  it.each<[Array<{ side: 'red' | 'blue'; decision: 'approve' | 'reject' }>, TestState]>([
    [[], 'in_review'],
    [[{ side: 'red', decision: 'approve' }], 'in_review'],
    [[{ side: 'blue', decision: 'approve' }], 'in_review'],
    [
      [
        { side: 'red', decision: 'approve' },
        { side: 'blue', decision: 'approve' },
      ],
      'validated',
    ],
    [[{ side: 'red', decision: 'reject' }], 'rejected'],
    [
      [
        { side: 'red', decision: 'approve' },
        { side: 'blue', decision: 'reject' },
      ],
      'rejected',
    ],
  ])('%j → %s', (votes, expected) => {
    expect(reviewOutcome(votes)).toBe(expected);
  });

  it('maps leads to their side', () => {
    expect(voteSide('red_lead')).toBe('red');
    expect(voteSide('blue_lead', 'red')).toBe('blue');
    expect(voteSide('admin', 'blue')).toBe('blue');
    expect(voteSide('admin')).toBeUndefined();
    expect(voteSide('red_tech')).toBeUndefined();
  });
});

describe('outcomes and editing', () => {
  it('ranks outcomes best first', () => {
    expect(bestOutcome(['logged', 'detected', 'not_detected'])).toBe('detected');
    expect(bestOutcome(['not_detected', 'prevented'])).toBe('prevented');
    expect(bestOutcome([])).toBeNull();
  });

  it('lets each team edit its side only while it is its turn', () => {
    expect(canEditSide('red', 'red_executing', 'red_tech')).toBe(true);
    expect(canEditSide('red', 'blue_evaluating', 'red_tech')).toBe(false);
    expect(canEditSide('blue', 'blue_evaluating', 'blue_tech')).toBe(true);
    expect(canEditSide('blue', 'blue_evaluating', 'red_tech')).toBe(false);
    expect(canEditSide('blue', 'in_review', 'blue_lead')).toBe(false);
  });
});
