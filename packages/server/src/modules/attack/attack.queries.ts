import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../infra/db';
import { interruptedMessage, isStale, type Staleness } from '../../infra/jobs';
import { attackObjects, attackRelationships, importRuns, type ReviewReason } from './attack.schema';
import type { CurrentObject } from './diff';
import type { MappedObject, MappedRelationship } from './mapping';

type Conn = Db | Tx;
export type ImportRunRow = typeof importRuns.$inferSelect;

/** Serialises imports across instances (a scheduled sync and a CLI import must not interleave). */
const IMPORT_LOCK = 4_711_000_020;

export async function lockImports(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK})`);
}

export async function currentObjects(db: Conn, domain: string): Promise<CurrentObject[]> {
  return db
    .select({
      id: attackObjects.id,
      stixId: attackObjects.stixId,
      type: attackObjects.type,
      attackId: attackObjects.attackId,
      name: attackObjects.name,
      description: attackObjects.description,
      tactics: attackObjects.tactics,
      platforms: attackObjects.platforms,
      deprecated: attackObjects.deprecated,
      revoked: attackObjects.revoked,
      contentHash: attackObjects.contentHash,
    })
    .from(attackObjects)
    .where(eq(attackObjects.domain, domain));
}

export async function currentRelationships(
  db: Conn,
  domain: string,
): Promise<Array<{ stixId: string; contentHash: string }>> {
  return db
    .select({ stixId: attackRelationships.stixId, contentHash: attackRelationships.contentHash })
    .from(attackRelationships)
    .where(eq(attackRelationships.domain, domain));
}

const CHUNK = 5000;
function chunks<T>(rows: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/** Set-based upsert: one JSON parameter per chunk, unpacked by jsonb_to_recordset. */
export async function upsertObjects(tx: Tx, rows: MappedObject[], release: string | null): Promise<void> {
  for (const chunk of chunks(rows)) {
    await tx.execute(sql`
      insert into attack_objects (domain, stix_id, type, attack_id, name, description, url, version, stix_created,
        stix_modified, deprecated, revoked, platforms, tactics, is_subtechnique, parent_stix_id, aliases, shortname,
        matrix_order, detection, extra, content_hash, first_release, last_release, imported_at)
      select x.domain, x."stixId", x.type, x."attackId", x.name, x.description, x.url, x.version, x."stixCreated",
        x."stixModified", x.deprecated, x.revoked, x.platforms, x.tactics, x."isSubtechnique", x."parentStixId",
        x.aliases, x.shortname, x."matrixOrder", x.detection, x.extra, x."contentHash", ${release}, ${release}, now()
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(domain text, "stixId" text, type text,
        "attackId" text, name text, description text, url text, version text, "stixCreated" timestamptz,
        "stixModified" timestamptz, deprecated boolean, revoked boolean, platforms text[], tactics text[],
        "isSubtechnique" boolean, "parentStixId" text, aliases text[], shortname text, "matrixOrder" integer,
        detection text, extra jsonb, "contentHash" text)
      on conflict (domain, stix_id) do update set
        type = excluded.type, attack_id = excluded.attack_id, name = excluded.name, description = excluded.description,
        url = excluded.url, version = excluded.version, stix_created = excluded.stix_created,
        stix_modified = excluded.stix_modified, deprecated = excluded.deprecated, revoked = excluded.revoked,
        platforms = excluded.platforms, tactics = excluded.tactics, is_subtechnique = excluded.is_subtechnique,
        parent_stix_id = excluded.parent_stix_id, aliases = excluded.aliases, shortname = excluded.shortname,
        matrix_order = excluded.matrix_order, detection = excluded.detection, extra = excluded.extra,
        content_hash = excluded.content_hash, last_release = excluded.last_release, imported_at = now()`);
  }
}

export async function upsertRelationships(tx: Tx, rows: MappedRelationship[]): Promise<void> {
  for (const chunk of chunks(rows)) {
    await tx.execute(sql`
      insert into attack_relationships (domain, stix_id, relationship_type, source_ref, target_ref, description,
        deprecated, revoked, stix_modified, content_hash)
      select x.domain, x."stixId", x.type, x."sourceRef", x."targetRef", x.description, x.deprecated, x.revoked,
        x."stixModified", x."contentHash"
      from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(domain text, "stixId" text, type text,
        "sourceRef" text, "targetRef" text, description text, deprecated boolean, revoked boolean,
        "stixModified" timestamptz, "contentHash" text)
      on conflict (domain, stix_id) do update set
        relationship_type = excluded.relationship_type, source_ref = excluded.source_ref,
        target_ref = excluded.target_ref, description = excluded.description, deprecated = excluded.deprecated,
        revoked = excluded.revoked, stix_modified = excluded.stix_modified, content_hash = excluded.content_hash`);
  }
}

export async function deleteRelationships(tx: Tx, domain: string, stixIds: string[]): Promise<void> {
  for (const chunk of chunks(stixIds))
    await tx
      .delete(attackRelationships)
      .where(and(eq(attackRelationships.domain, domain), inArray(attackRelationships.stixId, chunk)));
}

/** Every technique has a state row (created on first sight, never touched by later imports). */
export async function ensureTechniqueStates(tx: Tx, domain: string): Promise<void> {
  await tx.execute(sql`
    insert into technique_states (technique_id)
    select id from attack_objects where domain = ${domain} and type = 'attack-pattern'
    on conflict (technique_id) do nothing`);
}

export async function flagForReview(
  tx: Tx,
  domain: string,
  reviews: Array<{ stixId: string; reasons: ReviewReason[] }>,
): Promise<void> {
  if (reviews.length === 0) return;
  await tx.execute(sql`
    update technique_states s
       set review_required = true, review_reasons = s.review_reasons || x.reasons, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(reviews)}::jsonb) as x("stixId" text, reasons jsonb),
           attack_objects o
     where o.domain = ${domain} and o.stix_id = x."stixId" and s.technique_id = o.id`);
}

export async function idsOfStixIds(
  tx: Conn,
  domain: string,
  stixIds: string[],
): Promise<Map<string, string>> {
  if (stixIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: attackObjects.id, stixId: attackObjects.stixId })
    .from(attackObjects)
    .where(and(eq(attackObjects.domain, domain), inArray(attackObjects.stixId, stixIds)));
  return new Map(rows.map((r) => [r.stixId, r.id]));
}

/** Carries notes of revoked techniques over to the techniques that revoke them (set-based). */
export async function moveTechniqueNotes(
  tx: Tx,
  moves: Array<{ fromId: string; toId: string }>,
): Promise<number> {
  if (moves.length === 0) return 0;
  const rows = await tx.execute<{ technique_id: string }>(sql`
    update technique_states t
       set notes = case when t.notes = '' then f.notes else t.notes || E'\n\n' || f.notes end, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) as m("fromId" uuid, "toId" uuid),
           technique_states f
     where f.technique_id = m."fromId" and t.technique_id = m."toId" and f.notes <> ''
    returning t.technique_id`);
  return rows.rows.length;
}

export async function insertImportRun(
  db: Conn,
  values: {
    sourceType: ImportRunRow['sourceType'];
    source: string;
    domain?: string | null;
    triggeredBy?: string | null;
    params?: ImportRunRow['params'];
  },
): Promise<ImportRunRow> {
  const [row] = await db
    .insert(importRuns)
    .values({ ...values, status: 'queued' })
    .returning();
  if (!row) throw new Error('import run insert returned no row');
  return row;
}

export async function updateImportRun(
  db: Conn,
  id: string,
  patch: PgUpdateSetSource<typeof importRuns>,
): Promise<void> {
  await db.update(importRuns).set(patch).where(eq(importRuns.id, id));
}

/**
 * A job claims its run: queued (or failed, when the job is retried) → running in one conditional
 * UPDATE. No row back means the run is finished or another worker holds it: a replayed job does nothing.
 */
export async function claimImportRun(db: Conn, id: string): Promise<ImportRunRow | undefined> {
  const [row] = await db
    .update(importRuns)
    .set({
      status: 'running',
      startedAt: new Date(),
      heartbeatAt: sql`now()`,
      progress: { phase: 'fetch', done: 0, total: 0 },
    })
    .where(and(eq(importRuns.id, id), inArray(importRuns.status, ['queued', 'failed'])))
    .returning();
  return row;
}

/** The run is alive: refreshes its heartbeat (a finished or reaped run is left alone). */
export async function beatImportRun(db: Conn, id: string): Promise<void> {
  await db
    .update(importRuns)
    .set({ heartbeatAt: sql`now()` })
    .where(and(eq(importRuns.id, id), eq(importRuns.status, 'running')));
}

/**
 * Fails the runs that are `running` but dead under `staleness`, set-based. The status is re-checked on
 * each row as it is updated, so a run that finished or beat meanwhile is left alone. `duration_ms` is
 * how long it is known to have run (start to last heartbeat), not how long it lay dead.
 */
export async function failInterruptedImportRuns(
  tx: Tx,
  staleness: Staleness,
): Promise<Array<{ id: string; source: string; lastBeat: Date; message: string }>> {
  const lastBeat = sql`coalesce(r.heartbeat_at, r.started_at, r.created_at)`;
  const r = await tx.execute<{ id: string; source: string; last_beat: Date | string; message: string }>(sql`
    update import_runs r
       set status = 'failed', finished_at = now(),
           duration_ms = (extract(epoch from (${lastBeat} - coalesce(r.started_at, r.created_at))) * 1000)::int,
           errors = r.errors || jsonb_build_array(${interruptedMessage(lastBeat)})
     where r.status = 'running' and ${isStale(lastBeat, staleness)}
    returning r.id, r.source, ${lastBeat} as last_beat, r.errors ->> -1 as message`);
  return r.rows.map((x) => ({
    id: x.id,
    source: x.source,
    lastBeat: new Date(x.last_beat),
    message: x.message,
  }));
}

export async function findImportRun(db: Conn, id: string): Promise<ImportRunRow | undefined> {
  const [row] = await db.select().from(importRuns).where(eq(importRuns.id, id));
  return row;
}

export async function listImportRuns(
  db: Conn,
  q: { limit: number; offset: number; status?: string },
): Promise<{ rows: ImportRunRow[]; total: number }> {
  const where = q.status ? eq(importRuns.status, q.status as ImportRunRow['status']) : undefined;
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(importRuns)
      .where(where)
      .orderBy(desc(importRuns.createdAt))
      .limit(q.limit)
      .offset(q.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(importRuns).where(where),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/**
 * Refreshes the planner's statistics of the knowledge base after an import changed it. A small
 * sample (statistics target 10: 3,000 rows) gives the row counts and spreads the plans need at a
 * third of the default's cost (≈ 0.3 s instead of ≈ 1 s on PGlite).
 */
/** The SQL that derives `attack_technique_uses` for one domain (also run once by migration 0010). */
const usesOf = (domain: string) => sql`
  select distinct r.domain, g.id, t.id
    from attack_relationships r
    join attack_objects g on g.domain = r.domain and g.stix_id = r.source_ref and not g.revoked and not g.deprecated
    join attack_objects t on t.domain = r.domain and t.stix_id = r.target_ref and t.type = 'attack-pattern'
         and not t.revoked and not t.deprecated
   where r.domain = ${domain} and r.relationship_type = 'uses' and not r.revoked and not r.deprecated`;

/** Rebuilds a domain's technique uses from its relationships: two statements, in the import's transaction. */
export async function refreshTechniqueUses(tx: Tx, domain: string): Promise<number> {
  await tx.execute(sql`delete from attack_technique_uses where domain = ${domain}`);
  const r = await tx.execute<{ n: number }>(sql`
    with added as (insert into attack_technique_uses (domain, source_id, technique_id) ${usesOf(domain)} returning 1)
    select count(*)::int as n from added`);
  return Number(r.rows[0]?.n ?? 0);
}

export async function analyzeKnowledgeBase(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`set local default_statistics_target = 10`);
    await tx.execute(
      sql`analyze attack_objects, attack_relationships, attack_technique_uses, technique_states`,
    );
  });
}
