import type { Role, TestSide, TestState } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { assigneeChanges, checkTake, refusedChanges } from './assignment';

const me = 'me-id';
const other = 'other-id';

describe('what an assignment changes', () => {
  it('leaves out the sides not asked for and the ones already as asked', () => {
    expect(assigneeChanges({ assignedRedId: me, assignedBlueId: null }, { assignedRedId: me })).toEqual([]);
    expect(
      assigneeChanges(
        { assignedRedId: me, assignedBlueId: null },
        { assignedRedId: null, assignedBlueId: other },
      ),
    ).toEqual([
      { side: 'red', from: me, to: null },
      { side: 'blue', from: null, to: other },
    ]);
    expect(assigneeChanges(null, { assignedBlueId: other })).toEqual([
      { side: 'blue', from: null, to: other },
    ]);
  });
});

describe('who may change an assignee', () => {
  it.each<[Role, 'create' | 'edit', TestSide, string | null, string | null, boolean]>([
    ['red_lead', 'edit', 'blue', null, other, true],
    ['blue_lead', 'edit', 'red', me, other, true],
    ['admin', 'edit', 'red', other, null, true],
    ['red_tech', 'edit', 'red', null, other, false],
    ['red_tech', 'edit', 'red', null, me, false],
    ['red_tech', 'create', 'red', null, me, true],
    ['red_tech', 'create', 'red', null, other, false],
    ['red_tech', 'create', 'blue', null, me, false],
    ['blue_tech', 'edit', 'blue', other, null, false],
  ])('%s on %s: %s %s → %s allowed: %s', (role, how, side, from, to, allowed) => {
    const refused = refusedChanges({ userId: me, role }, [{ side, from, to }], how);
    expect(refused.length === 0).toBe(allowed);
  });
});

describe('taking a side', () => {
  it.each<[Role, TestSide, TestState, string | null, string]>([
    ['red_tech', 'red', 'draft', null, 'taken'],
    ['red_lead', 'red', 'red_executing', null, 'taken'],
    ['admin', 'blue', 'blue_evaluating', null, 'taken'],
    ['blue_tech', 'blue', 'draft', me, 'already'],
    ['blue_tech', 'red', 'draft', null, 'forbidden'],
    ['red_lead', 'blue', 'draft', null, 'forbidden'],
    ['viewer', 'red', 'draft', null, 'forbidden'],
    ['red_tech', 'red', 'draft', other, 'held'],
    ['red_tech', 'red', 'in_review', null, 'finished'],
    ['blue_tech', 'blue', 'validated', null, 'finished'],
    ['red_tech', 'red', 'rejected', me, 'finished'],
  ])('%s takes %s in %s (holder %s): %s', (role, side, state, holder, expected) => {
    const r = checkTake(side, state, holder, { userId: me, role });
    expect(r.ok ? (r.already ? 'already' : 'taken') : r.reason).toBe(expected);
  });
});
