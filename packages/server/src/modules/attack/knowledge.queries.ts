import type { CoverageStatus, ListTechniquesQuery } from '@aegis/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { containsPattern, type Db, prefixPattern, type Tx } from '../../infra/db';
import { coverageJoin, coverageStatus } from '../coverage';

type Conn = Db | Tx;
const live = (alias: string) => sql.raw(`not ${alias}.revoked and not ${alias}.deprecated`);

export type TechniqueRow = {
  id: string;
  attack_id: string | null;
  stix_id: string;
  domain: string;
  name: string;
  tactics: string[];
  platforms: string[];
  is_subtechnique: boolean;
  deprecated: boolean;
  revoked: boolean;
  version: string | null;
  stix_modified: string | Date | null;
  parent_id: string | null;
  parent_attack_id: string | null;
  parent_name: string | null;
  coverage_status: CoverageStatus;
  review_required: boolean;
  subtechnique_count: number;
};

const TECHNIQUE_COLUMNS = sql`
  o.id, o.attack_id, o.stix_id, o.domain, o.name, o.tactics, o.platforms, o.is_subtechnique, o.deprecated, o.revoked,
  o.version, o.stix_modified, p.id as parent_id, p.attack_id as parent_attack_id, p.name as parent_name,
  ${coverageStatus()} as coverage_status, coalesce(s.review_required, false) as review_required,
  (select count(*) from attack_objects c
    where c.domain = o.domain and c.parent_stix_id = o.stix_id and c.type = 'attack-pattern'
      and not c.revoked and not c.deprecated)::int as subtechnique_count`;

const TECHNIQUE_FROM = sql`
  from attack_objects o
  left join attack_objects p on p.domain = o.domain and p.stix_id = o.parent_stix_id and p.type = 'attack-pattern'
  left join technique_states s on s.technique_id = o.id
  ${coverageJoin(sql`o.id`)}`;

/**
 * The filters every technique list shares, on `o` (attack_objects): domain, sub-techniques
 * (include | exclude | only), tactic (shortname or TA id), platform (any case).
 */
export function techniqueShapeFilters(q: {
  domain: string;
  subtechniques?: 'include' | 'exclude' | 'only';
  tactic?: string;
  platform?: string;
}): SQL[] {
  const where: SQL[] = [sql`o.domain = ${q.domain}`];
  if (q.subtechniques === 'exclude') where.push(sql`not o.is_subtechnique`);
  if (q.subtechniques === 'only') where.push(sql`o.is_subtechnique`);
  if (q.tactic)
    where.push(sql`(${q.tactic} = any(o.tactics) or o.tactics && array(
      select t.shortname from attack_objects t
       where t.domain = o.domain and t.type = 'x-mitre-tactic' and upper(t.attack_id) = upper(${q.tactic})))`);
  if (q.platform)
    where.push(sql`exists (select 1 from unnest(o.platforms) pl where lower(pl) = lower(${q.platform}))`);
  return where;
}

function techniqueFilters(q: ListTechniquesQuery): SQL {
  const where: SQL[] = [...techniqueShapeFilters(q), sql`o.type = 'attack-pattern'`];
  if (!q.includeDeprecated) where.push(live('o'));
  if (q.coverage) where.push(sql`${coverageStatus()} = ${q.coverage}`);
  if (q.reviewRequired !== undefined)
    where.push(sql`coalesce(s.review_required, false) = ${q.reviewRequired}`);
  if (q.q) {
    const p = containsPattern(q.q);
    where.push(
      sql`(o.attack_id ilike ${prefixPattern(q.q)} or o.name ilike ${p} or o.description ilike ${p})`,
    );
  }
  return sql.join(where, sql` and `);
}

function techniqueSort(q: ListTechniquesQuery): SQL {
  const dir = sql.raw(q.order === 'desc' ? 'desc' : 'asc');
  switch (q.sort) {
    case 'name':
      return sql`o.name ${dir} nulls last, o.id`;
    case 'modified':
      return sql`o.stix_modified ${dir} nulls last, o.id`;
    case 'relevance':
      if (q.q)
        return sql`case when upper(o.attack_id) = upper(${q.q}) then 0
                        when o.attack_id ilike ${prefixPattern(q.q)} then 1
                        when o.name ilike ${prefixPattern(q.q)} then 2
                        when o.name ilike ${containsPattern(q.q)} then 3
                        else 4 end ${dir}, o.attack_id nulls last, o.id`;
      return sql`o.attack_id ${dir} nulls last, o.id`;
    default:
      return sql`o.attack_id ${dir} nulls last, o.id`;
  }
}

export async function listTechniques(
  db: Conn,
  q: ListTechniquesQuery,
): Promise<{ rows: TechniqueRow[]; total: number }> {
  const where = techniqueFilters(q);
  const order = techniqueSort(q);
  const [page, count] = await Promise.all([
    db.execute<TechniqueRow>(
      sql`select ${TECHNIQUE_COLUMNS} ${TECHNIQUE_FROM} where ${where} order by ${order} limit ${q.limit} offset ${q.offset}`,
    ),
    db.execute<{ n: number }>(sql`select count(*)::int as n ${TECHNIQUE_FROM} where ${where}`),
  ]);
  return { rows: page.rows, total: count.rows[0]?.n ?? 0 };
}

/** By our id or ATT&CK id; a live object wins over a revoked one with the same ATT&CK id. */
const objectMatch = (idOrAttackId: string, types: string[], domain?: string) => {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrAttackId);
  const typeList = sql.join(
    types.map((t) => sql`${t}`),
    sql`, `,
  );
  return sql`
      from attack_objects o left join technique_states s on s.technique_id = o.id ${coverageJoin(sql`o.id`)}
     where o.type in (${typeList})
       and ${isUuid ? sql`o.id = ${idOrAttackId}::uuid` : sql`upper(o.attack_id) = upper(${idOrAttackId})`}
       ${domain ? sql`and o.domain = ${domain}` : sql``}
     order by o.revoked, o.deprecated, o.domain = 'enterprise-attack' desc, o.stix_modified desc nulls last
     limit 1`;
};

/** One object with its state, matched by `objectMatch`. */
export async function findObjectRow(
  db: Conn,
  idOrAttackId: string,
  types: string[],
  domain?: string,
): Promise<
  (Record<string, unknown> & { id: string; stix_id: string; domain: string; type: string }) | undefined
> {
  const r = await db.execute<
    Record<string, unknown> & { id: string; stix_id: string; domain: string; type: string }
  >(sql`
    select o.*, ${coverageStatus()} as coverage_status, coalesce(s.review_required, false) as review_required,
           coalesce(s.review_reasons, '[]'::jsonb) as review_reasons, s.reviewed_at, coalesce(s.notes, '') as notes
      ${objectMatch(idOrAttackId, types, domain)}`);
  return r.rows[0];
}

/** A technique as a test names it: no more than a test needs (no description, no upstream extras). */
export type TechniqueBrief = {
  id: string;
  attack_id: string | null;
  name: string;
  tactics: string[];
  revoked: boolean;
  coverage_status: string;
};

/** A technique by our id or ATT&CK id (matched like `findObjectRow`), with its coverage status. */
export async function findTechniqueBrief(
  db: Conn,
  idOrAttackId: string,
): Promise<TechniqueBrief | undefined> {
  const r = await db.execute<TechniqueBrief>(sql`
    select o.id, o.attack_id, o.name, o.tactics, o.revoked, ${coverageStatus()} as coverage_status
      ${objectMatch(idOrAttackId, ['attack-pattern'])}`);
  return r.rows[0];
}

export async function findTechniqueRow(db: Conn, id: string): Promise<TechniqueRow | undefined> {
  const r = await db.execute<TechniqueRow>(
    sql`select ${TECHNIQUE_COLUMNS} ${TECHNIQUE_FROM} where o.id = ${id}::uuid`,
  );
  return r.rows[0];
}

export type RelatedRow = {
  relationship_type: string;
  description: string | null;
  outgoing: boolean;
  id: string;
  attack_id: string | null;
  name: string;
  type: string;
  tactics: string[];
  coverage_status: CoverageStatus;
};

/** Everything related to one object, both directions, live objects only (one query). */
export async function relatedObjects(db: Conn, domain: string, stixId: string): Promise<RelatedRow[]> {
  const r = await db.execute<RelatedRow>(sql`
    select r.relationship_type, r.description, (r.source_ref = ${stixId}) as outgoing,
           o.id, o.attack_id, o.name, o.type, o.tactics, ${coverageStatus()} as coverage_status
      from attack_relationships r
      join attack_objects o on o.domain = r.domain
       and o.stix_id = case when r.source_ref = ${stixId} then r.target_ref else r.source_ref end
      ${coverageJoin(sql`o.id`)}
     where r.domain = ${domain} and (r.source_ref = ${stixId} or r.target_ref = ${stixId})
       and not r.revoked and not r.deprecated
       and (r.relationship_type = 'revoked-by' or (not o.revoked and not o.deprecated))
     order by o.attack_id nulls last, o.name`);
  return r.rows;
}

export async function subtechniquesOf(
  db: Conn,
  domain: string,
  stixId: string,
): Promise<Array<{ id: string; attack_id: string | null; name: string; coverage_status: CoverageStatus }>> {
  const r = await db.execute<{
    id: string;
    attack_id: string | null;
    name: string;
    coverage_status: CoverageStatus;
  }>(sql`
    select o.id, o.attack_id, o.name, ${coverageStatus()} as coverage_status
      from attack_objects o ${coverageJoin(sql`o.id`)}
     where o.domain = ${domain} and o.parent_stix_id = ${stixId} and o.type = 'attack-pattern' and ${live('o')}
     order by o.attack_id`);
  return r.rows;
}

export type TacticRow = {
  id: string;
  attack_id: string | null;
  stix_id: string;
  name: string;
  shortname: string | null;
  description: string;
  matrix_order: number | null;
  domain: string;
  technique_count: number;
  subtechnique_count: number;
};

/** Tactics in matrix order, with how many live techniques and sub-techniques each holds. */
export async function listTactics(db: Conn, domain: string): Promise<TacticRow[]> {
  const r = await db.execute<TacticRow>(sql`
    select t.id, t.attack_id, t.stix_id, t.name, t.shortname, t.description, t.matrix_order, t.domain,
           count(o.id) filter (where not o.is_subtechnique)::int as technique_count,
           count(o.id) filter (where o.is_subtechnique)::int as subtechnique_count
      from attack_objects t
      left join attack_objects o on o.domain = t.domain and o.type = 'attack-pattern' and ${live('o')}
       and t.shortname = any(o.tactics)
     where t.domain = ${domain} and t.type = 'x-mitre-tactic' and ${live('t')}
     group by t.id
     order by t.matrix_order nulls last, t.name`);
  return r.rows;
}

/** Each platform the domain's live techniques and sub-techniques name, with how many name it. */
export async function platformCounts(
  db: Conn,
  domain: string,
): Promise<Array<{ name: string; techniqueCount: number }>> {
  const r = await db.execute<{ name: string; technique_count: number }>(sql`
    select pl as name, count(*)::int as technique_count
      from attack_objects o cross join lateral unnest(o.platforms) as pl
     where o.domain = ${domain} and o.type = 'attack-pattern' and ${live('o')}
     group by pl`);
  return r.rows.map((row) => ({ name: row.name, techniqueCount: Number(row.technique_count) }));
}

export type ActorRow = {
  id: string;
  attack_id: string | null;
  stix_id: string;
  domain: string;
  name: string;
  type: string;
  aliases: string[];
  platforms: string[];
  stix_modified: string | Date | null;
  extra: Record<string, unknown>;
  technique_count: number;
  validated_count: number;
};

/** Groups, software or campaigns with the number of live techniques they use (one grouped query). */
export async function listUsers(
  db: Conn,
  q: { domain: string; types: string[]; q?: string; technique?: string; limit: number; offset: number },
): Promise<{ rows: ActorRow[]; total: number }> {
  const types = sql.join(
    q.types.map((t) => sql`${t}`),
    sql`, `,
  );
  const where: SQL[] = [sql`g.domain = ${q.domain}`, sql`g.type in (${types})`, live('g')];
  if (q.q) {
    const p = containsPattern(q.q);
    where.push(
      sql`(g.name ilike ${p} or g.attack_id ilike ${p} or exists (select 1 from unnest(g.aliases) a where a ilike ${p}))`,
    );
  }
  if (q.technique)
    where.push(sql`exists (select 1 from attack_technique_uses u2 join attack_objects t2 on t2.id = u2.technique_id
       where u2.source_id = g.id and (upper(t2.attack_id) = upper(${q.technique}) or t2.id::text = ${q.technique}))`);
  const condition = sql.join(where, sql` and `);
  const [page, count] = await Promise.all([
    // The page first (a few hundred groups at most, sorted by name), then each one's techniques
    // counted from the derived uses table (ADR 15): an index-only range per group.
    db.execute<ActorRow>(sql`
      select g.id, g.attack_id, g.stix_id, g.domain, g.name, g.type, g.aliases, g.platforms, g.stix_modified, g.extra,
             u.technique_count, u.validated_count
        from (select * from attack_objects g where ${condition} order by g.name, g.id
               limit ${q.limit} offset ${q.offset}) g
        cross join lateral (
          select count(*)::int as technique_count,
                 count(*) filter (where ${coverageStatus()} = 'validated')::int as validated_count
            from attack_technique_uses tu
            ${coverageJoin(sql`tu.technique_id`)}
           where tu.source_id = g.id) u
       order by g.name, g.id`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from attack_objects g where ${condition}`),
  ]);
  return { rows: page.rows, total: count.rows[0]?.n ?? 0 };
}

export async function upsertTechniqueNotes(tx: Conn, id: string, notes: string): Promise<void> {
  await tx.execute(sql`
    insert into technique_states (technique_id, notes) values (${id}::uuid, ${notes})
    on conflict (technique_id) do update set notes = excluded.notes, updated_at = now()`);
}

export async function clearReview(tx: Conn, id: string, userId: string | null): Promise<boolean> {
  const r = await tx.execute<{ technique_id: string }>(sql`
    update technique_states set review_required = false, reviewed_at = now(), reviewed_by = ${userId}, updated_at = now()
     where technique_id = ${id}::uuid and review_required returning technique_id`);
  return r.rows.length > 0;
}

/** The release of the domain's last successful import (the runs table is small; newest first by index). */
export async function loadedRelease(
  db: Conn,
  domain: string,
): Promise<{ release: string | null; finished_at: Date | string | null } | undefined> {
  const r = await db.execute<{ release: string | null; finished_at: Date | string | null }>(sql`
    select release, finished_at from import_runs
     where kind = 'attack' and status = 'succeeded' and domain = ${domain} and release is not null
     order by created_at desc limit 1`);
  return r.rows[0];
}
