import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import { coverageJoin, coverageStatus, inScopeSql } from '../coverage';
import { scoreColumns, scoreJoin } from '../scores';
import type { TechniqueRow } from './layers';

type Conn = Db | Tx;

export interface TechniqueFilters {
  platform?: string | undefined;
  tactic?: string | undefined;
  /** The threat actor's id (resolved). */
  actorId?: string | undefined;
  hasTests?: boolean | undefined;
  status?: string | undefined;
}

/**
 * Every active technique of a domain that passes the filters, with what every layer reads — coverage
 * status, scores and components, the current results counted — and `marked` (the layer's own mark:
 * an actor's use, or how many selected controls map it): one statement.
 */
export async function heatmapRows(
  db: Conn,
  q: {
    domain: string;
    platformScope: readonly string[] | null;
    filters: TechniqueFilters;
    marked: SQL | null;
    claims: { count: SQL; score: SQL; color: SQL } | null;
  },
): Promise<TechniqueRow[]> {
  const f = q.filters;
  const where: SQL[] = [
    sql`o.domain = ${q.domain}`,
    sql`o.type = 'attack-pattern'`,
    sql`not o.revoked`,
    sql`not o.deprecated`,
  ];
  if (f.platform)
    where.push(sql`exists (select 1 from unnest(o.platforms) x where lower(x) = lower(${f.platform}::text))`);
  if (f.tactic) where.push(sql`${f.tactic}::text = any(o.tactics)`);
  if (f.actorId)
    where.push(
      sql`exists (select 1 from attack_technique_uses u where u.technique_id = o.id and u.source_id = ${f.actorId}::uuid)`,
    );
  if (f.hasTests !== undefined)
    where.push(
      f.hasTests
        ? sql`exists (select 1 from test_cases t where t.technique_id = o.id)`
        : sql`not exists (select 1 from test_cases t where t.technique_id = o.id)`,
    );
  if (f.status) where.push(sql`${coverageStatus()} = ${f.status}::text`);
  const r = await db.execute<TechniqueRow>(sql`
    select o.id, o.stix_id, o.attack_id, o.name, o.is_subtechnique, p.id as parent_id, o.tactics, o.platforms,
           ${inScopeSql('o', q.platformScope)} as in_scope, ${coverageStatus()} as status,
           ${scoreColumns()},
           ${q.marked ?? sql`null`}::int as marked,
           ${q.claims?.count ?? sql`null`}::int as claim_count,
           ${q.claims?.score ?? sql`null`}::float8 as claim_score,
           ${q.claims?.color ?? sql`null`}::text as claim_color
      from attack_objects o
      left join attack_objects p on p.domain = o.domain and p.type = 'attack-pattern' and p.stix_id = o.parent_stix_id
      ${scoreJoin(sql`o.id`)}
      ${coverageJoin(sql`o.id`)}
     where ${sql.join(where, sql` and `)}
     order by o.attack_id`);
  return r.rows;
}

/** How many active techniques the domain has, and how many of them are out of the organisation's scope. */
export async function domainCounts(
  db: Conn,
  domain: string,
  platformScope: readonly string[] | null,
): Promise<{ total: number; outOfScope: number }> {
  const r = await db.execute<{ total: number; out_of_scope: number }>(sql`
    select count(*)::int as total, count(*) filter (where not ${inScopeSql('o', platformScope)})::int as out_of_scope
      from attack_objects o
     where o.domain = ${domain} and o.type = 'attack-pattern' and not o.revoked and not o.deprecated`);
  return { total: Number(r.rows[0]?.total ?? 0), outOfScope: Number(r.rows[0]?.out_of_scope ?? 0) };
}

/** The domain's tactics in matrix order. */
export async function domainTactics(
  db: Conn,
  domain: string,
): Promise<Array<{ shortname: string; attack_id: string | null; name: string }>> {
  const r = await db.execute<{ shortname: string; attack_id: string | null; name: string }>(sql`
    select shortname, attack_id, name from attack_objects
     where domain = ${domain} and type = 'x-mitre-tactic' and not revoked and not deprecated and shortname is not null
     order by matrix_order nulls last, name`);
  return r.rows;
}

/** A threat actor (intrusion set) by id or ATT&CK id. */
export async function findActor(
  db: Conn,
  domain: string,
  ref: string,
): Promise<{ id: string; attack_id: string | null; name: string } | undefined> {
  const r = await db.execute<{ id: string; attack_id: string | null; name: string }>(sql`
    select id, attack_id, name from attack_objects
     where domain = ${domain} and type = 'intrusion-set'
       and (id::text = ${ref} or upper(attack_id) = upper(${ref}))
     order by revoked, deprecated limit 1`);
  return r.rows[0];
}

/** Whether a framework (and control) is loaded: how many live controls match. */
export async function controlCount(db: Conn, framework: string, control?: string): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from compliance_controls
     where framework = ${framework} and removed_at is null
       ${control ? sql`and upper(control_id) = upper(${control})` : sql``}`);
  return Number(r.rows[0]?.n ?? 0);
}

/** The actor layer's mark: 1 when the actor uses the technique. */
export const actorMark = (actorId: string) =>
  sql`(exists (select 1 from attack_technique_uses u where u.technique_id = o.id and u.source_id = ${actorId}::uuid))::int`;

/** The compliance layer's mark: how many of the framework's live controls (or the one control) map the technique. */
export const complianceMark = (framework: string, control?: string) => sql`(
  select count(*) from control_techniques ct join compliance_controls c on c.id = ct.control_id
   where ct.technique_id = o.id and c.framework = ${framework} and c.removed_at is null
     ${control ? sql`and upper(c.control_id) = upper(${control})` : sql``})`;

/** The platforms the domain's active techniques name, sorted (the release's own spelling). */
export async function domainPlatforms(db: Conn, domain: string): Promise<string[]> {
  const r = await db.execute<{ p: string }>(sql`
    select distinct p from attack_objects o, unnest(o.platforms) p
     where o.domain = ${domain} and o.type = 'attack-pattern' and not o.revoked and not o.deprecated
     order by p`);
  return r.rows.map((x) => x.p);
}
