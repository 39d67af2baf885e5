import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import { coverageJoin, coverageStatus } from '../coverage';

/** SQL pieces every catalog list shares: filters joined with `and`, technique refs, technique matching. */

export type Conn = Db | Tx;

export const whereAll = (parts: Array<SQL | undefined>): SQL => {
  const present = parts.filter((p): p is SQL => p !== undefined);
  return present.length === 0 ? sql`true` : sql.join(present, sql` and `);
};

/** The techniques of one catalog row as `[{id, attackId, name}]`, via its mapping table. */
export const techniqueRefs = (mappingTable: string, ownerColumn: string, ownerId: SQL): SQL => sql`
  coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'attackId', o.attack_id, 'name', o.name)
                             order by o.attack_id)
              from ${sql.raw(mappingTable)} m join attack_objects o on o.id = m.technique_id
             where m.${sql.raw(ownerColumn)} = ${ownerId}), '[]'::jsonb)`;

/** `techniqueRefs` with each technique's coverage status and tactics (`TechniqueUse`). */
export const techniqueUses = (mappingTable: string, ownerColumn: string, ownerId: SQL): SQL => sql`
  coalesce((select jsonb_agg(jsonb_build_object('id', o.id, 'attackId', o.attack_id, 'name', o.name,
                                                'coverageStatus', ${coverageStatus()},
                                                'tactics', o.tactics)
                             order by o.attack_id)
              from ${sql.raw(mappingTable)} m join attack_objects o on o.id = m.technique_id
              ${coverageJoin(sql`o.id`)}
             where m.${sql.raw(ownerColumn)} = ${ownerId}), '[]'::jsonb)`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Rows mapped to a technique given as our id or an ATT&CK id (that technique exactly, as ATT&CK pages list it). */
export const mappedTo = (
  mappingTable: string,
  ownerColumn: string,
  ownerId: SQL,
  technique: string,
): SQL => sql`
  exists (select 1 from ${sql.raw(mappingTable)} m join attack_objects o on o.id = m.technique_id
           where m.${sql.raw(ownerColumn)} = ${ownerId}
             and ${UUID.test(technique) ? sql`o.id = ${technique}::uuid` : sql`upper(o.attack_id) = upper(${technique})`})`;

export const iso = (value: unknown): string => new Date(value as string | Date).toISOString();
export const isoOrNull = (value: unknown): string | null => (value == null ? null : iso(value));

export async function countOf(db: Conn, query: SQL): Promise<number> {
  const r = await db.execute<{ n: number | string }>(query);
  return Number(r.rows[0]?.n ?? 0);
}
