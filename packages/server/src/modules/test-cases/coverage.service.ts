import type { Tx } from '../../infra/db';
import { afterNewDraft, type CoverageStatus, rollUp, techniqueCoverage } from './coverage';
import { coverageFamily, coverageWithParent, saveCoverage, testsForCoverage } from './test-cases.queries';
import type { Outcome, TestState } from './workflow';

/**
 * Recomputes the coverage of some techniques, their parents and their siblings' roll-up, in the
 * caller's transaction (so a test change and its coverage commit together). Two queries in, one
 * upsert and one history insert out.
 */
export async function recomputeCoverage(
  tx: Tx,
  techniqueIds: string[],
  testCaseId: string | null,
): Promise<void> {
  const family = await coverageFamily(tx, techniqueIds);
  if (family.length === 0) return;
  const tests = await testsForCoverage(
    tx,
    family.map((f) => f.id),
  );
  const own = new Map<string, CoverageStatus>();
  for (const f of family)
    own.set(
      f.id,
      techniqueCoverage(
        tests
          .filter((t) => t.techniqueId === f.id)
          .map((t) => ({
            chainRootId: t.chainRootId ?? t.id,
            state: t.state as TestState,
            outcome: t.outcome as Outcome | null,
            validatedAt: t.validatedAt,
          })),
      ),
    );
  const childrenOf = new Map<string, CoverageStatus[]>();
  for (const f of family) {
    if (!f.parentStixId) continue;
    const parent = family.find((p) => p.stixId === f.parentStixId && p.domain === f.domain);
    if (parent)
      childrenOf.set(parent.id, [...(childrenOf.get(parent.id) ?? []), own.get(f.id) ?? 'untested']);
  }
  const changes: Array<{ techniqueId: string; from: string; to: string }> = [];
  for (const f of family) {
    const status = rollUp(own.get(f.id) ?? 'untested', childrenOf.get(f.id) ?? []);
    if (status !== f.status) changes.push({ techniqueId: f.id, from: f.status, to: status });
  }
  await saveCoverage(tx, changes, testCaseId);
}

/** Coverage after a draft test was added to one technique: two statuses read, no test read (`afterNewDraft`). */
export async function coverageAfterNewDraft(tx: Tx, techniqueId: string, testCaseId: string): Promise<void> {
  const found = await coverageWithParent(tx, techniqueId);
  if (!found) return;
  const next = afterNewDraft(found.status, found.parent?.status ?? null);
  const changes: Array<{ techniqueId: string; from: string; to: string }> = [];
  if (next.technique !== found.status) changes.push({ techniqueId, from: found.status, to: next.technique });
  if (found.parent && next.parent && next.parent !== found.parent.status)
    changes.push({ techniqueId: found.parent.id, from: found.parent.status, to: next.parent });
  await saveCoverage(tx, changes, testCaseId);
}
