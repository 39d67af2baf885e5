import type { SnapshotCounts, SnapshotKind } from '@aegis/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import { coverageJoin, coverageStatus, inScopeSql } from '../coverage';
import { type ScoreColumns, scoreColumns, scoreJoin } from '../scores';

type Conn = Db | Tx;

const DOMAIN = 'enterprise-attack';

export type SnapshotRow = {
  id: string;
  kind: SnapshotKind;
  name: string;
  note: string;
  taken_at: Date | string;
  taken_by: string | null;
  taken_by_username: string | null;
  taken_by_display_name: string | null;
  attack_release: string | null;
  score_config_version: number | null;
  period_key: string | null;
  org_score: number | null;
  org_score_threat: number | null;
  technique_count: number;
  in_scope_count: number;
  counts: SnapshotCounts;
};

export interface NewSnapshot {
  kind: SnapshotKind;
  name: string;
  note: string;
  takenAt: Date;
  takenBy: string | null;
  attackRelease: string | null;
  scoreConfigVersion: number | null;
  periodKey: string | null;
  orgScore: number | null;
  orgScoreThreat: number | null;
  tactics: Array<{
    shortname: string;
    name: string;
    matrixOrder: number;
    score: number | null;
    threatScore: number | null;
    techniqueCount: number;
  }>;
}

/**
 * Takes a snapshot in three statements: the snapshot row (nothing when a scheduled one for the same
 * local date exists: the unique period key), every active Enterprise technique with its status,
 * scores and components, and the tactics; then the counts from the rows just written.
 * Returns the new id, or null when the period already had its snapshot.
 */
export async function insertSnapshot(
  tx: Tx,
  s: NewSnapshot,
  platformScope: readonly string[] | null,
): Promise<string | null> {
  const head = await tx.execute<{ id: string }>(sql`
    insert into snapshots (kind, name, note, taken_at, taken_by, attack_release, score_config_version, period_key,
                           org_score, org_score_threat, counts)
    values (${s.kind}, ${s.name}, ${s.note}, ${s.takenAt.toISOString()}::timestamptz, ${s.takenBy}::uuid, ${s.attackRelease}, ${s.scoreConfigVersion},
            ${s.periodKey}, ${s.orgScore}, ${s.orgScoreThreat}, '{}'::jsonb)
    on conflict (kind, period_key) where period_key is not null do nothing
    returning id`);
  const id = head.rows[0]?.id;
  if (!id) return null;
  await tx.execute(sql`
    insert into snapshot_techniques (snapshot_id, stix_id, attack_id, name, tactics, is_subtechnique, in_scope,
                                     status, own_score, aggregate_score, c_tests, c_rules, c_d3fend, c_fresh,
                                     c_platform, current_results, deployed_rules, last_validated_at)
    select ${id}::uuid, o.stix_id, o.attack_id, o.name, o.tactics, o.is_subtechnique,
           ${inScopeSql('o', platformScope)}, ${coverageStatus()}, ${scoreColumns()},
           s.deployed_rules,
           (select max(tc.validated_at)
              from jsonb_array_elements(coalesce(s.breakdown->'components'->'tests'->'results', '[]'::jsonb)) r
              join test_cases tc on tc.id = (r->>'id')::uuid)
      from attack_objects o
      ${scoreJoin(sql`o.id`)}
      ${coverageJoin(sql`o.id`)}
     where o.domain = ${DOMAIN} and o.type = 'attack-pattern' and not o.revoked and not o.deprecated`);
  if (s.tactics.length > 0)
    await tx.execute(sql`
      insert into snapshot_tactics (snapshot_id, shortname, name, matrix_order, score, threat_score, technique_count)
      select ${id}::uuid, x.shortname, x.name, x."matrixOrder", x.score, x."threatScore", x."techniqueCount"
        from jsonb_to_recordset(${JSON.stringify(s.tactics)}::jsonb)
          as x(shortname text, name text, "matrixOrder" int, score float8, "threatScore" float8, "techniqueCount" int)`);
  await tx.execute(sql`
    update snapshots set
      technique_count = c.total, in_scope_count = c.in_scope,
      counts = jsonb_build_object('validated', c.validated, 'partial', c.partial, 'not_covered', c.not_covered,
                                  'in_progress', c.in_progress, 'untested', c.untested)
      from (select count(*)::int as total, count(*) filter (where in_scope)::int as in_scope,
                   count(*) filter (where in_scope and status = 'validated')::int as validated,
                   count(*) filter (where in_scope and status = 'partial')::int as partial,
                   count(*) filter (where in_scope and status = 'not_covered')::int as not_covered,
                   count(*) filter (where in_scope and status = 'in_progress')::int as in_progress,
                   count(*) filter (where in_scope and status = 'untested')::int as untested
              from snapshot_techniques where snapshot_id = ${id}::uuid) c
     where id = ${id}::uuid`);
  return id;
}

const columns = sql`
  s.id, s.kind, s.name, s.note, s.taken_at, s.taken_by, u.username as taken_by_username,
  u.display_name as taken_by_display_name, s.attack_release, s.score_config_version, s.period_key,
  s.org_score, s.org_score_threat, s.technique_count, s.in_scope_count, s.counts`;

export async function listSnapshots(
  db: Conn,
  q: { kind?: SnapshotKind; limit: number; offset: number },
): Promise<{ rows: SnapshotRow[]; total: number }> {
  const where = q.kind ? sql`where s.kind = ${q.kind}` : sql``;
  const [rows, total] = await Promise.all([
    db.execute<SnapshotRow>(sql`
      select ${columns} from snapshots s left join users u on u.id = s.taken_by
      ${where} order by s.taken_at desc, s.id desc limit ${q.limit} offset ${q.offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from snapshots s ${where}`),
  ]);
  return { rows: rows.rows, total: Number(total.rows[0]?.n ?? 0) };
}

export async function findSnapshot(db: Conn, id: string): Promise<SnapshotRow | undefined> {
  const r = await db.execute<SnapshotRow>(sql`
    select ${columns} from snapshots s left join users u on u.id = s.taken_by where s.id = ${id}::uuid`);
  return r.rows[0];
}

export type TacticRow = {
  shortname: string;
  name: string;
  score: number | null;
  threat_score: number | null;
  technique_count: number;
};

export async function snapshotTacticRows(db: Conn, id: string): Promise<TacticRow[]> {
  const r = await db.execute<TacticRow>(sql`
    select shortname, name, score, threat_score, technique_count from snapshot_tactics
     where snapshot_id = ${id}::uuid order by matrix_order nulls last, name`);
  return r.rows;
}

/** The organisation score and counts of the snapshots in a range, oldest first (trend charts). */
export async function snapshotPoints(
  db: Conn,
  q: { from?: Date; to?: Date; kind?: SnapshotKind },
): Promise<SnapshotRow[]> {
  const parts: SQL[] = [sql`true`];
  if (q.from) parts.push(sql`s.taken_at >= ${q.from.toISOString()}::timestamptz`);
  if (q.to) parts.push(sql`s.taken_at < ${q.to.toISOString()}::timestamptz`);
  if (q.kind) parts.push(sql`s.kind = ${q.kind}`);
  const r = await db.execute<SnapshotRow>(sql`
    select ${columns} from snapshots s left join users u on u.id = s.taken_by
     where ${sql.join(parts, sql` and `)} order by s.taken_at, s.id limit 2000`);
  return r.rows;
}

export async function deleteSnapshot(tx: Tx, id: string): Promise<void> {
  await tx.execute(sql`delete from snapshots where id = ${id}::uuid`);
}

/**
 * Grandfather-father-son retention of scheduled snapshots, in one statement (spec §4.2): by the local
 * date each stands for, keep every one of the last `days`; of those older, the last of each ISO week
 * for `weeks` weeks and the last of each month for `months` months (0: forever). Manual and
 * pre-upgrade snapshots are never removed here. Returns how many were deleted.
 */
export async function applyRetention(
  tx: Tx,
  today: string,
  r: { days: number; weeks: number; months: number },
): Promise<number> {
  const res = await tx.execute<{ id: string }>(sql`
    with s as (
      select id, period_key::date as d,
             ${today}::date - period_key::date as age,
             row_number() over (partition by to_char(period_key::date, 'IYYY-IW') order by period_key desc) as in_week,
             row_number() over (partition by to_char(period_key::date, 'YYYY-MM') order by period_key desc) as in_month
        from snapshots where kind = 'scheduled' and period_key is not null)
    delete from snapshots x using s
     where x.id = s.id
       and not (s.age < ${r.days}
                or (s.in_week = 1 and s.age < ${r.weeks * 7})
                or (s.in_month = 1 and (${r.months} = 0 or s.d > (${today}::date - make_interval(months => ${r.months}))::date)))
    returning x.id`);
  return res.rows.length;
}

/** One technique of a snapshot as the comparison reads it. */
export type ComparedRow = ScoreColumns & {
  stix_id: string;
  attack_id: string | null;
  name: string;
  tactics: string[];
  is_subtechnique: boolean;
  in_scope: boolean;
  status: string;
};

const techniqueColumns = sql`stix_id, attack_id, name, tactics, is_subtechnique, in_scope, status, own_score,
  aggregate_score, c_tests, c_rules, c_d3fend, c_fresh, c_platform, current_results`;

/** A snapshot's techniques. */
export async function snapshotTechniqueRows(db: Conn, id: string): Promise<ComparedRow[]> {
  const r = await db.execute<ComparedRow>(sql`
    select ${techniqueColumns} from snapshot_techniques where snapshot_id = ${id}::uuid`);
  return r.rows;
}

/** Every active Enterprise technique now, in the shape of a snapshot row (compare with "now"). */
export async function currentTechniqueRows(
  db: Conn,
  platformScope: readonly string[] | null,
): Promise<ComparedRow[]> {
  const r = await db.execute<ComparedRow>(sql`
    select o.stix_id, o.attack_id, o.name, o.tactics, o.is_subtechnique, ${inScopeSql('o', platformScope)} as in_scope,
           ${coverageStatus()} as status, ${scoreColumns()}
      from attack_objects o
      ${scoreJoin(sql`o.id`)}
      ${coverageJoin(sql`o.id`)}
     where o.domain = ${DOMAIN} and o.type = 'attack-pattern' and not o.revoked and not o.deprecated`);
  return r.rows;
}

/**
 * Where revoked techniques went: each revoked Enterprise technique's STIX id → the live technique
 * its `revoked-by` chain ends at (chains followed to the end, cycles cut).
 */
export async function revocations(db: Conn): Promise<Map<string, string>> {
  const r = await db.execute<{ from_id: string; to_id: string }>(sql`
    with recursive edge as (
      select rel.source_ref as src, rel.target_ref as dst
        from attack_relationships rel
       where rel.domain = ${DOMAIN} and rel.relationship_type = 'revoked-by' and not rel.revoked and not rel.deprecated
    ), walk as (
      select src as origin, dst as at, 1 as depth, array[src, dst] as seen from edge
      union all
      select w.origin, e.dst, w.depth + 1, w.seen || e.dst
        from walk w join edge e on e.src = w.at
       where not e.dst = any(w.seen) and w.depth < 20
    )
    select distinct on (origin) origin as from_id, at as to_id
      from walk order by origin, depth desc`);
  return new Map(r.rows.map((x) => [x.from_id, x.to_id]));
}
