import type { Outcome, TestState } from '@aegis/contracts';

export type { Outcome, TestState };

export type CoverageStatus = 'validated' | 'partial' | 'not_covered' | 'in_progress' | 'untested';

/**
 * THE coverage rule (documented in docs/coverage.md). Pure.
 *
 * A technique's own status comes from its tests, grouped by re-test chain. Each chain counts by its
 * most recently validated test: prevented/detected → validated, logged → partial, not_detected →
 * not_covered. The chains combine: all validated → validated; all not_covered → not_covered; any
 * other mix → partial. Without a validated chain: in_progress if any test is open (draft through
 * in_review, or rejected awaiting rework), else untested.
 */
export interface TestForCoverage {
  chainRootId: string;
  state: TestState;
  outcome: Outcome | null;
  validatedAt: Date | null;
}

const FROM_OUTCOME: Record<Outcome, CoverageStatus> = {
  prevented: 'validated',
  detected: 'validated',
  logged: 'partial',
  not_detected: 'not_covered',
};

export function combine(statuses: CoverageStatus[]): CoverageStatus {
  const known = statuses.filter((s) => s !== 'untested');
  if (known.length === 0) return 'untested';
  const decided = known.filter((s) => s !== 'in_progress');
  if (decided.length === 0) return 'in_progress';
  if (decided.every((s) => s === 'validated')) return 'validated';
  if (decided.every((s) => s === 'not_covered')) return 'not_covered';
  return 'partial';
}

export function techniqueCoverage(tests: TestForCoverage[]): CoverageStatus {
  const latestByChain = new Map<string, TestForCoverage>();
  for (const t of tests) {
    if (t.state !== 'validated' || !t.outcome || !t.validatedAt) continue;
    const prev = latestByChain.get(t.chainRootId);
    if (!prev || (prev.validatedAt && t.validatedAt > prev.validatedAt)) latestByChain.set(t.chainRootId, t);
  }
  if (latestByChain.size > 0)
    return combine([...latestByChain.values()].map((t) => FROM_OUTCOME[t.outcome as Outcome]));
  return tests.some((t) => t.state !== 'validated') ? 'in_progress' : 'untested';
}

/**
 * A parent technique rolls up its own status with its sub-techniques' (untested ones do not pull it
 * down; an open test anywhere shows in_progress only while nothing is decided).
 */
export function rollUp(own: CoverageStatus, children: CoverageStatus[]): CoverageStatus {
  return combine([own, ...children]);
}

/**
 * A new draft test on a technique, by the rule above: an open test only ever turns `untested` into
 * `in_progress` (anything else already outranks it), and only a technique that was untested can
 * move its parent. So the technique and (for a sub-technique) its parent, each if untested, become
 * in_progress — the same result as recomputing the family, without reading its tests.
 */
export function afterNewDraft(
  technique: CoverageStatus,
  parent: CoverageStatus | null,
): { technique: CoverageStatus; parent: CoverageStatus | null } {
  if (technique !== 'untested') return { technique, parent };
  return { technique: 'in_progress', parent: parent === 'untested' ? 'in_progress' : parent };
}
