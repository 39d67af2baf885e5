import type {
  CoverageStatus,
  ListTechniqueScoresQuery,
  ScoringConfigField,
  ScoringConfigSource,
} from '@aegis/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { containsPattern, type Db, pageWithTotal, type Tx } from '../../infra/db';
import { techniqueShapeFilters } from '../attack';
import { coverageJoin, coverageStatus, firedRulesSql, inScopeSql } from '../coverage';
import type { D3fendCounts, RuleGroup, ScoringConfig } from './model';

type Conn = Db | Tx;
type Scope = readonly string[] | null;
const date = (v: string | Date | null) => (v === null ? null : new Date(v));

// ── Configuration versions ──────────────────────────────────────────────────────────────────────

export interface ConfigRow {
  version: number;
  values: ScoringConfig;
  sources: Record<ScoringConfigField, ScoringConfigSource>;
  createdAt: Date;
  createdBy: { id: string; username: string; displayName: string } | null;
}

/** The configuration in force: the highest version (with who made it). */
export async function latestConfig(db: Conn): Promise<ConfigRow | undefined> {
  const r = await db.execute<{
    version: number;
    values: ScoringConfig;
    sources: ConfigRow['sources'];
    created_at: string | Date;
    user_id: string | null;
    username: string | null;
    display_name: string | null;
  }>(sql`
    select c.version, c.values, c.sources, c.created_at, u.id as user_id, u.username, u.display_name
      from scoring_configs c left join users u on u.id = c.created_by
     order by c.version desc limit 1`);
  const row = r.rows[0];
  if (!row) return undefined;
  return {
    version: Number(row.version),
    values: row.values,
    sources: row.sources,
    createdAt: new Date(row.created_at),
    createdBy: row.user_id
      ? { id: row.user_id, username: row.username ?? '', displayName: row.display_name ?? row.username ?? '' }
      : null,
  };
}

/** Adds a version; `expected` is the version it replaces (null: the first). False when another won. */
export async function insertConfigVersion(
  tx: Conn,
  values: { version: number; values: ScoringConfig; sources: ConfigRow['sources']; createdBy: string | null },
): Promise<boolean> {
  const r = await tx.execute<{ version: number }>(sql`
    insert into scoring_configs (version, values, sources, created_by)
    values (${values.version}, ${JSON.stringify(values.values)}::jsonb, ${JSON.stringify(values.sources)}::jsonb,
            ${values.createdBy}::uuid)
    on conflict (version) do nothing returning version`);
  return r.rows.length > 0;
}

/**
 * Holds the configuration for the caller's transaction (one change or recompute at a time), and
 * gives its sorts room: CR(t) sorts every validated test once (≈ 27,000 rows at 50,000 tests).
 */
export async function holdConfig(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('aegis.scores.config'))`);
  await tx.execute(sql`set local work_mem = '32MB'`);
}

/**
 * The stored rows' input hashes and own scores: a recompute models and sends only the rows whose
 * hash moved, and rolls a changed parent up over its unchanged sub-techniques' stored scores.
 */
export async function storedScores(db: Conn): Promise<Map<string, { hash: string; ownScore: number }>> {
  const r = await db.execute<{ technique_id: string; inputs_hash: string; own_score: number }>(
    sql`select technique_id, inputs_hash, own_score from technique_scores`,
  );
  return new Map(r.rows.map((x) => [x.technique_id, { hash: x.inputs_hash, ownScore: Number(x.own_score) }]));
}

/** The tests a breakdown names, with what the page shows of each (validated tests do not change). */
export async function testsOfBreakdown(
  db: Conn,
  ids: readonly string[],
): Promise<
  Map<
    string,
    {
      title: string;
      outcome: string | null;
      platform: string | null;
      template_id: string | null;
      chain_root_id: string | null;
      execution_started_at: string | Date | null;
      validated_at: string | Date | null;
    }
  >
> {
  if (ids.length === 0) return new Map();
  const r = await db.execute<{
    id: string;
    title: string;
    outcome: string | null;
    platform: string | null;
    template_id: string | null;
    chain_root_id: string | null;
    execution_started_at: string | Date | null;
    validated_at: string | Date | null;
  }>(sql`
    select id, title, outcome, platform, template_id, chain_root_id, execution_started_at, validated_at
      from test_cases where id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`);
  return new Map(r.rows.map(({ id, ...rest }) => [id, rest]));
}

// ── The recompute's inputs: one statement each ──────────────────────────────────────────────────

export interface ScoredTechniqueRow {
  id: string;
  attackId: string | null;
  stixId: string;
  parentStixId: string | null;
  domain: string;
  platforms: string[];
  isSubtechnique: boolean;
}

/** The in-scope techniques of every domain (spec §0.4): only these are scored. */
export async function techniquesInScope(db: Conn, scope: Scope): Promise<ScoredTechniqueRow[]> {
  const r = await db.execute<{
    id: string;
    attack_id: string | null;
    stix_id: string;
    parent_stix_id: string | null;
    domain: string;
    platforms: string[];
    is_subtechnique: boolean;
  }>(sql`
    select o.id, o.attack_id, o.stix_id, o.parent_stix_id, o.domain, o.platforms, o.is_subtechnique
      from attack_objects o where o.type = 'attack-pattern' and ${inScopeSql('o', scope)}`);
  return r.rows.map((x) => ({
    id: x.id,
    attackId: x.attack_id,
    stixId: x.stix_id,
    parentStixId: x.parent_stix_id,
    domain: x.domain,
    platforms: x.platforms,
    isSubtechnique: x.is_subtechnique,
  }));
}

/**
 * Rules linked directly to each technique, counted by source, status and deployed (distinct rule
 * ids). A rule counts as deployed when the organisation says so or it fired in a validated test of
 * the technique (`fired_rules` of the test names its id: the ids coverage keeps per technique).
 */
export async function ruleGroups(db: Conn): Promise<Array<RuleGroup & { techniqueId: string }>> {
  const r = await db.execute<{
    technique_id: string;
    source: string;
    status: string | null;
    deployed: boolean;
    n: number;
  }>(sql`
    select rt.technique_id, r.source, lower(r.status) as status,
           (r.deployed or f.rule_id is not null) as deployed, count(*)::int as n
      from rule_techniques rt
      join detection_rules r on r.id = rt.rule_id and r.removed_at is null
      left join ${firedRulesSql()} f on f.technique_id = rt.technique_id and f.rule_id = r.id::text
     group by rt.technique_id, r.source, lower(r.status), (r.deployed or f.rule_id is not null)`);
  return r.rows.map((x) => ({
    techniqueId: x.technique_id,
    source: x.source,
    status: x.status,
    deployed: x.deployed,
    count: Number(x.n),
  }));
}

/** Per technique: mapped D3FEND countermeasures and the inventory's view of them; and whether any is assessed. */
export async function d3fendCounts(
  db: Conn,
): Promise<{ byTechnique: Map<string, Omit<D3fendCounts, 'inventoryAssessed'>>; assessed: boolean }> {
  const rows = await db.execute<{
    technique_id: string;
    mapped: number;
    implemented: number;
    partial: number;
  }>(sql`
      select dm.technique_id, count(*)::int as mapped,
             count(*) filter (where d.implementation = 'implemented')::int as implemented,
             count(*) filter (where d.implementation = 'partial')::int as partial
        from d3fend_technique_mappings dm
        join d3fend_techniques d on d.id = dm.d3fend_technique_id and d.removed_at is null
       group by dm.technique_id`);
  const assessed = await db.execute<{ assessed: boolean }>(sql`
    select exists (select 1 from d3fend_techniques where implementation is not null and removed_at is null) as assessed`);
  return {
    byTechnique: new Map(
      rows.rows.map((x) => [
        x.technique_id,
        { mapped: Number(x.mapped), implemented: Number(x.implemented), partial: Number(x.partial) },
      ]),
    ),
    assessed: assessed.rows[0]?.assessed === true,
  };
}

/** Tracked intrusion sets (live) with a direct `uses` of each technique: technique id → group ids. */
export async function actorsByTechnique(db: Conn): Promise<Map<string, string[]>> {
  const r = await db.execute<{ technique_id: string; groups: string[] }>(sql`
    select u.technique_id, array_agg(u.source_id::text) as groups
      from attack_technique_uses u
      join attack_objects g on g.id = u.source_id and g.type = 'intrusion-set' and not g.revoked and not g.deprecated
     group by u.technique_id`);
  return new Map(r.rows.map((x) => [x.technique_id, x.groups]));
}

// ── The write: one multi-row upsert, unchanged rows skipped ─────────────────────────────────────

export interface ScoreRowValues {
  techniqueId: string;
  ownScore: number;
  aggregateScore: number;
  applicableWeight: number;
  nActors: number;
  breakdown: unknown;
  configVersion: number;
  inputsHash: string;
}

/**
 * Writes the given scores (the changed ones: one statement) and removes those of techniques no
 * longer scored (out of scope, deleted): `keep` is every technique scored now. Returns the counts.
 */
export async function saveScores(
  tx: Conn,
  rows: readonly ScoreRowValues[],
  keep: readonly string[],
  computedAt: Date,
): Promise<{ written: number; removed: number }> {
  const json = JSON.stringify(rows);
  const ids = JSON.stringify(keep);
  const written =
    rows.length === 0
      ? { rows: [] }
      : await tx.execute<{ technique_id: string }>(sql`
    insert into technique_scores (technique_id, own_score, aggregate_score, applicable_weight, n_actors, breakdown,
                                  config_version, inputs_hash, computed_at)
    select x."techniqueId", x."ownScore", x."aggregateScore", x."applicableWeight", x."nActors", x.breakdown,
           x."configVersion", x."inputsHash", ${computedAt.toISOString()}::timestamptz
      from jsonb_to_recordset(${json}::jsonb) as x("techniqueId" uuid, "ownScore" float8, "aggregateScore" float8,
           "applicableWeight" float8, "nActors" int, breakdown jsonb, "configVersion" int, "inputsHash" text)
    on conflict (technique_id) do update set
      own_score = excluded.own_score, aggregate_score = excluded.aggregate_score,
      applicable_weight = excluded.applicable_weight, n_actors = excluded.n_actors, breakdown = excluded.breakdown,
      config_version = excluded.config_version, inputs_hash = excluded.inputs_hash, computed_at = excluded.computed_at
    where technique_scores.inputs_hash is distinct from excluded.inputs_hash
    returning technique_id`);
  const removed = await tx.execute<{ technique_id: string }>(sql`
    delete from technique_scores s
     where not exists (select 1 from jsonb_array_elements_text(${ids}::jsonb) k where k::uuid = s.technique_id)
    returning technique_id`);
  // The embedded database has no autovacuum (and a server's may be off): after a large write the
  // planner would still see the old row count and pick its plans for it.
  if (written.rows.length + removed.rows.length > 100) await tx.execute(sql`analyze technique_scores`);
  return { written: written.rows.length, removed: removed.rows.length };
}

/** What a recompute's fingerprint reads: a change in any of these can move a score. */
export async function inputsFingerprint(db: Conn): Promise<string> {
  const r = await db.execute<{ f: string }>(sql`
    select concat_ws('|',
      (select count(*) || ':' || coalesce(max(updated_at)::text, '') from test_cases where state = 'validated'),
      (select count(*) || ':' || coalesce(max(updated_at)::text, '') from detection_rules),
      (select count(*) || ':' || coalesce(max(updated_at)::text, '') from rule_techniques rt join detection_rules r on r.id = rt.rule_id),
      (select coalesce(max(updated_at)::text, '') from d3fend_techniques),
      (select count(*) from d3fend_technique_mappings),
      (select coalesce(max(finished_at)::text, '') from import_runs where status = 'succeeded'),
      (select coalesce(max(version), 0) from scoring_configs)) as f`);
  return r.rows[0]?.f ?? '';
}

// ── Reads for the routes ──────────────────────────────────────────────────────────────────────────

export type TechniqueScoreRow = {
  id: string;
  attack_id: string | null;
  name: string;
  domain: string;
  stix_id: string;
  is_subtechnique: boolean;
  parent_id: string | null;
  parent_attack_id: string | null;
  parent_name: string | null;
  tactics: string[];
  platforms: string[];
  coverage_status: CoverageStatus;
  own_score: number;
  aggregate_score: number;
  applicable_weight: number;
  n_actors: number;
  config_version: number;
  computed_at: string | Date;
};

const SCORE_COLUMNS = sql`
  o.id, o.attack_id, o.name, o.domain, o.stix_id, o.is_subtechnique, o.tactics, o.platforms,
  p.id as parent_id, p.attack_id as parent_attack_id, p.name as parent_name,
  ${coverageStatus()} as coverage_status,
  s.own_score, s.aggregate_score, s.applicable_weight, s.n_actors, s.config_version, s.computed_at`;
const scoreFrom = (scores: SQL) => sql`
  from ${scores} s
  join attack_objects o on o.id = s.technique_id
  left join attack_objects p on p.domain = o.domain and p.stix_id = o.parent_stix_id and p.type = 'attack-pattern'
  ${coverageJoin(sql`o.id`)}`;

function listFilters(q: ListTechniqueScoresQuery & { domain: string }): SQL {
  const where = techniqueShapeFilters(q);
  if (q.status) where.push(sql`${coverageStatus()} = ${q.status}`);
  if (q.minScore !== undefined) where.push(sql`s.own_score >= ${q.minScore}`);
  if (q.maxScore !== undefined) where.push(sql`s.own_score <= ${q.maxScore}`);
  return sql.join(where, sql` and `);
}

const SORTS: Record<ListTechniqueScoresQuery['sort'], SQL> = {
  attackId: sql`o.attack_id`,
  name: sql`o.name`,
  ownScore: sql`s.own_score`,
  aggregateScore: sql`s.aggregate_score`,
};

export async function listTechniqueScores(
  db: Conn,
  q: ListTechniqueScoresQuery & { domain: string },
): Promise<{ rows: TechniqueScoreRow[]; total: number }> {
  const where = listFilters(q);
  const dir = sql.raw(q.order === 'desc' ? 'desc' : 'asc');
  // The filtered set is a few hundred techniques: counted beside the page, in one statement.
  return pageWithTotal<TechniqueScoreRow>(
    db,
    // The scores first (a materialised CTE, ≈ 600 rows), then their techniques by key: otherwise the
    // planner walks every ATT&CK object in `attack_id` order to skip the sort (17 → 7 ms).
    sql`with scored as materialized (select * from technique_scores)
        select ${SCORE_COLUMNS}, count(*) over () as total_count ${scoreFrom(sql`scored`)} where ${where}
         order by ${SORTS[q.sort]} ${dir} nulls last, o.attack_id, o.id limit ${q.limit} offset ${q.offset}`,
    sql`select count(*)::int as n ${scoreFrom(sql`technique_scores`)} where ${where}`,
  );
}

/** One technique's score row with its breakdown, by ATT&CK id (a live technique wins) or our id. */
export async function findTechniqueScore(
  db: Conn,
  idOrAttackId: string,
  domain: string,
): Promise<(TechniqueScoreRow & { breakdown: unknown }) | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrAttackId);
  const r = await db.execute<TechniqueScoreRow & { breakdown: unknown }>(sql`
    select ${SCORE_COLUMNS}, s.breakdown ${scoreFrom(sql`technique_scores`)}
     where ${isUuid ? sql`o.id = ${idOrAttackId}::uuid` : sql`upper(o.attack_id) = upper(${idOrAttackId}) and o.domain = ${domain}`}
     limit 1`);
  return r.rows[0];
}

/** The scored sub-techniques of a parent (in scope only: only those are scored). */
export async function subtechniqueScores(
  db: Conn,
  domain: string,
  parentStixId: string,
): Promise<Array<{ id: string; attack_id: string | null; name: string; own_score: number }>> {
  const r = await db.execute<{ id: string; attack_id: string | null; name: string; own_score: number }>(sql`
    select o.id, o.attack_id, o.name, s.own_score
      from technique_scores s join attack_objects o on o.id = s.technique_id
     where o.domain = ${domain} and o.parent_stix_id = ${parentStixId}
     order by o.attack_id`);
  return r.rows;
}

/** Whether a technique exists (to tell "not scored: out of scope" from "no such technique"). */
export async function techniqueExists(
  db: Conn,
  idOrAttackId: string,
): Promise<
  { attack_id: string | null; platforms: string[]; revoked: boolean; deprecated: boolean } | undefined
> {
  const r = await db.execute<{
    attack_id: string | null;
    platforms: string[];
    revoked: boolean;
    deprecated: boolean;
  }>(sql`
    select attack_id, platforms, revoked, deprecated from attack_objects
     where type = 'attack-pattern' and (upper(attack_id) = upper(${idOrAttackId}) or id::text = ${idOrAttackId})
     order by revoked, deprecated limit 1`);
  return r.rows[0];
}

export type TacticMemberRow = {
  tactic_id: string;
  tactic_attack_id: string | null;
  tactic_name: string;
  shortname: string;
  matrix_order: number | null;
  id: string | null;
  attack_id: string | null;
  name: string | null;
  coverage_status: CoverageStatus | null;
  aggregate_score: number | null;
  n_actors: number | null;
  config_version: number | null;
  computed_at: string | Date | null;
};

/**
 * Each tactic of the domain (matrix order) with its scored top-level techniques (P(k)): one row per
 * tactic × member, a tactic without members once with null member columns.
 */
export async function tacticMembers(
  db: Conn,
  domain: string,
  shortname?: string,
): Promise<TacticMemberRow[]> {
  const r = await db.execute<TacticMemberRow>(sql`
    select t.id as tactic_id, t.attack_id as tactic_attack_id, t.name as tactic_name, t.shortname, t.matrix_order,
           o.id, o.attack_id, o.name, ${coverageStatus()} as coverage_status,
           s.aggregate_score, s.n_actors, s.config_version, s.computed_at
      from attack_objects t
      left join attack_objects o on o.domain = t.domain and o.type = 'attack-pattern' and not o.is_subtechnique
       and t.shortname = any(o.tactics)
       and exists (select 1 from technique_scores x where x.technique_id = o.id)
      left join technique_scores s on s.technique_id = o.id
      ${coverageJoin(sql`o.id`)}
     where t.domain = ${domain} and t.type = 'x-mitre-tactic' and not t.revoked and not t.deprecated
       ${shortname ? sql`and (t.shortname = ${shortname} or upper(t.attack_id) = upper(${shortname}))` : sql``}
     order by t.matrix_order nulls last, t.name, o.attack_id`);
  return r.rows;
}

export type ActorSummaryRow = {
  id: string;
  attack_id: string | null;
  name: string;
  technique_count: number;
  validated_count: number;
  score_sum: number | null;
  out_of_scope: number;
  config_version: number | null;
  computed_at: string | Date | null;
};

/** The actors' techniques (direct uses; with `viaSoftware` also those of the software they use). */
const actorUses = (viaSoftware: boolean) => sql`
  select u.source_id as actor_id, u.technique_id, 'direct' as via from attack_technique_uses u
  ${
    viaSoftware
      ? sql`union
  select g.id, su.technique_id, 'software' from attack_objects g
    join attack_relationships r on r.domain = g.domain and r.source_ref = g.stix_id and r.relationship_type = 'uses'
     and not r.revoked and not r.deprecated
    join attack_objects sw on sw.domain = r.domain and sw.stix_id = r.target_ref and sw.type in ('malware', 'tool')
     and not sw.revoked and not sw.deprecated
    join attack_technique_uses su on su.source_id = sw.id
   where g.type = 'intrusion-set'`
      : sql``
  }`;

/** Per actor: its scored techniques' score sum and counts, in one grouped statement (paged by name). */
export async function actorScoreSummaries(
  db: Conn,
  q: { domain: string; q?: string; limit: number; offset: number; ids?: string[]; viaSoftware: boolean },
): Promise<{ rows: ActorSummaryRow[]; total: number }> {
  const where: SQL[] = [
    sql`g.domain = ${q.domain}`,
    sql`g.type = 'intrusion-set'`,
    sql`not g.revoked and not g.deprecated`,
  ];
  if (q.q)
    where.push(sql`(g.name ilike ${containsPattern(q.q)} or g.attack_id ilike ${containsPattern(q.q)})`);
  if (q.ids)
    where.push(
      sql`(g.id::text in (${sql.join(
        q.ids.map((i) => sql`${i}`),
        sql`, `,
      )}) or upper(g.attack_id) in (${sql.join(
        q.ids.map((i) => sql`${i.toUpperCase()}`),
        sql`, `,
      )}))`,
    );
  const condition = sql.join(where, sql` and `);
  // A few hundred groups: the page and the size of the set in one statement.
  return pageWithTotal<ActorSummaryRow>(
    db,
    sql`
      with page as (select g.id, g.attack_id, g.name, count(*) over () as total_count
                      from attack_objects g where ${condition}
                     order by g.name, g.id limit ${q.limit} offset ${q.offset}),
      uses as (select distinct u.actor_id, u.technique_id from (${actorUses(q.viaSoftware)}) u
                where u.actor_id in (select id from page))
      select p.id, p.attack_id, p.name, p.total_count,
             count(s.technique_id)::int as technique_count,
             count(s.technique_id) filter (where ${coverageStatus()} = 'validated')::int as validated_count,
             sum(case when o.is_subtechnique then s.own_score else s.aggregate_score end) as score_sum,
             count(*) filter (where u.technique_id is not null and s.technique_id is null
                                and not o.revoked and not o.deprecated)::int as out_of_scope,
             max(s.config_version) as config_version, max(s.computed_at) as computed_at
        from page p
        left join uses u on u.actor_id = p.id
        left join attack_objects o on o.id = u.technique_id
        left join technique_scores s on s.technique_id = u.technique_id
        ${coverageJoin(sql`u.technique_id`)}
       group by p.id, p.attack_id, p.name, p.total_count
       order by p.name, p.id`,
    sql`select count(*)::int as n from attack_objects g where ${condition}`,
  );
}

export type ActorTechniqueRow = {
  id: string;
  attack_id: string | null;
  name: string;
  is_subtechnique: boolean;
  coverage_status: CoverageStatus;
  score: number | null;
  scored: boolean;
  via: 'direct' | 'software';
  live: boolean;
};

/** One actor's techniques with their score (own for a sub-technique, aggregate for a parent). */
export async function actorTechniques(
  db: Conn,
  actorId: string,
  viaSoftware: boolean,
): Promise<ActorTechniqueRow[]> {
  const r = await db.execute<ActorTechniqueRow>(sql`
    with uses as (select u.technique_id, min(u.via) as via from (${actorUses(viaSoftware)}) u
                   where u.actor_id = ${actorId}::uuid group by u.technique_id)
    select o.id, o.attack_id, o.name, o.is_subtechnique, ${coverageStatus()} as coverage_status,
           case when o.is_subtechnique then s.own_score else s.aggregate_score end as score,
           (s.technique_id is not null) as scored, u.via, (not o.revoked and not o.deprecated) as live
      from uses u join attack_objects o on o.id = u.technique_id
      left join technique_scores s on s.technique_id = o.id
      ${coverageJoin(sql`o.id`)}
     order by o.attack_id`);
  return r.rows.map((x) => ({ ...x, score: x.score === null ? null : Number(x.score) }));
}

export const asDate = date;

/** What `scoreColumns` reads for a technique: its scores and the five components (null: not scored or not applicable). */
export type ScoreColumns = {
  own_score: number | null;
  aggregate_score: number | null;
  c_tests: number | null;
  c_rules: number | null;
  c_d3fend: number | null;
  c_fresh: number | null;
  c_platform: number | null;
  /** How many current results (CR) the tests component counted. */
  current_results: number;
};

/** Joins a technique's stored score as `s` (none: every score column null). */
export const scoreJoin = (technique: SQL): SQL =>
  sql`left join technique_scores s on s.technique_id = ${technique}`;

/** The `ScoreColumns` select list, read through `scoreJoin`: other modules never name the scores table. */
export const scoreColumns = (): SQL => sql`s.own_score, s.aggregate_score, s.c_tests, s.c_rules, s.c_d3fend,
  s.c_fresh, s.c_platform, coalesce(s.current_results, 0) as current_results`;
