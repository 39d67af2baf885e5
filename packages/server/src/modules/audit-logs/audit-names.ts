import { type SQL, sql } from 'drizzle-orm';
import type { Db } from '../../infra/db';

/**
 * Names the entities audit rows are about (a test's title, a user's display name), read when the
 * log is shown, so a row reads right after a rename. Each module contributes namers for the entity
 * types it owns (registered in `services.ts`): the audit module reads no other module's tables.
 */
export interface AuditEntityNamer {
  entityType: string;
  /** One query for any number of ids; ids it does not know (deleted rows) are left out. */
  names(db: Db, ids: readonly string[]): Promise<Map<string, string>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A namer from one SELECT of `id` and `name` rows; `ids` is the set of uuids to look up, as a
 * subquery (one JSON parameter, whatever the number). Ids that are not uuids are never asked for.
 */
export function namerOf(entityType: string, select: (ids: SQL) => SQL): AuditEntityNamer {
  return {
    entityType,
    async names(db, ids) {
      const wanted = ids.filter((id) => UUID.test(id));
      if (wanted.length === 0) return new Map();
      const r = await db.execute<{ id: string; name: string }>(
        select(sql`(select (jsonb_array_elements_text(${JSON.stringify(wanted)}::jsonb))::uuid)`),
      );
      return new Map(r.rows.map((row) => [String(row.id), row.name]));
    },
  };
}

/** The current name of each row's entity (one query per entity type on the page). */
export async function entityLabels(
  db: Db,
  namers: readonly AuditEntityNamer[],
  rows: ReadonlyArray<{ entityType: string; entityId: string | null }>,
): Promise<(row: { entityType: string; entityId: string | null }) => string | null> {
  const byType = new Map<string, Set<string>>();
  for (const r of rows)
    if (r.entityId) byType.set(r.entityType, (byType.get(r.entityType) ?? new Set()).add(r.entityId));
  const found = new Map<string, Map<string, string>>();
  await Promise.all(
    namers
      .filter((n) => byType.has(n.entityType))
      .map(async (n) => found.set(n.entityType, await n.names(db, [...(byType.get(n.entityType) ?? [])]))),
  );
  return (row) => (row.entityId ? (found.get(row.entityType)?.get(row.entityId) ?? null) : null);
}
