import type { ListTestTemplatesQuery } from '@aegis/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../infra/db';
import { containsPattern } from '../../infra/db';
import { type Conn, countOf, mappedTo, techniqueRefs, whereAll } from './listing.queries';

export type TemplateRow = {
  id: string;
  source: string;
  source_id: string;
  name: string;
  description: string;
  tactics: string[];
  source_tactics: string[];
  platforms: string[];
  executor: string | null;
  command: string | null;
  cleanup_command: string | null;
  input_arguments: unknown[];
  dependencies: unknown[];
  variants: unknown[] | null;
  elevation_required: boolean;
  expected_outcome: 'prevented' | 'detected' | 'logged' | 'not_detected' | null;
  path: string | null;
  url: string | null;
  active: boolean;
  removed_at: Date | string | null;
  is_custom: boolean;
  created_by: string | null;
  unresolved_attack_ids: string[];
  created_at: Date | string;
  updated_at: Date | string;
  techniques: Array<{ id: string; attackId: string | null; name: string }>;
};

const refs = techniqueRefs('template_techniques', 'template_id', sql`t.id`);

function filters(q: Partial<ListTestTemplatesQuery>): SQL {
  return whereAll([
    q.includeRemoved ? undefined : sql`t.removed_at is null`,
    q.source ? sql`t.source = ${q.source}` : undefined,
    q.active === undefined ? undefined : sql`t.active = ${q.active}`,
    q.platform ? sql`t.platforms @> array[${q.platform}]::text[]` : undefined,
    // The template's tactics already follow the loaded release (recomputeTemplateTactics).
    q.tactic ? sql`t.tactics @> array[${q.tactic}]::text[]` : undefined,
    q.technique ? mappedTo('template_techniques', 'template_id', sql`t.id`, q.technique) : undefined,
    q.q
      ? sql`(t.name ilike ${containsPattern(q.q)} or t.description ilike ${containsPattern(q.q)}
             or t.source_id ilike ${containsPattern(q.q)})`
      : undefined,
  ]);
}

const SORT: Record<ListTestTemplatesQuery['sort'], string> = {
  name: 't.name',
  source: 't.source',
  updatedAt: 't.updated_at',
};

export async function listTemplates(
  db: Conn,
  q: ListTestTemplatesQuery,
): Promise<{ rows: TemplateRow[]; total: number }> {
  const where = filters(q);
  const dir = q.order === 'desc' ? 'desc' : 'asc';
  const order = sql.raw(`${SORT[q.sort]} ${dir}, t.id ${dir}`);
  const r = await db.execute<TemplateRow>(sql`
    select t.*, ${refs} as techniques from test_templates t
     where ${where} order by ${order} limit ${q.limit} offset ${q.offset}`);
  const total = await countOf(db, sql`select count(*)::int as n from test_templates t where ${where}`);
  return { rows: r.rows, total };
}

export async function findTemplate(db: Conn, id: string): Promise<TemplateRow | undefined> {
  const r = await db.execute<TemplateRow>(
    sql`select t.*, ${refs} as techniques from test_templates t where t.id = ${id}::uuid`,
  );
  return r.rows[0];
}

/** Live enterprise techniques by our id or ATT&CK id; revoked ones are not offered for new work. */
export async function findLiveTechniques(
  db: Conn,
  ids: string[],
): Promise<Array<{ ref: string; id: string; attackId: string | null }>> {
  if (ids.length === 0) return [];
  const r = await db.execute<{ ref: string; id: string; attack_id: string | null }>(sql`
    select distinct on (v.ref) v.ref, o.id, o.attack_id
      from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) as v(ref)
      join attack_objects o on o.type = 'attack-pattern' and not o.revoked
       and (o.id::text = lower(v.ref) or upper(o.attack_id) = upper(v.ref))
     order by v.ref, o.domain = 'enterprise-attack' desc, o.deprecated`);
  return r.rows.map((x) => ({ ref: x.ref, id: x.id, attackId: x.attack_id }));
}

export interface TemplateWrite {
  name: string;
  description: string;
  tactics: string[];
  platforms: string[];
  executor: string | null;
  command: string | null;
  cleanupCommand: string | null;
  inputArguments: unknown[];
  dependencies: unknown[];
  elevationRequired: boolean;
  expectedOutcome: 'prevented' | 'detected' | 'logged' | 'not_detected' | null;
}

const COLUMN: Record<keyof TemplateWrite, string> = {
  name: 'name',
  description: 'description',
  // The author's tactics are the source's; `tactics` is derived from them (recomputeTemplateTactics).
  tactics: 'source_tactics',
  platforms: 'platforms',
  executor: 'executor',
  command: 'command',
  cleanupCommand: 'cleanup_command',
  inputArguments: 'input_arguments',
  dependencies: 'dependencies',
  elevationRequired: 'elevation_required',
  expectedOutcome: 'expected_outcome',
};

function sqlValue(key: keyof TemplateWrite, value: unknown): SQL {
  if (key === 'tactics' || key === 'platforms')
    return sql`array(select jsonb_array_elements_text(${JSON.stringify(value)}::jsonb))`;
  if (key === 'inputArguments' || key === 'dependencies') return sql`${JSON.stringify(value)}::jsonb`;
  return sql`${value}`;
}

export async function insertCustomTemplate(
  tx: Tx,
  values: TemplateWrite & { sourceId: string; contentHash: string; createdBy: string | null },
): Promise<string> {
  const keys = Object.keys(COLUMN) as Array<keyof TemplateWrite>;
  const r = await tx.execute<{ id: string }>(sql`
    insert into test_templates (source, source_id, content_hash, is_custom, created_by,
      ${sql.raw(keys.map((k) => COLUMN[k]).join(', '))})
    values ('custom', ${values.sourceId}, ${values.contentHash}, true, ${values.createdBy}::uuid,
      ${sql.join(
        keys.map((k) => sqlValue(k, values[k])),
        sql`, `,
      )})
    returning id`);
  const id = r.rows[0]?.id;
  if (!id) throw new Error('insert returned no row');
  return id;
}

export async function updateTemplateColumns(
  tx: Tx,
  id: string,
  patch: Partial<TemplateWrite>,
): Promise<void> {
  const keys = (Object.keys(patch) as Array<keyof TemplateWrite>).filter((k) => patch[k] !== undefined);
  const sets = keys.map((k) => sql`${sql.raw(COLUMN[k])} = ${sqlValue(k, patch[k])}`);
  await tx.execute(sql`
    update test_templates set ${sql.join([...sets, sql`updated_at = now()`], sql`, `)} where id = ${id}::uuid`);
}

export async function setTemplateTechniques(tx: Tx, id: string, techniqueIds: string[]): Promise<void> {
  await tx.execute(sql`delete from template_techniques where template_id = ${id}::uuid`);
  await tx.execute(sql`
    insert into template_techniques (template_id, technique_id)
    select ${id}::uuid, v::uuid from jsonb_array_elements_text(${JSON.stringify(techniqueIds)}::jsonb) v
    on conflict do nothing`);
}

export async function setTemplatesActive(tx: Tx, ids: string[], active: boolean): Promise<string[]> {
  const r = await tx.execute<{ id: string }>(sql`
    update test_templates set active = ${active}, updated_at = now()
     where id in (select v::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) v)
       and active <> ${active}
    returning id`);
  return r.rows.map((x) => x.id);
}

export interface Bucket {
  key: string;
  total: number;
  active: number;
}

/** Template statistics in one round trip per figure group; every figure ignores removed templates. */
export async function templateStats(db: Conn) {
  const bucket = async (keyExpr: SQL, from: SQL): Promise<Bucket[]> => {
    const r = await db.execute<{ key: string; total: number | string; active: number | string }>(sql`
      select ${keyExpr} as key, count(*)::int as total, count(*) filter (where t.active)::int as active
        from ${from} group by 1 order by 2 desc, 1`);
    return r.rows.map((x) => ({ key: x.key, total: Number(x.total), active: Number(x.active) }));
  };
  const live = sql`(select * from test_templates where removed_at is null) t`;
  const bySource = await bucket(sql`t.source`, live);
  const byPlatform = await bucket(
    sql`p.platform`,
    sql`${live} cross join lateral unnest(t.platforms) p(platform)`,
  );
  const byTactic = await bucket(sql`x.tactic`, sql`${live} cross join lateral unnest(t.tactics) x(tactic)`);
  const r = await db.execute<{ techniques: number | string; covered: number | string }>(sql`
    select count(*)::int as techniques,
           count(*) filter (where exists (
             select 1 from template_techniques m join test_templates t on t.id = m.template_id
              where m.technique_id = o.id and t.active and t.removed_at is null))::int as covered
      from attack_objects o
     where o.domain = 'enterprise-attack' and o.type = 'attack-pattern' and not o.revoked and not o.deprecated`);
  const total = bySource.reduce((n, b) => n + b.total, 0);
  const active = bySource.reduce((n, b) => n + b.active, 0);
  return {
    total,
    active,
    bySource,
    byPlatform,
    byTactic,
    coverage: {
      techniques: Number(r.rows[0]?.techniques ?? 0),
      withActiveTemplate: Number(r.rows[0]?.covered ?? 0),
    },
  };
}

/**
 * A template's tactics follow the loaded ATT&CK release: its techniques' tactics there, in matrix order.
 * Upstream tactics are kept as `source_tactics` only (Atomic Red Team's index already names v19's
 * `stealth`, which an 18.1 knowledge base does not have). A custom template's author picked tactics from
 * the loaded release: those of them its techniques still have are kept. With no technique in the release,
 * the source's own. One statement for the templates in scope (a source, one template, or all); returns
 * how many changed.
 */
export async function recomputeTemplateTactics(
  tx: Conn,
  scope: { source: string } | { id: string } | 'all',
): Promise<number> {
  const where =
    scope === 'all'
      ? sql`true`
      : 'source' in scope
        ? sql`t.source = ${scope.source}`
        : sql`t.id = ${scope.id}::uuid`;
  const r = await tx.execute<{ n: number | string }>(sql`
    with released as (
      select m.template_id, x.tactic, min(coalesce(ta.matrix_order, 1000)) as position
        from template_techniques m
        join test_templates t on t.id = m.template_id and ${where}
        join attack_objects o on o.id = m.technique_id
        cross join lateral unnest(o.tactics) as x(tactic)
        left join attack_objects ta on ta.domain = o.domain and ta.type = 'x-mitre-tactic' and ta.shortname = x.tactic
       group by 1, 2
    ),
    derived as (
      select t.id,
             coalesce(
               array_agg(r.tactic order by r.position, r.tactic)
                 filter (where t.is_custom and r.tactic = any(t.source_tactics)),
               array_agg(r.tactic order by r.position, r.tactic) filter (where r.tactic is not null),
               t.source_tactics) as tactics
        from test_templates t left join released r on r.template_id = t.id
       where ${where}
       group by t.id, t.is_custom, t.source_tactics
    ),
    changed as (
      update test_templates t set tactics = d.tactics
        from derived d where t.id = d.id and t.tactics is distinct from d.tactics
      returning 1
    )
    select count(*)::int as n from changed`);
  return Number(r.rows[0]?.n ?? 0);
}
