import { type MetricsFilters, TestState } from '@aegis/contracts';
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

/** The whole range of a set of buckets: from the first start to the last end. */
const rangeOf = (buckets: readonly Span[]): Span => ({
  start: buckets[0]?.start ?? new Date(0),
  end: buckets.at(-1)?.end ?? new Date(0),
});

/**
 * `column` within the range: the same bound the bucket join applies, said once more where the
 * planner can see it, so a short period reads the column's index and a long one scans.
 */
const within = (column: SQL, range: Span) =>
  sql`${column} >= ${range.start.toISOString()}::timestamptz and ${column} < ${range.end.toISOString()}::timestamptz`;

/** A failing validated test `alias`: worse than its expected outcome, or logged / not detected without one. */
const failing = (alias: string) => {
  const t = sql.raw(alias);
  return sql`${t}.state = 'validated' and ${t}.outcome is not null and (case
    when ${t}.expected_outcome is not null then ${rank(sql`${t}.outcome`)} > ${rank(sql`${t}.expected_outcome`)}
    else ${t}.outcome in ('logged', 'not_detected') end)`;
};

/**
 * The remediation item of a test `t` (its steps), as a lateral subquery `rem`: when it was opened
 * (the first step), when it was completed (the last step closed) and whether it is complete (no step
 * open or in progress, at least one done).
 */
const remediationItem = sql`lateral (
  select min(s.created_at) as opened_at, max(s.completed_at) as completed_at,
         bool_and(s.status in ('done', 'wont_fix')) and bool_or(s.status = 'done') as complete
    from remediation_steps s where s.test_case_id = t.id) rem`;

// ── Durations ─────────────────────────────────────────────────────────────────────────────────────

export type DurationMetric = 'mttd' | 'mttd-tool' | 'mttp' | 'mttr' | 'mttv';

/**
 * Each duration metric's samples: `at` (what places it in a bucket), `start_at`, `end_at` (null: the
 * end event has no timestamp), the test and the tool. The included set is spec §2.3's.
 */
export function samples(metric: DurationMetric, scope: Scope, range: Span): SQL {
  const executed = within(sql`t.execution_started_at`, range);
  switch (metric) {
    case 'mttd':
      return sql`select t.execution_started_at as at, t.execution_started_at as start_at, t.detected_at as end_at,
                        t.id as test_id, null::text as tool
                   from test_cases t
                  where t.state = 'validated' and ${executed} and t.outcome in ('detected', 'prevented')
                    and ${testConditions('t', scope)}`;
    case 'mttd-tool':
      return sql`select t.execution_started_at as at, t.execution_started_at as start_at, r.detected_at as end_at,
                        t.id as test_id, r.tool
                   from test_tool_results r join test_cases t on t.id = r.test_case_id
                  where t.state = 'validated' and ${executed} and r.outcome in ('detected', 'prevented')
                    and ${testConditions('t', scope)}
                    ${scope.filters.tool ? sql`and lower(r.tool) = lower(${scope.filters.tool})` : sql``}`;
    case 'mttp':
      return sql`select t.execution_started_at as at, t.execution_started_at as start_at, p.prevented_at as end_at,
                        t.id as test_id, null::text as tool
                   from test_cases t
                   left join lateral (select min(r.prevented_at) as prevented_at from test_tool_results r
                                       where r.test_case_id = t.id and r.outcome = 'prevented') p on true
                  where t.state = 'validated' and ${executed} and t.outcome = 'prevented' and ${testConditions('t', scope)}`;
    case 'mttr':
      // An item is the failing test's remediation steps; it is complete when none is open and one is done.
      return sql`select rem.completed_at as at, t.validated_at as start_at, rem.completed_at as end_at,
                        t.id as test_id, null::text as tool
                   from test_cases t
                   join ${remediationItem} on rem.complete and ${within(sql`rem.completed_at`, range)}
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
                                  order by r.retest_number limit 1) v on ${within(sql`v.validated_at`, range)}
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
    with ${bucketsCte(buckets)}, x as (${samples(metric, scope, rangeOf(buckets))})
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
      join ${remediationItem} on rem.opened_at is not null and not rem.complete
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
           where t.state = 'validated' and ${within(sql`t.execution_started_at`, rangeOf(buckets))}
             and t.outcome is not null and ${testConditions('t', scope)})
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
           where ${within(sql`cr.execution_started_at`, rangeOf(buckets))} and ${testConditions('t', scope)})
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
           where t.state = 'validated' and ${within(sql`t.execution_started_at`, rangeOf(buckets))}
             and t.outcome = 'detected' and ${testConditions('t', scope)}
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
                   from (${samples(m, scope, period)}) x
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
      join ${remediationItem} on rem.opened_at is not null and not rem.complete
      join attack_objects o on o.id = t.technique_id
     where ${failing('t')} and ${testConditions('t', scope)}
     order by rem.opened_at, t.id limit 1`);
  return r.rows[0];
}

// ── Workflow ──────────────────────────────────────────────────────────────────────────────────────

/** Tests in each state now (in scope, filtered): every state, in workflow order, 0 where none. */
export async function pipelineSnapshot(
  db: Conn,
  scope: Scope,
): Promise<Array<{ state: TestState; n: number }>> {
  const r = await db.execute<{ state: string; n: number }>(sql`
    select t.state, count(*)::int as n from test_cases t where ${testConditions('t', scope)} group by t.state`);
  return TestState.options.map((state) => ({
    state,
    n: Number(r.rows.find((x) => x.state === state)?.n ?? 0),
  }));
}

export interface CohortRow {
  created: number;
  reached: Record<'red_executing' | 'blue_evaluating' | 'in_review' | 'validated', number>;
  /** Median seconds in each state over the cohort's tests that left it, and how many left it. */
  time: Record<string, { median: number | null; n: number }>;
}

const COHORT_STATES = TestState.options;

/**
 * Of the tests created in a period: how many ever reached each step, and the median time in each
 * state (from entering it to the next transition), in one statement over their transitions.
 */
export async function pipelineCohort(db: Conn, period: Span, scope: Scope): Promise<CohortRow> {
  const hours = sql`extract(epoch from (tr.left_at - tr.at))::float8`;
  const stateColumns = sql.join(
    COHORT_STATES.map(
      (state) => sql`percentile_cont(0.5) within group (order by ${hours})
                       filter (where tr.to_state = ${state} and tr.left_at is not null) as ${sql.raw(`"median_${state}"`)},
                     count(tr.at) filter (where tr.to_state = ${state} and tr.left_at is not null)::int as ${sql.raw(`"n_${state}"`)}`,
    ),
    sql`, `,
  );
  const r = await db.execute<Record<string, number | string | null>>(sql`
    with cohort as (select t.id from test_cases t
                     where ${within(sql`t.created_at`, period)} and ${testConditions('t', scope)}),
    tr as (select x.test_case_id, x.to_state, x.at,
                  lead(x.at) over (partition by x.test_case_id order by x.at, x.id) as left_at
             from test_transitions x join cohort c on c.id = x.test_case_id)
    select (select count(*) from cohort)::int as created,
           count(distinct tr.test_case_id) filter (where tr.to_state = 'red_executing')::int as red_executing,
           count(distinct tr.test_case_id) filter (where tr.to_state = 'blue_evaluating')::int as blue_evaluating,
           count(distinct tr.test_case_id) filter (where tr.to_state = 'in_review')::int as in_review,
           count(distinct tr.test_case_id) filter (where tr.to_state = 'validated')::int as validated,
           ${stateColumns}
      from tr`);
  const row = r.rows[0] ?? {};
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    created: Number(row.created ?? 0),
    reached: {
      red_executing: Number(row.red_executing ?? 0),
      blue_evaluating: Number(row.blue_evaluating ?? 0),
      in_review: Number(row.in_review ?? 0),
      validated: Number(row.validated ?? 0),
    },
    time: Object.fromEntries(
      COHORT_STATES.map((state) => [
        state,
        { median: num(row[`median_${state}`]), n: Number(row[`n_${state}`] ?? 0) },
      ]),
    ),
  };
}

/**
 * Review decisions in a period: validations, rejections, validations with no earlier rejection, and
 * lead agreement (decisions whose round both leads voted in, and those where they voted the same).
 */
export async function reviewDecisions(
  db: Conn,
  period: Span,
  scope: Scope,
): Promise<{ validated: number; rejected: number; firstPass: number; bothVoted: number; agreed: number }> {
  const r = await db.execute<{
    validated: number;
    rejected: number;
    first_pass: number;
    both_voted: number;
    agreed: number;
  }>(sql`
    select count(*) filter (where x.to_state = 'validated')::int as validated,
           count(*) filter (where x.to_state = 'rejected')::int as rejected,
           count(*) filter (where x.to_state = 'validated' and not exists (
             select 1 from test_transitions p
              where p.test_case_id = x.test_case_id and p.to_state = 'rejected' and p.at < x.at))::int as first_pass,
           count(*) filter (where v.votes = 2)::int as both_voted,
           count(*) filter (where v.votes = 2 and v.decisions = 1)::int as agreed
      from test_transitions x join test_cases t on t.id = x.test_case_id
      cross join lateral (
        select count(*) as votes, count(distinct vo.decision) as decisions from test_votes vo
         where vo.test_case_id = x.test_case_id and vo.round = x.review_round) v
     where x.to_state in ('validated', 'rejected') and ${within(sql`x.at`, period)}
       and ${testConditions('t', scope)}`);
  const row = r.rows[0];
  return {
    validated: Number(row?.validated ?? 0),
    rejected: Number(row?.rejected ?? 0),
    firstPass: Number(row?.first_pass ?? 0),
    bothVoted: Number(row?.both_voted ?? 0),
    agreed: Number(row?.agreed ?? 0),
  };
}

/** Per person, what they did in a period, from the audit log's (action, at) index: one statement. */
export async function activityByUser(db: Conn, period: Span) {
  const r = await db.execute<{
    id: string;
    username: string;
    display_name: string;
    role: string;
    created: number;
    executed: number;
    evaluated: number;
    voted: number;
    evidence: number;
    remediated: number;
  }>(sql`
    select u.id, u.username, u.display_name, u.role,
           count(*) filter (where a.action = 'test_case.create')::int as created,
           count(*) filter (where a.action = 'test_case.submit_to_blue')::int as executed,
           count(*) filter (where a.action = 'test_case.submit_for_review')::int as evaluated,
           count(*) filter (where a.action = 'test_case.vote')::int as voted,
           count(*) filter (where a.action = 'evidence.upload')::int as evidence,
           count(*) filter (where a.action = 'remediation.update' and a.summary->>'status' = 'done')::int as remediated
      from audit_logs a join users u on u.id = a.actor_id
     where a.action in ('test_case.create', 'test_case.submit_to_blue', 'test_case.submit_for_review',
                        'test_case.vote', 'evidence.upload', 'remediation.update')
       and ${within(sql`a.at`, period)}
     group by u.id, u.username, u.display_name, u.role
     order by u.username`);
  return r.rows.map((x) => ({
    user: { id: x.id, username: x.username, displayName: x.display_name },
    role: x.role,
    testsCreated: Number(x.created),
    executionsRecorded: Number(x.executed),
    evaluationsRecorded: Number(x.evaluated),
    votesCast: Number(x.voted),
    evidenceUploaded: Number(x.evidence),
    remediationStepsCompleted: Number(x.remediated),
  }));
}

/** The period's current results per tactic of their test (or, without one, of their technique). */
export async function outcomesByTactic(db: Conn, period: Span, scope: Scope) {
  const r = await db.execute<{
    tactic: string;
    name: string | null;
    attack_id: string | null;
    ord: number | null;
    prevented: number;
    detected: number;
    logged: number;
    not_detected: number;
  }>(sql`
    with x as (select cr.outcome, case when t.tactic is not null then array[t.tactic] else o.tactics end as tactics, o.domain
                 from ${currentResultsFrom()} cr join test_cases t on t.id = cr.id
                 join attack_objects o on o.id = t.technique_id
                where ${within(sql`cr.execution_started_at`, period)} and ${testConditions('t', scope)})
    select k.tactic, ta.name, ta.attack_id, ta.matrix_order as ord,
           count(*) filter (where x.outcome = 'prevented')::int as prevented,
           count(*) filter (where x.outcome = 'detected')::int as detected,
           count(*) filter (where x.outcome = 'logged')::int as logged,
           count(*) filter (where x.outcome = 'not_detected')::int as not_detected
      from x cross join lateral unnest(x.tactics) as k(tactic)
      left join attack_objects ta on ta.domain = x.domain and ta.type = 'x-mitre-tactic' and ta.shortname = k.tactic
       and not ta.revoked and not ta.deprecated
     where k.tactic is not null
     group by k.tactic, ta.name, ta.attack_id, ta.matrix_order
     order by ta.matrix_order nulls last, k.tactic`);
  return r.rows.map((x) => ({
    tactic: x.tactic,
    name: x.name ?? x.tactic,
    attackId: x.attack_id,
    prevented: Number(x.prevented),
    detected: Number(x.detected),
    logged: Number(x.logged),
    not_detected: Number(x.not_detected),
  }));
}

/** Tests validated in a period (by their validation). */
export async function validatedIn(db: Conn, period: Span, scope: Scope): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from test_cases t
     where t.state = 'validated' and ${within(sql`t.validated_at`, period)} and ${testConditions('t', scope)}`);
  return Number(r.rows[0]?.n ?? 0);
}
