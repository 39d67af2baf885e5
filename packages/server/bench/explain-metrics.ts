import { type SQL, sql } from 'drizzle-orm';
import { type Db, openDatabase } from '../src/infra/db';
import { coverageMovers, coverageMoves } from '../src/modules/coverage';
import * as q from '../src/modules/metrics/metrics.queries';

/** Every index a plan (`explain (format json)`) reads, by name. */
function indexesOf(plan: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n['Index Name'] === 'string') found.add(n['Index Name']);
    for (const child of (n.Plans as unknown[]) ?? []) walk(child);
    if (n.Plan) walk(n.Plan);
  };
  for (const root of (typeof plan === 'string' ? JSON.parse(plan) : plan) as unknown[]) walk(root);
  return [...found].sort();
}

/**
 * Each metric's statement as the server sends it, explained (not run) on PostgreSQL: the indexes its
 * plan reads (issue 14: each metric is an aggregate over indexed columns). The queries run through a
 * database handle whose `execute` explains instead.
 */
export async function explainMetrics(url: string): Promise<Array<{ figure: string; indexes: string[] }>> {
  const handle = await openDatabase({ driver: 'postgres', url, poolMax: 2, statementCache: 0 });
  const out: Array<{ figure: string; indexes: string[] }> = [];
  try {
    let figure = '';
    const explaining = new Proxy(handle.db, {
      get(target, prop, receiver) {
        if (prop !== 'execute') return Reflect.get(target, prop, receiver);
        return async (query: SQL) => {
          const r = await target.execute<{ 'QUERY PLAN': unknown }>(sql`explain (format json) ${query}`);
          out.push({ figure, indexes: indexesOf(r.rows[0]?.['QUERY PLAN']) });
          return { rows: [] };
        };
      },
    }) as Db;
    const scope: q.Scope = { filters: {}, platformScope: null };
    const now = Date.now();
    const period = [{ start: new Date(now - 90 * 86_400_000), end: new Date(now) }];
    const weeks = Array.from({ length: 105 }, (_, i) => ({
      start: new Date(now - (105 - i) * 7 * 86_400_000),
      end: new Date(now - (104 - i) * 7 * 86_400_000),
    }));
    const run = async (name: string, f: () => Promise<unknown>) => {
      figure = name;
      await f();
    };
    for (const m of ['mttd', 'mttd-tool', 'mttp', 'mttr', 'mttv'] as const)
      await run(m, () => q.durations(explaining, m, period, scope, 30 * 86_400));
    await run('mttd, 105 weekly buckets', () => q.durations(explaining, 'mttd', weeks, scope, 30 * 86_400));
    await run('mttr open items', () => q.openRemediation(explaining, scope, new Date(now)));
    await run('undetected share', () => q.undetectedShare(explaining, period, scope));
    await run('efficacy + expectation met', () => q.currentResultFigures(explaining, period, scope));
    await run('alert fidelity', () => q.alertFidelity(explaining, period, scope));
    await run('velocity', () => coverageMoves(explaining, period, q.velocityTechniques(scope)));
    await run('movers', () =>
      coverageMovers(explaining, period[0] as q.Span, q.velocityTechniques(scope), 10),
    );
    await run('oldest open remediation', () => q.oldestOpenRemediation(explaining, scope));
    await run('fingerprint', () => q.metricsFingerprint(explaining));
  } finally {
    await handle.close();
  }
  return out;
}
