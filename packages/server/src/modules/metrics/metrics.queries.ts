import type { MetricsFilters } from '@aegis/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import { currentResultsFrom, inScopeSql, lastCoverageChangeSql } from '../coverage';

type Conn = Db | Tx;

/**
 * The metrics of analysis spec §2.3 in SQL, each one aggregate statement over a set of buckets
 * (`[start, end)` instants; one bucket for a period, many for a trend): the period picks records by
 * the event the metric names (execution start, remediation completed, re-test validated). Outcome
 * ranks follow §0.1: prevented 1 (best) … not_detected 4.
 */

export interface Span {
  start: Date;
  end: Date;
}

export interface Scope {
  filters: MetricsFilters;
  /** ORG_PLATFORM_SCOPE (null: every platform but PRE): out-of-scope techniques count nowhere. */
  platformScope: readonly string[] | null;
}

const rank = (outcome: SQL) =>
  sql`array_position(array['prevented', 'detected', 'logged', 'not_detected']::text[], ${outcome})`;

/** The buckets as a CTE `b(i, s, e)`. */
function bucketsCte(buckets: readonly Span[]): SQL {
  const json = JSON.stringify(buckets.map((b, i) => [i, b.start.toISOString(), b.end.toISOString()]));
  return sql`b as (select (x->>0)::int as i, (x->>1)::timestamptz as s, (x->>2)::timestamptz as e
                     from jsonb_array_elements(${json}::jsonb) x)`;
}

/** The technique conditions on an attack_objects row `o`: in scope, and the technique filter. */
function techniqueConditions(o: string, scope: Scope): SQL {
  const parts: SQL[] = [inScopeSql(o, scope.platformScope)];
  const f = scope.filters;
  const a = sql.raw(o);
  if (f.technique) {
    const id = f.technique.toUpperCase();
    parts.push(sql`(upper(${a}.attack_id) = ${id} or upper(${a}.attack_id) like ${`${id}.%`})`);
  }
  return sql.join(parts, sql` and `);
}

/** Conditions on a test `alias`: its technique in scope, and every filter that applies to tests. */
export function testConditions(alias: string, scope: Scope): SQL {
  const t = sql.raw(alias);
  const f = scope.filters;
  const parts: SQL[] = [
    sql`exists (select 1 from attack_objects o where o.id = ${t}.technique_id and ${techniqueConditions('o', scope)})`,
  ];
  // A test records the tactic it exercised; one without falls back to its technique's tactics.
  if (f.tactic)
    parts.push(sql`(${t}.tactic = ${f.tactic} or (${t}.tactic is null and exists (
      select 1 from attack_objects o where o.id = ${t}.technique_id and ${f.tactic} = any(o.tactics))))`);
  if (f.platform) parts.push(sql`lower(${t}.platform) = lower(${f.platform})`);
  if (f.tool)
    parts.push(sql`exists (select 1 from test_tool_results tr
      where tr.test_case_id = ${t}.id and lower(tr.tool) = lower(${f.tool}))`);
  if (f.campaign) parts.push(sql`${t}.campaign_id = ${f.campaign}::uuid`);
  return sql.join(parts, sql` and `);
}

/** The technique conditions velocity applies (its records are techniques: tool and campaign do not apply). */
export function velocityTechniques(scope: Scope): SQL {
  const parts = [techniqueConditions('o', scope)];
  if (scope.filters.tactic) parts.push(sql`${scope.filters.tactic} = any(o.tactics)`);
  if (scope.filters.platform)
    parts.push(
      sql`exists (select 1 from unnest(o.platforms) p where lower(p) = lower(${scope.filters.platform}))`,
    );
  return sql.join(parts, sql` and `);
}

/** A failing validated test `alias`: worse than its expected outcome, or logged / not detected without one. */
const failing = (alias: string) => {
  const t = sql.raw(alias);
  return sql`${t}.state = 'validated' and ${t}.outcome is not null and (case
    when ${t}.expected_outcome is not null then ${rank(sql`${t}.outcome`)} > ${rank(sql`${t}.expected_outcome`)}
    else ${t}.outcome in ('logged', 'not_detected') end)`;
};

// ── Durations ─────────────────────────────────────────────────────────────────────────────────────

export type DurationMetric = 'mttd' | 'mttd-tool' | 'mttp' | 'mttr' | 'mttv';

/**
 * Each duration metric's samples: `at` (what places it in a bucket), `start_at`, `end_at` (null: the
 * end event has no timestamp), the test and the tool. The included set is spec §2.3's.
 */
export function samples(metric: DurationMetric, scope: Scope): SQL {
  switch (metric) {
    case 'mttd':
      return sql`select t.execution_started_at as at, t.execution_started_at as start_at, t.detected_at as end_at,
                        t.id as test_id, null::text as tool
                   from test_cases t
                  where t.state = 'validated' and t.outcome in ('detected', 'prevented') and ${testConditions('t', scope)}`;
    case 'mttd-tool':
      return sql`select t.execution_started_at as at, t.execution_started_at as start_at, r.detected_at as end_at,
                        t.id as test_id, r.tool
                   from test_tool_results r join test_cases t on t.id = r.test_case_id
                  where t.state = 'validated' and r.outcome in ('detected', 'prevented') and ${testConditions('t', scope)}
                    ${scope.filters.tool ? sql`and lower(r.tool) = lower(${scope.filters.tool})` : sql``}`;
    case 'mttp':
      return sql`select t.execution_started_at as at, t.execution_started_at as start_at, p.prevented_at as end_at,
                        t.id as test_id, null::text as tool
                   from test_cases t
                   left join lateral (select min(r.prevented_at) as prevented_at from test_tool_results r
                                       where r.test_case_id = t.id and r.outcome = 'prevented') p on true
                  where t.state = 'validated' and t.outcome = 'prevented' and ${testConditions('t', scope)}`;
    case 'mttr':
      // An item is the failing test's remediation steps; it is complete when none is open and one is done.
      return sql`select rem.completed_at as at, t.validated_at as start_at, rem.completed_at as end_at,
                        t.id as test_id, null::text as tool
                   from test_cases t
                   join lateral (select max(s.completed_at) as completed_at,
                                        bool_and(s.status in ('done', 'wont_fix')) as closed,
                                        bool_or(s.status = 'done') as fixed
                                   from remediation_steps s where s.test_case_id = t.id) rem
                     on rem.closed and rem.fixed
                  where ${failing('t')} and ${testConditions('t', scope)}`;
    case 'mttv':
      // The first later run of the same chain that validated with a better outcome.
      return sql`select v.validated_at as at, t.validated_at as start_at, v.validated_at as end_at,
                        t.id as test_id, null::text as tool
                   from test_cases t
                   join lateral (select r.validated_at from test_cases r
                                  where r.chain_root_id = coalesce(t.chain_root_id, t.id)
                                    and r.retest_number > t.retest_number and r.state = 'validated'
                                    and r.outcome is not null and ${rank(sql`r.outcome`)} < ${rank(sql`t.outcome`)}
                                  order by r.retest_number limit 1) v on true
                  where ${failing('t')} and ${testConditions('t', scope)}`;
  }
}

export interface DurationRow {
  i: number;
  tool: string | null;
  n: number;
  noTimestamp: number;
  negative: number;
  outlier: number;
  /** Seconds. */
  mean: number | null;
  median: number | null;
  p90: number | null;
}

/**
 * One duration metric per bucket (per tool too for `mttd-tool`), in one statement: the mean, median
 * and p90 of the kept samples and the left-out ones by reason. Empty buckets come back with n = 0.
 */
export async function durations(
  db: Conn,
  metric: DurationMetric,
  buckets: readonly Span[],
  scope: Scope,
  maxSeconds: number,
): Promise<DurationRow[]> {
  const secs = sql`extract(epoch from (x.end_at - x.start_at))::float8`;
  const ok = sql`x.end_at is not null and x.end_at >= x.start_at and ${secs} <= ${maxSeconds}`;
  const byTool = metric === 'mttd-tool';
  const r = await db.execute<{
    i: number;
    tool: string | null;
    n: number;
    no_ts: number;
    negative: number;
    outlier: number;
    mean: number | null;
    median: number | null;
    p90: number | null;
  }>(sql`
    with ${bucketsCte(buckets)}, x as (${samples(metric, scope)})
    select b.i, ${byTool ? sql`x.tool` : sql`null::text`} as tool,
           count(x.test_id) filter (where ${ok})::int as n,
           count(x.test_id) filter (where x.end_at is null)::int as no_ts,
           count(x.test_id) filter (where x.end_at < x.start_at)::int as negative,
           count(x.test_id) filter (where x.end_at >= x.start_at and ${secs} > ${maxSeconds})::int as outlier,
           avg(${secs}) filter (where ${ok}) as mean,
           percentile_cont(0.5) within group (order by ${secs}) filter (where ${ok}) as median,
           percentile_cont(0.9) within group (order by ${secs}) filter (where ${ok}) as p90
      from b left join x on x.at >= b.s and x.at < b.e
     group by b.i${byTool ? sql`, x.tool` : sql``}
     order by b.i${byTool ? sql`, x.tool` : sql``}`);
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  return r.rows.map((x) => ({
    i: Number(x.i),
    tool: x.tool,
    n: Number(x.n),
    noTimestamp: Number(x.no_ts),
    negative: Number(x.negative),
    outlier: Number(x.outlier),
    mean: num(x.mean),
    median: num(x.median),
    p90: num(x.p90),
  }));
}

/** Failing tests whose remediation is not complete: how many, and their mean age in seconds at `now`. */
export async function openRemediation(
  db: Conn,
  scope: Scope,
  now: Date,
): Promise<{ n: number; meanAgeSeconds: number | null }> {
  const r = await db.execute<{ n: number; age: number | null }>(sql`
    select count(*)::int as n, avg(extract(epoch from (${now.toISOString()}::timestamptz - rem.opened_at)))::float8 as age
      from test_cases t
      join lateral (select min(s.created_at) as opened_at,
                           bool_and(s.status in ('done', 'wont_fix')) and bool_or(s.status = 'done') as complete
                      from remediation_steps s where s.test_case_id = t.id) rem
        on rem.opened_at is not null and not rem.complete
     where ${failing('t')} and ${testConditions('t', scope)}`);
  const row = r.rows[0];
  return {
    n: Number(row?.n ?? 0),
    meanAgeSeconds: row?.age === null || row?.age === undefined ? null : Number(row.age),
  };
}

// ── Ratios ────────────────────────────────────────────────────────────────────────────────────────

export interface RatioRow {
  i: number;
  numerator: number;
  denominator: number;
}

/** Validated tests logged or not detected / validated tests, by execution start. */
export async function undetectedShare(db: Conn, buckets: readonly Span[], scope: Scope): Promise<RatioRow[]> {
  const r = await db.execute<{ i: number; num: number; den: number }>(sql`
    with ${bucketsCte(buckets)},
    x as (select t.execution_started_at as at, t.outcome from test_cases t
           where t.state = 'validated' and t.outcome is not null and ${testConditions('t', scope)})
    select b.i, count(x.at) filter (where x.outcome in ('logged', 'not_detected'))::int as num, count(x.at)::int as den
      from b left join x on x.at >= b.s and x.at < b.e
     group by b.i order by b.i`);
  return r.rows.map((x) => ({ i: Number(x.i), numerator: Number(x.num), denominator: Number(x.den) }));
}

export interface ResultsRow extends RatioRow {
  prevented: number;
  detected: number;
  logged: number;
  notDetected: number;
  /** Expectation met: results whose template declared an expected outcome, and those at or above it. */
  withExpectation: number;
  met: number;
}

/**
 * Over the current results (CR, spec §0.2) of in-scope techniques executed in each bucket: detection
 * efficacy (prevented + detected over all) with its split, and the expectation-met rate.
 */
export async function currentResultFigures(
  db: Conn,
  buckets: readonly Span[],
  scope: Scope,
): Promise<ResultsRow[]> {
  const r = await db.execute<{
    i: number;
    den: number;
    prevented: number;
    detected: number;
    logged: number;
    not_detected: number;
    with_expectation: number;
    met: number;
  }>(sql`
    with ${bucketsCte(buckets)},
    x as (select cr.execution_started_at as at, cr.outcome, t.expected_outcome
            from ${currentResultsFrom()} cr join test_cases t on t.id = cr.id
           where ${testConditions('t', scope)})
    select b.i, count(x.at)::int as den,
           count(x.at) filter (where x.outcome = 'prevented')::int as prevented,
           count(x.at) filter (where x.outcome = 'detected')::int as detected,
           count(x.at) filter (where x.outcome = 'logged')::int as logged,
           count(x.at) filter (where x.outcome = 'not_detected')::int as not_detected,
           count(x.at) filter (where x.expected_outcome is not null)::int as with_expectation,
           count(x.at) filter (where x.expected_outcome is not null
                                 and ${rank(sql`x.outcome`)} <= ${rank(sql`x.expected_outcome`)})::int as met
      from b left join x on x.at >= b.s and x.at < b.e
     group by b.i order by b.i`);
  return r.rows.map((x) => ({
    i: Number(x.i),
    numerator: Number(x.prevented) + Number(x.detected),
    denominator: Number(x.den),
    prevented: Number(x.prevented),
    detected: Number(x.detected),
    logged: Number(x.logged),
    notDetected: Number(x.not_detected),
    withExpectation: Number(x.with_expectation),
    met: Number(x.met),
  }));
}

/** A fired rule's id when it is one of ours (a uuid), else null: a name alone links to nothing. */
const firedRuleId = sql`case when f->>'ruleId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                             then (f->>'ruleId')::uuid end`;
const firedRules = (alias: string) =>
  sql`jsonb_array_elements(case when jsonb_typeof(${sql.raw(alias)}.fired_rules) = 'array'
                                then ${sql.raw(alias)}.fired_rules else '[]'::jsonb end) f`;

/**
 * Alert fidelity: validated tests detected (not prevented) with at least one fired rule recorded,
 * and of those the ones where a fired rule is linked to the tested technique, its parent or a
 * sub-technique.
 */
export async function alertFidelity(db: Conn, buckets: readonly Span[], scope: Scope): Promise<RatioRow[]> {
  const r = await db.execute<{ i: number; num: number; den: number }>(sql`
    with ${bucketsCte(buckets)},
    x as (select t.execution_started_at as at,
                 exists (select 1 from ${firedRules('t')}
                           join rule_techniques rt on rt.rule_id = ${firedRuleId}
                           join attack_objects ro on ro.id = rt.technique_id
                           join attack_objects o on o.id = t.technique_id
                          where jsonb_typeof(f) = 'object'
                            and (ro.id = o.id or (ro.domain = o.domain
                                 and (ro.stix_id = o.parent_stix_id or ro.parent_stix_id = o.stix_id)))) as linked
            from test_cases t
           where t.state = 'validated' and t.outcome = 'detected' and ${testConditions('t', scope)}
             and exists (select 1 from ${firedRules('t')} where jsonb_typeof(f) = 'object'))
    select b.i, count(x.at) filter (where x.linked)::int as num, count(x.at)::int as den
      from b left join x on x.at >= b.s and x.at < b.e
     group by b.i order by b.i`);
  return r.rows.map((x) => ({ i: Number(x.i), numerator: Number(x.num), denominator: Number(x.den) }));
}

// ── Data integrity ────────────────────────────────────────────────────────────────────────────────

export type IntegrityRow = {
  metric: DurationMetric;
  reason: 'noTimestamp' | 'negative' | 'outlier';
  test_id: string;
  title: string;
  tool: string | null;
  start_at: Date | string | null;
  end_at: Date | string | null;
  seconds: number | null;
};

/** The records the duration metrics left out in a period, and why (newest first, at most `limit`). */
export async function integrityIssues(
  db: Conn,
  period: Span,
  scope: Scope,
  maxSeconds: Record<DurationMetric, number>,
  limit: number,
): Promise<{ rows: IntegrityRow[]; counts: Array<{ metric: DurationMetric; reason: string; n: number }> }> {
  const metrics: DurationMetric[] = ['mttd', 'mttd-tool', 'mttp', 'mttr', 'mttv'];
  const secs = sql`extract(epoch from (x.end_at - x.start_at))::float8`;
  const issues = sql.join(
    metrics.map(
      (m) => sql`select ${m}::text as metric,
                        case when x.end_at is null then 'noTimestamp' when x.end_at < x.start_at then 'negative'
                             else 'outlier' end as reason,
                        x.test_id, x.tool, x.start_at, x.end_at, ${secs} as seconds
                   from (${samples(m, scope)}) x
                  where x.at >= ${period.start.toISOString()}::timestamptz and x.at < ${period.end.toISOString()}::timestamptz
                    and (x.end_at is null or x.end_at < x.start_at or ${secs} > ${maxSeconds[m]})`,
    ),
    sql` union all `,
  );
  const r = await db.execute<IntegrityRow>(sql`
    with issues as (${issues})
    select i.metric, i.reason, i.test_id, t.title, i.tool, i.start_at, i.end_at, i.seconds
      from issues i join test_cases t on t.id = i.test_id
     order by i.start_at desc nulls last, i.metric, i.test_id
     limit ${limit + 1}`);
  const counts = await db.execute<{ metric: DurationMetric; reason: string; n: number }>(sql`
    with issues as (${issues})
    select metric, reason, count(*)::int as n from issues group by metric, reason order by metric, reason`);
  return {
    rows: r.rows,
    counts: counts.rows.map((c) => ({ metric: c.metric, reason: c.reason, n: Number(c.n) })),
  };
}

/**
 * What every metric reads, as one cheap statement (each part an index's last entry): a change of
 * any test, remediation step, coverage status, rule or ATT&CK release changes it.
 */
export async function metricsFingerprint(db: Conn): Promise<string> {
  const r = await db.execute<{ f: string }>(sql`
    select concat_ws('|',
      (select max(updated_at)::text from test_cases),
      (select max(updated_at)::text from remediation_steps),
      ${lastCoverageChangeSql()}::text,
      (select max(updated_at)::text from detection_rules),
      (select max(finished_at)::text from import_runs)) as f`);
  return r.rows[0]?.f ?? '';
}

/** The failing test whose remediation has been open longest (steps created first), with its technique. */
export type OpenRemediationRow = {
  test_id: string;
  title: string;
  technique_id: string;
  attack_id: string | null;
  technique_name: string;
  opened_at: Date | string;
};
export async function oldestOpenRemediation(db: Conn, scope: Scope): Promise<OpenRemediationRow | undefined> {
  const r = await db.execute<OpenRemediationRow>(sql`
    select t.id as test_id, t.title, o.id as technique_id, o.attack_id, o.name as technique_name, rem.opened_at
      from test_cases t
      join lateral (select min(s.created_at) as opened_at,
                           bool_and(s.status in ('done', 'wont_fix')) and bool_or(s.status = 'done') as complete
                      from remediation_steps s where s.test_case_id = t.id) rem
        on rem.opened_at is not null and not rem.complete
      join attack_objects o on o.id = t.technique_id
     where ${failing('t')} and ${testConditions('t', scope)}
     order by rem.opened_at, t.id limit 1`);
  return r.rows[0];
}
