import type { CoverageCountsQuery, CoverageGroup, CoverageReport, StatusCounts } from '@aegis/contracts';
import type { Db, Tx } from '../../infra/db';
import { errors } from '../../infra/http';
import {
  countCoverage,
  coverageFamily,
  coverageWithParent,
  outOfScopeCount,
  refreshResultDigests,
  saveCoverage,
  testsForCoverage,
} from './coverage.queries';
import {
  afterNewDraft,
  type CoverageStatus,
  type Outcome,
  rollUp,
  type TestState,
  techniqueCoverage,
} from './rule';

/**
 * Recomputes the coverage of some techniques, their parents and their siblings' roll-up, in the
 * caller's transaction (so a test change and its coverage commit together). Two queries in, one
 * upsert and one history insert out; then the CR digest and fired rules of the techniques themselves.
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
  await refreshResultDigests(tx, techniqueIds);
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

const STATUS_ORDER: readonly CoverageStatus[] = [
  'validated',
  'partial',
  'not_covered',
  'in_progress',
  'untested',
];
const zeroCounts = (): StatusCounts => Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as StatusCounts;

/** The counts every page shows (dashboard, tactics, actors, software, controls), computed here only. */
export function createCoverageService(db: Db, options: { platformScope: readonly string[] | null }) {
  const scope = options.platformScope;
  return {
    /** In-scope techniques by coverage status, grouped by one dimension: two statements. */
    async counts(q: CoverageCountsQuery, now: Date = new Date()): Promise<CoverageReport> {
      const subtechniques = q.subtechniques === 'include';
      const asOf = q.asOf ? new Date(q.asOf) : undefined;
      if (q.by === 'control' && !q.framework)
        throw errors.validation([
          { path: 'framework', message: 'required with by=control (e.g. nist-800-53, cis-v8)' },
        ]);
      const base = { domain: q.domain, scope, asOf, subtechniques };
      const [rows, totals, outOfScope] = await Promise.all([
        countCoverage(db, { ...base, by: q.by, framework: q.framework, keys: q.key }),
        q.by === 'status' ? Promise.resolve(null) : countCoverage(db, { ...base, by: 'status' }),
        outOfScopeCount(db, q.domain, scope, subtechniques),
      ]);
      const groups = new Map<string, CoverageGroup & { order: number | null }>();
      for (const r of rows) {
        let g = groups.get(r.key);
        if (!g) {
          g = {
            key: r.key,
            name: r.name,
            attackId: r.attackId,
            order: r.order,
            total: 0,
            counts: zeroCounts(),
          };
          groups.set(r.key, g);
        }
        g.counts[r.status] += r.n;
        g.total += r.n;
      }
      const all = zeroCounts();
      for (const r of totals ?? rows) all[r.status] += r.n;
      const items = [...groups.values()]
        .sort(
          (a, b) =>
            (a.order ?? Number.MAX_SAFE_INTEGER) - (b.order ?? Number.MAX_SAFE_INTEGER) ||
            (a.attackId ?? a.name).localeCompare(b.attackId ?? b.name, 'en', { numeric: true }),
        )
        .map(({ order: _order, ...g }) => g);
      return {
        by: q.by,
        domain: q.domain,
        asOf: asOf?.toISOString() ?? null,
        scope: scope ? [...scope] : null,
        subtechniques,
        inScope: STATUS_ORDER.reduce((n, s) => n + all[s], 0),
        outOfScope,
        totals: all,
        items,
        computedAt: now.toISOString(),
      };
    },
  };
}
export type CoverageService = ReturnType<typeof createCoverageService>;
