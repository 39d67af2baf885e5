import type { RollupFunction } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import {
  actorScore,
  aggregateScore,
  memberWeight,
  organizationScore,
  tacticScore,
  type WeightedMember,
} from './rollup';

describe('a parent over its sub-techniques (the Navigator’s functions, every member counted)', () => {
  it.each<[RollupFunction, number]>([
    ['average', (20 + 70 + 0 + 50) / 4],
    ['min', 0],
    ['max', 70],
    ['sum', 140],
  ])('%s of parent 20 and subs 70, 0, 50 is %d', (fn, expected) => {
    expect(aggregateScore(20, [70, 0, 50], fn)).toBe(expected);
  });

  it.each<RollupFunction>(['average', 'min', 'max', 'sum'])(
    '%s of a technique without sub-techniques is its own score',
    (fn) => {
      expect(aggregateScore(42.5, [], fn)).toBe(42.5);
    },
  );

  it('counts an unscored-looking parent (own 0) as a real member, as its own score is real', () => {
    expect(aggregateScore(0, [60, 80], 'average')).toBeCloseTo(140 / 3, 12);
    expect(aggregateScore(0, [60, 80], 'min')).toBe(0);
  });
});

describe('tactic and organisation', () => {
  const members: WeightedMember[] = [
    { aggregate: 80, nActors: 3 },
    { aggregate: 20, nActors: 0 },
  ];

  it('weighs members equally, or by 1 + the actors using them', () => {
    expect(memberWeight(3, 'equal')).toBe(1);
    expect(memberWeight(3, 'threat')).toBe(4);
    expect(tacticScore(members, 'equal')).toBe(50);
    expect(tacticScore(members, 'threat')).toBe((4 * 80 + 20) / 5);
    expect(organizationScore(members, 'equal')).toBe(50);
    expect(organizationScore(members, 'threat')).toBe(68);
  });

  it('is null for an empty set', () => {
    expect(tacticScore([], 'equal')).toBeNull();
    expect(organizationScore([], 'threat')).toBeNull();
  });
});

describe('threat actor', () => {
  it('is the mean of its techniques’ scores and the share of them validated', () => {
    expect(actorScore([90, 30], 1)).toEqual({ score: 60, coverage: 0.5 });
    expect(actorScore([90, 30], 0)).toEqual({ score: 60, coverage: 0 });
  });

  it('is null, not 0, when the actor uses no in-scope technique', () => {
    expect(actorScore([], 0)).toEqual({ score: null, coverage: null });
  });

  it('refuses a validated count the techniques cannot hold', () => {
    expect(() => actorScore([10], 2)).toThrow(RangeError);
    expect(() => actorScore([10], -1)).toThrow(RangeError);
  });
});

describe('roll-ups stay between their members', () => {
  it('never leaves [min, max] of the members (so [0, 100]), except `sum`', () => {
    let seed = 7;
    const next = () => {
      // A linear congruential generator is enough to spread these inputs.
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 2000; i++) {
      const scores = Array.from({ length: 1 + Math.floor(next() * 12) }, () => next() * 100);
      const lo = Math.min(...scores);
      const hi = Math.max(...scores);
      const [own = 0, ...subs] = scores;
      for (const fn of ['average', 'min', 'max'] as const) {
        const a = aggregateScore(own, subs, fn);
        expect(a).toBeGreaterThanOrEqual(lo - 1e-9);
        expect(a).toBeLessThanOrEqual(hi + 1e-9);
      }
      const members = scores.map((aggregate) => ({ aggregate, nActors: Math.floor(next() * 30) }));
      for (const weighting of ['equal', 'threat'] as const) {
        const t = tacticScore(members, weighting) ?? Number.NaN;
        expect(t).toBeGreaterThanOrEqual(lo - 1e-9);
        expect(t).toBeLessThanOrEqual(hi + 1e-9);
      }
      const { score } = actorScore(scores, 0);
      expect(score).toBeGreaterThanOrEqual(lo - 1e-9);
      expect(score).toBeLessThanOrEqual(hi + 1e-9);
    }
  });
});
