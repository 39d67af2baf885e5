import { describe, expect, it } from 'vitest';
import { movedReason, reassignedSide } from './moot';

describe('what an action makes moot', () => {
  const before = { assignedRedId: 'r1', assignedBlueId: null };
  it.each([
    ['draft', { assignedRedId: 'r2' }, { side: 'red', to: 'r2' }],
    ['red_executing', { assignedRedId: 'r2' }, { side: 'red', to: 'r2' }],
    ['red_executing', { assignedRedId: 'r1' }, undefined], // the same person: nothing changes
    ['red_executing', { assignedRedId: null }, undefined], // open to the whole team again
    ['blue_evaluating', { assignedRedId: 'r2' }, undefined], // red is not asked to act any more
    ['blue_evaluating', { assignedBlueId: 'b1' }, { side: 'blue', to: 'b1' }],
    ['draft', { assignedBlueId: 'b1' }, undefined], // blue is not asked yet
  ] as const)('in %s, %o → %o', (state, patch, expected) => {
    expect(reassignedSide(state, before, patch)).toEqual(expected);
  });

  it('names the state a test moved to, or how it was decided', () => {
    expect(movedReason('blue_evaluating', 'alice')).toBe('moved to blue evaluating by alice');
    expect(movedReason('validated', 'bob')).toBe('test validated');
    expect(movedReason('rejected', 'bob')).toBe('test rejected');
  });
});
