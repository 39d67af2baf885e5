import type { CoverageCounts, ListControlsQuery, ListD3fendQuery, TechniqueUse } from '@aegis/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { containsPattern, type Tx } from '../../infra/db';
import { coverageJoin, coverageStatus } from '../coverage';
import { type Conn, countOf, mappedTo, techniqueUses, whereAll } from './listing.queries';

type Ref = TechniqueUse;
const COVERAGE_STATUSES = ['validated', 'partial', 'not_covered', 'in_progress', 'untested'] as const;

export type D3fendRow = {
  id: string;
  iri: string;
  d3fend_id: string;
  name: string;
  tactic: string | null;
  definition: string;
  implementation: 'implemented' | 'partial' | 'none' | null;
  unresolved_attack_ids: string[];
  removed_at: Date | string | null;
  techniques: Ref[];
};

export type ControlSummaryRow = Omit<ControlRow, 'description' | 'techniques'> & {
  technique_count: number;
  coverage: CoverageCounts;
};

export type ControlRow = {
  id: string;
  framework: string;
  control_id: string;
  name: string;
  family: string | null;
  description: string;
  unresolved_attack_ids: string[];
  removed_at: Date | string | null;
  techniques: Ref[];
};

const d3fendRefs = techniqueUses('d3fend_technique_mappings', 'd3fend_technique_id', sql`d.id`);
const controlRefs = techniqueUses('control_techniques', 'control_id', sql`c.id`);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function d3fendFilters(q: ListD3fendQuery): SQL {
  return whereAll([
    sql`d.removed_at is null`,
    q.tactic ? sql`d.tactic = ${q.tactic}` : undefined,
    q.implementation === 'unset'
      ? sql`d.implementation is null`
      : q.implementation
        ? sql`d.implementation = ${q.implementation}`
        : undefined,
    q.technique
      ? mappedTo('d3fend_technique_mappings', 'd3fend_technique_id', sql`d.id`, q.technique)
      : undefined,
    q.q
      ? sql`(d.name ilike ${containsPattern(q.q)} or d.d3fend_id ilike ${containsPattern(q.q)}
             or d.definition ilike ${containsPattern(q.q)})`
      : undefined,
  ]);
}

/** Live countermeasures per D3FEND tactic. */
export async function d3fendTactics(db: Conn): Promise<Array<{ key: string; total: number }>> {
  const r = await db.execute<{ key: string; total: number | string }>(sql`
    select tactic as key, count(*)::int as total from d3fend_techniques
     where removed_at is null and tactic is not null group by 1 order by 1`);
  return r.rows.map((x) => ({ key: x.key, total: Number(x.total) }));
}

/** Live controls per family, of one framework or all. */
export async function controlFamilies(
  db: Conn,
  framework: string | undefined,
): Promise<Array<{ key: string; total: number }>> {
  const r = await db.execute<{ key: string; total: number | string }>(sql`
    select family as key, count(*)::int as total from compliance_controls
     where ${whereAll([sql`removed_at is null`, sql`family is not null`, framework ? sql`framework = ${framework}` : undefined])}
     group by 1 order by 1`);
  return r.rows.map((x) => ({ key: x.key, total: Number(x.total) }));
}

export async function listD3fend(
  db: Conn,
  q: ListD3fendQuery,
): Promise<{ rows: D3fendRow[]; total: number }> {
  const where = d3fendFilters(q);
  const r = await db.execute<D3fendRow>(sql`
    select d.*, ${d3fendRefs} as techniques from d3fend_techniques d
     where ${where} order by d.tactic nulls last, d.name, d.id limit ${q.limit} offset ${q.offset}`);
  const total = await countOf(db, sql`select count(*)::int as n from d3fend_techniques d where ${where}`);
  return { rows: r.rows, total };
}

const ONTOLOGY_PREFIX = 'http://d3fend.mitre.org/ontologies/d3fend.owl#';

/**
 * By our id, the IRI (compact `d3f:ReissueCredential` or in full) or the D3FEND id (`D3-AL`). A D3FEND id
 * may name more than one technique (upstream reuses some): every match is returned, live ones first.
 */
export async function findD3fend(db: Conn, ref: string): Promise<D3fendRow[]> {
  const iri = ref.startsWith(ONTOLOGY_PREFIX) ? `d3f:${ref.slice(ONTOLOGY_PREFIX.length)}` : ref;
  const match = UUID.test(ref)
    ? sql`d.id = ${ref}::uuid`
    : iri.startsWith('d3f:')
      ? sql`d.iri = ${iri}`
      : sql`upper(d.d3fend_id) = upper(${ref})`;
  const r = await db.execute<D3fendRow>(sql`
    select d.*, ${d3fendRefs} as techniques from d3fend_techniques d
     where ${match} order by d.removed_at is not null, d.name, d.id`);
  return r.rows;
}

export async function setImplementation(
  tx: Tx,
  id: string,
  implementation: D3fendRow['implementation'],
): Promise<void> {
  await tx.execute(
    sql`update d3fend_techniques set implementation = ${implementation}, updated_at = now() where id = ${id}::uuid`,
  );
}

/** Compliance frameworks are the compliance data sources, with what their controls hold. */
export async function listFrameworks(
  db: Conn,
): Promise<Array<{ framework: string; name: string; controls: number; techniques: number }>> {
  const r = await db.execute<{
    framework: string;
    name: string;
    controls: number | string;
    techniques: number | string;
  }>(sql`
    select s.key as framework, s.name, count(distinct c.id)::int as controls,
           count(distinct m.technique_id)::int as techniques
      from data_sources s
      left join compliance_controls c on c.framework = s.key and c.removed_at is null
      left join control_techniques m on m.control_id = c.id
     where s.kind = 'compliance'
     group by s.key, s.name order by s.name`);
  return r.rows.map((x) => ({ ...x, controls: Number(x.controls), techniques: Number(x.techniques) }));
}

function controlFilters(q: ListControlsQuery): SQL {
  return whereAll([
    sql`c.removed_at is null`,
    q.framework ? sql`c.framework = ${q.framework}` : undefined,
    q.family ? sql`c.family = ${q.family}` : undefined,
    q.technique ? mappedTo('control_techniques', 'control_id', sql`c.id`, q.technique) : undefined,
    q.q
      ? sql`(c.control_id ilike ${containsPattern(q.q)} or c.name ilike ${containsPattern(q.q)}
             or c.description ilike ${containsPattern(q.q)})`
      : undefined,
  ]);
}

export async function listControls(
  db: Conn,
  q: ListControlsQuery,
): Promise<{ rows: ControlSummaryRow[]; total: number }> {
  const where = controlFilters(q);
  // Natural order of ids (`AC-2` before `AC-10`, `4.1` before `4.10`).
  const order = sql`c.framework, substring(c.control_id from '^[^0-9]*'),
    array(select m[1]::int from regexp_matches(c.control_id, '([0-9]+)', 'g') as m), c.id`;
  // The page first, then its controls' techniques counted by coverage status in one grouped join.
  const r = await db.execute<ControlSummaryRow>(sql`
    with page as (select c.* from compliance_controls c where ${where} order by ${order}
                   limit ${q.limit} offset ${q.offset}),
    uses as (
      select m.control_id, count(*)::int as technique_count,
             jsonb_build_object(${sql.join(
               COVERAGE_STATUSES.map(
                 (status) => sql`${status}::text, count(*) filter (where ${coverageStatus()} = ${status})`,
               ),
               sql`, `,
             )}) as coverage
        from control_techniques m join page p on p.id = m.control_id
        ${coverageJoin(sql`m.technique_id`)}
       group by m.control_id)
    select c.id, c.framework, c.control_id, c.name, c.family, c.unresolved_attack_ids, c.removed_at,
           coalesce(u.technique_count, 0) as technique_count, coalesce(u.coverage, '{}'::jsonb) as coverage
      from page c left join uses u on u.control_id = c.id
     order by ${order}`);
  const total = await countOf(db, sql`select count(*)::int as n from compliance_controls c where ${where}`);
  return { rows: r.rows, total };
}

export async function findControl(db: Conn, id: string): Promise<ControlRow | undefined> {
  const r = await db.execute<ControlRow>(
    sql`select c.*, ${controlRefs} as techniques from compliance_controls c where c.id = ${id}::uuid`,
  );
  return r.rows[0];
}
