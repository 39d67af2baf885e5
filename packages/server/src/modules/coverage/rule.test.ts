import { describe, expect, it } from 'vitest';
import {
  afterNewDraft,
  type CoverageStatus,
  combine,
  rollUp,
  type TestForCoverage,
  techniqueCoverage,
} from './rule';

const t = (
  chain: string,
  state: TestForCoverage['state'],
  outcome: TestForCoverage['outcome'] = null,
  day = 1,
): TestForCoverage => ({
  chainRootId: chain,
  state,
  outcome,
  validatedAt: state === 'validated' ? new Date(Date.UTC(2026, 0, day)) : null,
});

describe('technique coverage', () => {
  it.each<[string, TestForCoverage[], CoverageStatus]>([
    ['no tests', [], 'untested'],
    ['a draft', [t('a', 'draft')], 'in_progress'],
    ['in review', [t('a', 'in_review', 'detected')], 'in_progress'],
    ['rejected, awaiting rework', [t('a', 'rejected', 'detected')], 'in_progress'],
    ['validated prevented', [t('a', 'validated', 'prevented')], 'validated'],
    ['validated detected', [t('a', 'validated', 'detected')], 'validated'],
    ['validated logged only', [t('a', 'validated', 'logged')], 'partial'],
    ['validated not detected', [t('a', 'validated', 'not_detected')], 'not_covered'],
    [
      'two chains, both detected',
      [t('a', 'validated', 'detected'), t('b', 'validated', 'prevented')],
      'validated',
    ],
    [
      'two chains, one missed',
      [t('a', 'validated', 'detected'), t('b', 'validated', 'not_detected')],
      'partial',
    ],
    [
      'two chains, both missed',
      [t('a', 'validated', 'not_detected'), t('b', 'validated', 'not_detected')],
      'not_covered',
    ],
    ['a validated chain and an open test', [t('a', 'validated', 'detected'), t('b', 'draft')], 'validated'],
    [
      're-test fixed the gap',
      [t('a', 'validated', 'not_detected', 1), t('a', 'validated', 'detected', 5)],
      'validated',
    ],
    [
      're-test regressed',
      [t('a', 'validated', 'detected', 1), t('a', 'validated', 'not_detected', 5)],
      'not_covered',
    ],
    [
      're-test still open keeps the last verdict',
      [t('a', 'validated', 'not_detected', 1), t('a', 'blue_evaluating')],
      'not_covered',
    ],
  ])('%s → %s', (_name, tests, expected) => {
    expect(techniqueCoverage(tests)).toBe(expected);
  });
});

describe('parent roll-up', () => {
  it.each<[CoverageStatus, CoverageStatus[], CoverageStatus]>([
    ['untested', [], 'untested'],
    ['untested', ['untested', 'untested'], 'untested'],
    ['validated', ['untested'], 'validated'],
    ['untested', ['validated', 'validated'], 'validated'],
    ['untested', ['validated', 'not_covered'], 'partial'],
    ['not_covered', ['not_covered'], 'not_covered'],
    ['untested', ['in_progress'], 'in_progress'],
    ['untested', ['in_progress', 'not_covered'], 'not_covered'],
    ['validated', ['in_progress'], 'validated'],
    ['partial', ['validated'], 'partial'],
    ['in_progress', ['untested', 'in_progress'], 'in_progress'],
  ])('own %s with children %j → %s', (own, children, expected) => {
    expect(rollUp(own, children)).toBe(expected);
  });

  it('combine ignores untested', () => {
    expect(combine(['untested', 'validated'])).toBe('validated');
  });
});

describe('a new draft test (the shortcut create takes instead of recomputing the family)', () => {
  // Every small world: a technique's own tests, its sub-techniques' statuses, its parent's own status
  // and siblings. The shortcut must agree with recomputing the whole family by the rule.
  const testSets: TestForCoverage[][] = [
    [],
    [t('a', 'draft')],
    [t('a', 'validated', 'detected')],
    [t('a', 'validated', 'logged')],
    [t('a', 'validated', 'not_detected'), t('b', 'in_review', 'detected')],
  ];
  const statuses: CoverageStatus[] = ['untested', 'in_progress', 'validated', 'partial', 'not_covered'];
  const worlds = testSets.flatMap((tests) =>
    statuses.flatMap((child) =>
      statuses.flatMap((parentOwn) => statuses.map((sibling) => ({ tests, child, parentOwn, sibling }))),
    ),
  );
  it('agrees with recomputing the family in every small world', () => {
    for (const w of worlds) {
      const before = rollUp(techniqueCoverage(w.tests), [w.child]);
      const after = rollUp(techniqueCoverage([...w.tests, t('new', 'draft')]), [w.child]);
      const parentBefore = rollUp(w.parentOwn, [before, w.sibling]);
      const parentAfter = rollUp(w.parentOwn, [after, w.sibling]);
      expect(afterNewDraft(before, parentBefore), JSON.stringify(w)).toEqual({
        technique: after,
        parent: parentAfter,
      });
      expect(afterNewDraft(before, null)).toEqual({ technique: after, parent: null });
    }
  });
});
