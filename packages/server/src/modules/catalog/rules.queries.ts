import type { ListDetectionRulesQuery } from '@aegis/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { boundedCount, containsPattern, type ListTotal, type Tx } from '../../infra/db';
import { type Conn, mappedTo, techniqueRefs, whereAll } from './listing.queries';

export type RuleRow = {
  id: string;
  source: string;
  source_id: string;
  title: string;
  description: string;
  status: string | null;
  level: string | null;
  log_source: Record<string, string>;
  author: string | null;
  tags: string[];
  references: string[];
  raw: string;
  raw_format: 'yaml' | 'toml';
  path: string | null;
  modified: string | null;
  deployed: boolean;
  deployed_at: Date | string | null;
  removed_at: Date | string | null;
  unresolved_attack_ids: string[];
  created_at: Date | string;
  updated_at: Date | string;
  techniques: Array<{ id: string; attackId: string | null; name: string }>;
};

const refs = techniqueRefs('rule_techniques', 'rule_id', sql`r.id`);
const logSourceIs = (field: string, value: string) =>
  sql`r.log_source @> jsonb_build_object(${field}::text, ${value}::text)`;

function filters(q: ListDetectionRulesQuery): SQL {
  return whereAll([
    q.includeRemoved ? undefined : sql`r.removed_at is null`,
    q.source ? sql`r.source = ${q.source}` : undefined,
    q.status ? sql`r.status = ${q.status}` : undefined,
    q.level ? sql`r.level = ${q.level}` : undefined,
    q.deployed === undefined ? undefined : sql`r.deployed = ${q.deployed}`,
    q.product ? logSourceIs('product', q.product) : undefined,
    q.category ? logSourceIs('category', q.category) : undefined,
    q.service ? logSourceIs('service', q.service) : undefined,
    q.technique ? mappedTo('rule_techniques', 'rule_id', sql`r.id`, q.technique) : undefined,
    q.q
      ? sql`(r.title ilike ${containsPattern(q.q)} or r.description ilike ${containsPattern(q.q)}
             or r.source_id ilike ${containsPattern(q.q)} or r.author ilike ${containsPattern(q.q)})`
      : undefined,
  ]);
}

const SORT: Record<ListDetectionRulesQuery['sort'], string> = {
  title: 'r.title',
  // informational < low < medium < high < critical, not alphabetical.
  level: `array_position(array['informational','low','medium','high','critical'], r.level)`,
  updatedAt: 'r.updated_at',
};

/** Summaries leave out the raw rule and description: a page of 500 rules stays small. */
const SUMMARY = sql`r.id, r.source, r.source_id, r.title, r.status, r.level, r.log_source, r.author, r.deployed,
  r.deployed_at, r.unresolved_attack_ids,
  r.removed_at, r.updated_at`;

export async function listRules(
  db: Conn,
  q: ListDetectionRulesQuery,
): Promise<{ rows: RuleRow[] } & ListTotal> {
  const where = filters(q);
  const dir = q.order === 'desc' ? 'desc' : 'asc';
  const order = sql.raw(`${SORT[q.sort]} ${dir} nulls last, r.id ${dir}`);
  const r = await db.execute<RuleRow>(sql`
    select ${SUMMARY}, ${refs} as techniques from detection_rules r
     where ${where} order by ${order} limit ${q.limit} offset ${q.offset}`);
  return { rows: r.rows, ...(await boundedCount(db, sql`from detection_rules r where ${where}`)) };
}

export async function findRule(db: Conn, id: string): Promise<RuleRow | undefined> {
  const r = await db.execute<RuleRow>(
    sql`select r.*, ${refs} as techniques from detection_rules r where r.id = ${id}::uuid`,
  );
  return r.rows[0];
}

export async function setRuleDeployed(tx: Tx, id: string, deployed: boolean): Promise<boolean> {
  const r = await tx.execute<{ id: string }>(sql`
    update detection_rules set deployed = ${deployed}, updated_at = now(),
           deployed_at = case when ${deployed} then coalesce(deployed_at, now()) end
     where id = ${id}::uuid returning id`);
  return r.rows.length > 0;
}
