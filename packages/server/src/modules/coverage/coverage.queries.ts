import { inArray, type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import { testCases } from '../test-cases/test-cases.schema';
import { coverageHistory } from './coverage.schema';
import type { CoverageStatus } from './rule';

type Conn = Db | Tx;

// ── The read path: every other module reads coverage through these fragments (ADR 20) ─────────

/** `left join` of a technique's coverage row under `alias`; `technique` is the technique id column. */
export const coverageJoin = (technique: SQL, alias = 'cov'): SQL =>
  sql`left join technique_coverage ${sql.raw(alias)} on ${sql.raw(alias)}.technique_id = ${technique}`;

/** The status read through `coverageJoin(…, alias)`: no row is `untested`. */
export const coverageStatus = (alias = 'cov'): SQL => sql`coalesce(${sql.raw(alias)}.status, 'untested')`;

/**
 * Spec §0.4 in SQL (the twin of `techniqueInScope` in analysis/definitions.ts, checked against it on
 * the real bundle): an active attack-pattern whose platforms meet the scope (null: all but PRE).
 */
export function inScopeSql(alias: string, scope: readonly string[] | null): SQL {
  const o = sql.raw(alias);
  const platforms = scope
    ? sql`${o}.platforms && array[${sql.join(
        scope.map((p) => sql`${p}`),
        sql`, `,
      )}]::text[]`
    : sql`exists (select 1 from unnest(${o}.platforms) pl where pl <> 'PRE')`;
  return sql`(not ${o}.revoked and not ${o}.deprecated and ${platforms})`;
}

/** The statuses as of an instant, from the history: the last change at or before it per technique. */
const statusesAsOf = (asOf: Date): SQL => sql`(
  select distinct on (h.technique_id) h.technique_id, h.to_status as status
    from coverage_history h where h.at <= ${asOf.toISOString()}::timestamptz
   order by h.technique_id, h.at desc, h.id desc)`;

// ── Counts ────────────────────────────────────────────────────────────────────────────────────────

export type CountDimension = 'status' | 'tactic' | 'platform' | 'actor' | 'software' | 'control' | 'd3fend';

export interface CountQuery {
  domain: string;
  scope: readonly string[] | null;
  by: CountDimension;
  asOf?: Date;
  /** Count sub-techniques too (default) or only top-level techniques. */
  subtechniques: boolean;
  /** For `control`: one framework (nist-800-53, cis-v8). */
  framework?: string;
  /** Only these groups (actor, software, tactic shortname, platform, control ids). */
  keys?: readonly string[];
}

export interface CountRow {
  key: string;
  name: string;
  attackId: string | null;
  order: number | null;
  status: CoverageStatus;
  n: number;
}

/**
 * In-scope techniques counted by coverage status, grouped by one dimension, in one statement
 * (as of an instant when `asOf` is given). A technique in several groups counts in each.
 */
export async function countCoverage(db: Conn, q: CountQuery): Promise<CountRow[]> {
  const statuses = q.asOf ? statusesAsOf(q.asOf) : sql`technique_coverage`;
  const techniques = sql`
    select o.id, o.tactics, o.platforms, coalesce(st.status, 'untested') as status
      from attack_objects o left join ${statuses} st on st.technique_id = o.id
     where o.domain = ${q.domain} and o.type = 'attack-pattern' and ${inScopeSql('o', q.scope)}
       ${q.subtechniques ? sql`` : sql`and not o.is_subtechnique`}`;
  const keys = q.keys?.length
    ? sql.join(
        q.keys.map((k) => sql`${k}`),
        sql`, `,
      )
    : null;
  let grouped: SQL;
  switch (q.by) {
    case 'status':
      grouped = sql`select 'all' as key, 'All techniques' as name, null as attack_id, null::int as ord, t.status, count(*)::int as n
        from t group by t.status`;
      break;
    case 'tactic':
      grouped = sql`select k.shortname as key, coalesce(x.name, k.shortname) as name, x.attack_id, x.matrix_order as ord,
                           t.status, count(*)::int as n
        from t cross join lateral unnest(t.tactics) as k(shortname)
        left join attack_objects x on x.domain = ${q.domain} and x.type = 'x-mitre-tactic' and x.shortname = k.shortname
         and not x.revoked and not x.deprecated
        ${keys ? sql`where k.shortname in (${keys})` : sql``}
        group by k.shortname, x.name, x.attack_id, x.matrix_order, t.status`;
      break;
    case 'platform':
      grouped = sql`select pl as key, pl as name, null as attack_id, null::int as ord, t.status, count(*)::int as n
        from t cross join lateral unnest(t.platforms) as pl
        ${keys ? sql`where pl in (${keys})` : sql``}
        group by pl, t.status`;
      break;
    case 'actor':
    case 'software': {
      const types = q.by === 'actor' ? sql`('intrusion-set')` : sql`('malware', 'tool')`;
      grouped = sql`select g.id::text as key, g.name, g.attack_id, null::int as ord, t.status, count(*)::int as n
        from t join attack_technique_uses u on u.technique_id = t.id
        join attack_objects g on g.id = u.source_id and g.type in ${types} and not g.revoked and not g.deprecated
        ${keys ? sql`where g.id::text in (${keys}) or upper(g.attack_id) in (${keys})` : sql``}
        group by g.id, g.name, g.attack_id, t.status`;
      break;
    }
    case 'control':
      grouped = sql`select c.id::text as key, c.name, c.control_id as attack_id, null::int as ord, t.status, count(*)::int as n
        from t join control_techniques ct on ct.technique_id = t.id
        join compliance_controls c on c.id = ct.control_id and c.removed_at is null
        where true ${q.framework ? sql`and c.framework = ${q.framework}` : sql``}
          ${keys ? sql`and c.id::text in (${keys})` : sql``}
        group by c.id, c.name, c.control_id, t.status`;
      break;
    case 'd3fend':
      grouped = sql`select d.id::text as key, d.name, d.d3fend_id as attack_id, null::int as ord, t.status, count(*)::int as n
        from t join d3fend_technique_mappings dm on dm.technique_id = t.id
        join d3fend_techniques d on d.id = dm.d3fend_technique_id and d.removed_at is null
        ${keys ? sql`where d.id::text in (${keys})` : sql``}
        group by d.id, d.name, d.d3fend_id, t.status`;
      break;
  }
  const r = await db.execute<{
    key: string;
    name: string;
    attack_id: string | null;
    ord: number | null;
    status: CoverageStatus;
    n: number;
  }>(
    // Materialised: the planner cannot estimate the scope filter (it guessed 46 of ≈ 600 techniques)
    // and nested-looped thousands of uses into it; as a CTE of its own it is hashed once (27 → 16 ms).
    sql`with t as materialized (${techniques}) ${grouped}`,
  );
  return r.rows.map((x) => ({
    key: x.key,
    name: x.name,
    attackId: x.attack_id,
    order: x.ord === null ? null : Number(x.ord),
    status: x.status,
    n: Number(x.n),
  }));
}

/** How many of the domain's active techniques the scope leaves out (shown beside every count). */
export async function outOfScopeCount(
  db: Conn,
  domain: string,
  scope: readonly string[] | null,
  subtechniques: boolean,
): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from attack_objects o
     where o.domain = ${domain} and o.type = 'attack-pattern' and not o.revoked and not o.deprecated
       and not ${inScopeSql('o', scope)} ${subtechniques ? sql`` : sql`and not o.is_subtechnique`}`);
  return Number(r.rows[0]?.n ?? 0);
}

// ── Outcomes: the current result set CR(t) (spec §0.2), set-wise ───────────────────────────────

export interface CurrentResultRow {
  techniqueId: string;
  testId: string;
  outcome: 'prevented' | 'detected' | 'logged' | 'not_detected';
  platform: string | null;
  templateId: string | null;
  chainRootId: string | null;
  executionStartedAt: Date | null;
  validatedAt: Date | null;
}

/** The current result set as SQL (spec §0.2): one row per kept test, for some techniques or all. */
function currentResultSql(techniqueIds: readonly string[] | null): SQL {
  const only = techniqueIds
    ? techniqueIds.length === 0
      ? sql`and false`
      : sql`and t.technique_id in (${sql.join(
          techniqueIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`
    : sql``;
  return sql`
    select technique_id, id, outcome, platform, template_id, chain_root_id, execution_started_at, validated_at
      from (select t.technique_id, t.id, t.outcome, t.platform, t.template_id, t.chain_root_id,
                   t.execution_started_at, t.validated_at,
                   row_number() over (
                     partition by t.technique_id, t.template_id,
                                  case when t.template_id is null then coalesce(t.chain_root_id, t.id) end,
                                  lower(coalesce(t.platform, ''))
                     order by t.execution_started_at desc nulls last, t.validated_at desc nulls last, t.id desc) as rn
              from test_cases t
             where t.state = 'validated' and t.outcome is not null ${only}) ranked
     where rn = 1`;
}

/**
 * CR(t) for some techniques (all when `techniqueIds` is null) in one window-function query: the
 * validated tests, the latest run per procedure (template, else re-test chain) × target platform.
 */
export async function currentResults(
  db: Conn,
  techniqueIds: readonly string[] | null,
): Promise<CurrentResultRow[]> {
  const r = await db.execute<{
    technique_id: string;
    id: string;
    outcome: CurrentResultRow['outcome'];
    platform: string | null;
    template_id: string | null;
    chain_root_id: string | null;
    execution_started_at: string | Date | null;
    validated_at: string | Date | null;
  }>(currentResultSql(techniqueIds));
  const date = (v: string | Date | null) => (v === null ? null : new Date(v));
  return r.rows.map((x) => ({
    techniqueId: x.technique_id,
    testId: x.id,
    outcome: x.outcome,
    platform: x.platform,
    templateId: x.template_id,
    chainRootId: x.chain_root_id,
    executionStartedAt: date(x.execution_started_at),
    validatedAt: date(x.validated_at),
  }));
}

/**
 * A digest of each technique's CR(t) (its kept tests: id, outcome, platform, run and validation
 * times), one row per technique: what changed can be found without moving every result.
 */
/** The digest of CR(t) for each technique of a set, in SQL: what `results_digest` holds. */
const resultDigestSql = (techniqueIds: readonly string[] | null): SQL => sql`
    select technique_id,
           md5(string_agg(id::text || ':' || outcome || ':' || coalesce(platform, '') || ':'
                 || coalesce((extract(epoch from execution_started_at) * 1000)::bigint::text, '') || ':'
                 || coalesce((extract(epoch from validated_at) * 1000)::bigint::text, ''), '|' order by id)) as digest
      from (${currentResultSql(techniqueIds)}) cr
     group by technique_id`;

/**
 * Refreshes the stored digest of CR(t) and the fired rule ids of some techniques (two aggregates over
 * their tests, one upsert): called by the recompute, in the transaction that moved a test, so the
 * stored values never lag the tests. A technique with neither keeps (or gets) a row with nulls.
 */
export async function refreshResultDigests(tx: Conn, techniqueIds: readonly string[]): Promise<void> {
  if (techniqueIds.length === 0) return;
  const ids = JSON.stringify([...new Set(techniqueIds)]);
  await tx.execute(sql`
    with ids as (select x::uuid as id from jsonb_array_elements_text(${ids}::jsonb) x),
    digests as (${resultDigestSql(techniqueIds)}),
    fired as (
      select t.technique_id, array_agg(distinct f->>'ruleId' order by f->>'ruleId') as rule_ids
        from test_cases t cross join lateral jsonb_array_elements(
               case when jsonb_typeof(t.fired_rules) = 'array' then t.fired_rules else '[]'::jsonb end) f
       where t.state = 'validated' and t.technique_id in (select id from ids)
         and jsonb_typeof(f) = 'object' and jsonb_typeof(f->'ruleId') = 'string'
       group by t.technique_id)
    insert into technique_coverage (technique_id, status, results_digest, fired_rule_ids)
    select i.id, 'untested', d.digest, coalesce(f.rule_ids, '{}'::text[])
      from ids i
      join attack_objects o on o.id = i.id
      left join digests d on d.technique_id = i.id
      left join fired f on f.technique_id = i.id
    on conflict (technique_id) do update
       set results_digest = excluded.results_digest, fired_rule_ids = excluded.fired_rule_ids
     where technique_coverage.results_digest is distinct from excluded.results_digest
        or technique_coverage.fired_rule_ids is distinct from excluded.fired_rule_ids`);
}

/**
 * The stored digest of each technique's CR(t) (techniques without one have no current result): a
 * change of any kept test's id, outcome, platform or dates changes it.
 */
export async function currentResultDigests(db: Conn): Promise<Map<string, string>> {
  const r = await db.execute<{ technique_id: string; digest: string }>(sql`
    select technique_id, results_digest as digest from technique_coverage where results_digest is not null`);
  return new Map(r.rows.map((x) => [x.technique_id, x.digest]));
}

/** CR(t) digests computed from the tests now (what the stored ones must equal: the tests check it). */
export async function computedResultDigests(db: Conn): Promise<Map<string, string>> {
  const r = await db.execute<{ technique_id: string; digest: string }>(resultDigestSql(null));
  return new Map(r.rows.map((x) => [x.technique_id, x.digest]));
}

/**
 * (technique_id, rule_id) of every rule that fired in a validated test of the technique, as a
 * subquery for other modules' joins (the scores' "deployed" rule): read from the stored ids.
 */
export const firedRulesSql = (): SQL =>
  sql`(select technique_id, unnest(fired_rule_ids) as rule_id from technique_coverage)`;

/**
 * CR(t) of every technique as a subquery, for other modules' aggregates (metrics): one row per kept
 * test — technique_id, id, outcome, platform, template_id, chain_root_id, execution_started_at,
 * validated_at. Join `test_cases` on `id` for anything else of the test.
 */
export const currentResultsFrom = (): SQL => sql`(${currentResultSql(null)})`;

/** The instant of the last coverage change (a subquery, for fingerprints of what reads the history). */
export const lastCoverageChangeSql = (): SQL => sql`(select max(at) from coverage_history)`;

const rankSql = (status: SQL) =>
  sql`(case ${status} when 'validated' then 2 when 'partial' then 1 else 0 end)`;

/**
 * Coverage velocity per bucket (spec §2.3): of the techniques that `techniques` (a condition on
 * `o`, an attack_objects row) admits, how many stood at a higher coverage rank at the bucket's end
 * than at its start (gross) and how many at a lower one (regressions). From the history, one statement.
 */
export async function coverageMoves(
  db: Conn,
  buckets: ReadonlyArray<{ start: Date; end: Date }>,
  techniques: SQL,
): Promise<Array<{ gross: number; regressions: number }>> {
  if (buckets.length === 0) return [];
  const json = JSON.stringify(buckets.map((b, i) => [i, b.start.toISOString(), b.end.toISOString()]));
  const r = await db.execute<{ i: number; gross: number; regressions: number }>(sql`
    with b as (select (x->>0)::int as i, (x->>1)::timestamptz as s, (x->>2)::timestamptz as e
                 from jsonb_array_elements(${json}::jsonb) x),
    moves as (
      select b.i, h.technique_id,
             (array_agg(coalesce(h.from_status, 'untested') order by h.at, h.id))[1] as first_from,
             (array_agg(h.to_status order by h.at desc, h.id desc))[1] as last_to
        from b join coverage_history h on h.at >= b.s and h.at < b.e
        join attack_objects o on o.id = h.technique_id
       where ${techniques}
       group by b.i, h.technique_id)
    select b.i,
           count(m.technique_id) filter (where ${rankSql(sql`m.last_to`)} > ${rankSql(sql`m.first_from`)})::int as gross,
           count(m.technique_id) filter (where ${rankSql(sql`m.last_to`)} < ${rankSql(sql`m.first_from`)})::int as regressions
      from b left join moves m on m.i = b.i
     group by b.i order by b.i`);
  return r.rows.map((x) => ({ gross: Number(x.gross), regressions: Number(x.regressions) }));
}

/**
 * The techniques (those `techniques`, a condition on `o`, admits) whose coverage rank differs between
 * the start and the end of a span: each with its status at the start and at the end and its last
 * change; rises first by size then latest, falls likewise. One statement.
 */
export async function coverageMovers(
  db: Conn,
  span: { start: Date; end: Date },
  techniques: SQL,
  limit: number,
): Promise<
  Array<{
    direction: 'up' | 'down';
    id: string;
    attackId: string | null;
    name: string;
    from: CoverageStatus;
    to: CoverageStatus;
    at: Date;
  }>
> {
  const r = await db.execute<{
    direction: 'up' | 'down';
    id: string;
    attack_id: string | null;
    name: string;
    first_from: CoverageStatus;
    last_to: CoverageStatus;
    at: string | Date;
  }>(sql`
    with moves as (
      select h.technique_id,
             (array_agg(coalesce(h.from_status, 'untested') order by h.at, h.id))[1] as first_from,
             (array_agg(h.to_status order by h.at desc, h.id desc))[1] as last_to,
             max(h.at) as at
        from coverage_history h
        join attack_objects o on o.id = h.technique_id
       where h.at >= ${span.start.toISOString()}::timestamptz and h.at < ${span.end.toISOString()}::timestamptz
         and ${techniques}
       group by h.technique_id),
    ranked as (
      select m.*, ${rankSql(sql`m.last_to`)} - ${rankSql(sql`m.first_from`)} as delta from moves m)
    (select 'up' as direction, o.id, o.attack_id, o.name, r.first_from, r.last_to, r.at
       from ranked r join attack_objects o on o.id = r.technique_id
      where r.delta > 0 order by r.delta desc, r.at desc, o.attack_id limit ${limit})
    union all
    (select 'down', o.id, o.attack_id, o.name, r.first_from, r.last_to, r.at
       from ranked r join attack_objects o on o.id = r.technique_id
      where r.delta < 0 order by r.delta asc, r.at desc, o.attack_id limit ${limit})`);
  return r.rows.map((x) => ({
    direction: x.direction,
    id: x.id,
    attackId: x.attack_id,
    name: x.name,
    from: x.first_from,
    to: x.last_to,
    at: new Date(x.at),
  }));
}

// ── The recompute's reads and write ────────────────────────────────────────────────────────────

/** The tests of some techniques, with what the coverage rule needs (one query). */
export async function testsForCoverage(db: Conn, techniqueIds: string[]) {
  if (techniqueIds.length === 0) return [];
  return db
    .select({
      techniqueId: testCases.techniqueId,
      chainRootId: testCases.chainRootId,
      id: testCases.id,
      state: testCases.state,
      outcome: testCases.outcome,
      validatedAt: testCases.validatedAt,
    })
    .from(testCases)
    .where(inArray(testCases.techniqueId, techniqueIds));
}

/** A technique, its parent and its sub-techniques: the set whose coverage a test change can move. */
export async function coverageFamily(
  db: Conn,
  techniqueIds: string[],
): Promise<
  Array<{ id: string; stixId: string; parentStixId: string | null; domain: string; status: string }>
> {
  if (techniqueIds.length === 0) return [];
  const ids = sql.join(
    techniqueIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const r = await db.execute<{
    id: string;
    stix_id: string;
    parent_stix_id: string | null;
    domain: string;
    status: string;
  }>(sql`
    with seed as (select id, stix_id, parent_stix_id, domain from attack_objects where id in (${ids})),
    parents as (
      select p.id, p.stix_id, p.parent_stix_id, p.domain from attack_objects p
        join seed s on s.domain = p.domain and p.stix_id = s.parent_stix_id),
    heads as (select * from seed union select * from parents)
    select o.id, o.stix_id, o.parent_stix_id, o.domain, coalesce(st.status, 'untested') as status
      from attack_objects o
      left join technique_coverage st on st.technique_id = o.id
     where o.type = 'attack-pattern'
       and (o.id in (select id from heads)
         or (not o.revoked and not o.deprecated
             and exists (select 1 from heads h where h.domain = o.domain and o.parent_stix_id = h.stix_id)))`);
  return r.rows.map((x) => ({
    id: x.id,
    stixId: x.stix_id,
    parentStixId: x.parent_stix_id,
    domain: x.domain,
    status: x.status,
  }));
}

/** A technique's coverage status and its parent's (for a sub-technique), in one query. */
export async function coverageWithParent(
  db: Conn,
  techniqueId: string,
): Promise<{ status: CoverageStatus; parent: { id: string; status: CoverageStatus } | null } | undefined> {
  const r = await db.execute<{
    status: CoverageStatus;
    parent_id: string | null;
    parent_status: CoverageStatus | null;
  }>(sql`
    select coalesce(s.status, 'untested') as status,
           p.id as parent_id, coalesce(ps.status, 'untested') as parent_status
      from attack_objects o
      left join technique_coverage s on s.technique_id = o.id
      left join attack_objects p on o.parent_stix_id is not null and p.domain = o.domain
       and p.stix_id = o.parent_stix_id and p.type = 'attack-pattern'
      left join technique_coverage ps on ps.technique_id = p.id
     where o.id = ${techniqueId}::uuid`);
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    status: row.status,
    parent: row.parent_id ? { id: row.parent_id, status: row.parent_status ?? 'untested' } : null,
  };
}

/** Writes changed statuses and their history rows, set-based. */
export async function saveCoverage(
  tx: Conn,
  changes: Array<{ techniqueId: string; from: string; to: string }>,
  testCaseId: string | null,
): Promise<void> {
  if (changes.length === 0) return;
  const json = JSON.stringify(changes);
  await tx.execute(sql`
    insert into technique_coverage (technique_id, status)
    select x."techniqueId", x."to" from jsonb_to_recordset(${json}::jsonb) as x("techniqueId" uuid, "to" text)
    on conflict (technique_id) do update set status = excluded.status, updated_at = now()`);
  await tx
    .insert(coverageHistory)
    .values(
      changes.map((c) => ({ techniqueId: c.techniqueId, fromStatus: c.from, toStatus: c.to, testCaseId })),
    );
}
