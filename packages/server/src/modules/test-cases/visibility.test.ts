import type { Role, TestState } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { hiddenSides } from './visibility';

describe('which sides of a test each role does not see', () => {
  const inFlight: TestState[] = ['draft', 'red_executing', 'blue_evaluating', 'in_review'];
  it.each<[Role, string[]]>([
    ['red_tech', ['blue']],
    ['blue_tech', ['red']],
    ['viewer', ['red', 'blue']],
    ['red_lead', []],
    ['blue_lead', []],
    ['admin', []],
  ])('%s while in flight: %j', (role, hidden) => {
    for (const state of inFlight) expect(hiddenSides(role, state), state).toEqual(hidden);
  });

  it.each<TestState>(['validated', 'rejected'])('nobody once the test is %s', (state) => {
    for (const role of ['red_tech', 'blue_tech', 'viewer'] as Role[])
      expect(hiddenSides(role, state)).toEqual([]);
  });
});
