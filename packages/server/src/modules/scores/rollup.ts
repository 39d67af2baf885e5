/**
 * The roll-ups of analysis spec §1.3, pure: a parent over its sub-techniques, a tactic over its
 * top-level techniques, a threat actor over the techniques it uses, the organisation over every
 * in-scope parent. Members are already in scope; empty sets give null (spec §0.8).
 */
import type { RollupFunction, ScoreWeighting } from '@aegis/contracts';
import { ratio } from '../analysis';

/**
 * A parent's aggregate over itself and its in-scope sub-techniques (the Navigator's functions with
 * every member counted). Without sub-techniques it is the own score. `sum` can exceed 100.
 */
export function aggregateScore(
  ownOfParent: number,
  ownOfSubs: readonly number[],
  fn: RollupFunction,
): number {
  const members = [ownOfParent, ...ownOfSubs];
  switch (fn) {
    case 'min':
      return Math.min(...members);
    case 'max':
      return Math.max(...members);
    case 'sum':
      return members.reduce((s, x) => s + x, 0);
    case 'average':
      return members.reduce((s, x) => s + x, 0) / members.length;
  }
}

/** ω_p: 1 with equal weighting; 1 + the number of tracked intrusion sets using p with `threat`. */
export const memberWeight = (nActors: number, weighting: ScoreWeighting): number =>
  weighting === 'threat' ? 1 + nActors : 1;

export interface WeightedMember {
  /** The top-level technique's aggregate score. */
  aggregate: number;
  /** Distinct intrusion sets using it or one of its sub-techniques directly. */
  nActors: number;
}

function weightedScore(members: readonly WeightedMember[], weighting: ScoreWeighting): number | null {
  let total = 0;
  let weights = 0;
  for (const m of members) {
    const w = memberWeight(m.nActors, weighting);
    total += w * m.aggregate;
    weights += w;
  }
  return weights === 0 ? null : total / weights;
}

/** Score(k) over the in-scope top-level techniques of a tactic; null when it has none. */
export const tacticScore: (members: readonly WeightedMember[], weighting: ScoreWeighting) => number | null =
  weightedScore;

/** Score(org) (`equal`, the headline) or Score_threat(org) over every in-scope parent; null for none. */
export const organizationScore: (
  members: readonly WeightedMember[],
  weighting: ScoreWeighting,
) => number | null = weightedScore;

/**
 * Score(a): the mean of the scores of an actor's in-scope techniques (own for a sub-technique,
 * aggregate for a parent), and coverage(a): the share of them validated. Both null for none (§0.8).
 */
export function actorScore(
  scores: readonly number[],
  validatedCount: number,
): { score: number | null; coverage: number | null } {
  if (validatedCount < 0 || validatedCount > scores.length)
    throw new RangeError(`validatedCount ${validatedCount} is outside 0..${scores.length}`);
  return {
    score: ratio(
      scores.reduce((s, x) => s + x, 0),
      scores.length,
    ),
    coverage: ratio(validatedCount, scores.length),
  };
}
