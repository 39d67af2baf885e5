import { and, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '../../infra/db';
import { interruptedMessage, isStale, type Staleness } from '../../infra/jobs';
import { dataSources, sourceSyncRuns } from './catalog.schema';
import type { SourceDefinition } from './registry';

type Conn = Db | Tx;
export type DataSourceRow = typeof dataSources.$inferSelect;
export type SyncRunRow = typeof sourceSyncRuns.$inferSelect;
export type CatalogKind = DataSourceRow['kind'];

const json = (value: unknown) => sql`${JSON.stringify(value)}::jsonb`;
const textArray = (values: string[]) =>
  sql`array(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/** Serialises syncs of one source across instances (two syncs of one source would race on its rows). */
const SYNC_LOCK = 47_110_030;

export async function lockSourceSync(tx: Tx, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${SYNC_LOCK}::int, hashtext(${key}))`);
}

// ---------------------------------------------------------------------------------------------- sources

export async function insertMissingSources(db: Conn, defs: readonly SourceDefinition[]): Promise<number> {
  const rows = defs.map((d) => ({
    key: d.key,
    name: d.name,
    kind: d.kind,
    adapter: d.adapter,
    locationType: 'url' as const,
    location: d.url,
  }));
  const inserted = await db
    .insert(dataSources)
    .values(rows)
    .onConflictDoNothing({ target: dataSources.key })
    .returning({ id: dataSources.id });
  return inserted.length;
}

export async function listSources(db: Conn): Promise<DataSourceRow[]> {
  return db.select().from(dataSources).orderBy(dataSources.kind, dataSources.name);
}

export async function findSource(db: Conn, id: string): Promise<DataSourceRow | undefined> {
  const [row] = await db.select().from(dataSources).where(eq(dataSources.id, id));
  return row;
}

export async function findSourceByKey(db: Conn, key: string): Promise<DataSourceRow | undefined> {
  const [row] = await db.select().from(dataSources).where(eq(dataSources.key, key));
  return row;
}

export async function updateSource(
  db: Conn,
  id: string,
  patch: Partial<Omit<DataSourceRow, 'id' | 'key' | 'createdAt'>>,
): Promise<DataSourceRow | undefined> {
  const [row] = await db
    .update(dataSources)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(dataSources.id, id))
    .returning();
  return row;
}

// ------------------------------------------------------------------------------------------------- runs

export async function insertRun(
  db: Conn,
  values: Pick<SyncRunRow, 'dataSourceId' | 'locationType' | 'location'> & { triggeredBy: string | null },
): Promise<SyncRunRow> {
  const [row] = await db.insert(sourceSyncRuns).values(values).returning();
  if (!row) throw new Error('insert returned no row');
  return row;
}

export async function findRun(db: Conn, id: string): Promise<SyncRunRow | undefined> {
  const [row] = await db.select().from(sourceSyncRuns).where(eq(sourceSyncRuns.id, id));
  return row;
}

export async function updateRun(
  db: Conn,
  id: string,
  patch: PgUpdateSetSource<typeof sourceSyncRuns>,
): Promise<void> {
  await db.update(sourceSyncRuns).set(patch).where(eq(sourceSyncRuns.id, id));
}

/** The run is alive: refreshes its heartbeat (a finished or reaped run is left alone). */
export async function beatRun(db: Conn, id: string): Promise<void> {
  await db
    .update(sourceSyncRuns)
    .set({ heartbeatAt: sql`now()` })
    .where(and(eq(sourceSyncRuns.id, id), eq(sourceSyncRuns.status, 'running')));
}

export interface InterruptedSync {
  id: string;
  dataSourceId: string;
  key: string;
  lastBeat: Date;
  message: string;
  /** Whether the source was marked failed (false: another run of it is still running). */
  sourceFailed: boolean;
}

/**
 * Fails the runs that are `running` but dead under `staleness`, and marks their sources failed as a
 * failed sync would, unless another run of the source is still running — in one statement. The status
 * is re-checked on each run row as it is updated, so a run that finished or beat meanwhile is left
 * alone. `duration_ms` is how long it is known to have run (start to last heartbeat).
 */
export async function failInterruptedSyncRuns(tx: Tx, staleness: Staleness): Promise<InterruptedSync[]> {
  const lastBeat = sql`coalesce(r.heartbeat_at, r.started_at, r.created_at)`;
  const message = interruptedMessage(lastBeat);
  const r = await tx.execute<{
    id: string;
    data_source_id: string;
    key: string;
    last_beat: Date | string;
    message: string;
    source_failed: boolean;
  }>(sql`
    with reaped as (
      update source_sync_runs r
         set status = 'failed', finished_at = now(),
             duration_ms = (extract(epoch from (${lastBeat} - coalesce(r.started_at, r.created_at))) * 1000)::int,
             errors = r.errors || jsonb_build_array(jsonb_build_object('path', r.location, 'message', ${message}))
       where r.status = 'running' and ${isStale(lastBeat, staleness)}
      returning r.id, r.data_source_id, ${lastBeat} as last_beat, ${message} as message
    ),
    latest as (
      select distinct on (data_source_id) data_source_id, message from reaped order by data_source_id, last_beat desc
    ),
    failed_sources as (
      -- The CTEs see the runs as they were before this statement: the reaped ones are excluded by id.
      update data_sources s
         set status = 'failed', last_sync_at = now(), last_error = l.message, updated_at = now()
        from latest l
       where s.id = l.data_source_id
         and not exists (select 1 from source_sync_runs o
                          where o.data_source_id = s.id and o.status = 'running'
                            and o.id not in (select id from reaped))
      returning s.id
    )
    select r.id, r.data_source_id, d.key, r.last_beat, r.message, f.id is not null as source_failed
      from reaped r
      join data_sources d on d.id = r.data_source_id
      left join failed_sources f on f.id = r.data_source_id`);
  return r.rows.map((x) => ({
    id: x.id,
    dataSourceId: x.data_source_id,
    key: x.key,
    lastBeat: new Date(x.last_beat),
    message: x.message,
    sourceFailed: x.source_failed,
  }));
}

export async function listRuns(
  db: Conn,
  dataSourceId: string,
  page: { limit: number; offset: number },
): Promise<{ rows: SyncRunRow[]; total: number }> {
  const where = eq(sourceSyncRuns.dataSourceId, dataSourceId);
  const rows = await db
    .select()
    .from(sourceSyncRuns)
    .where(where)
    .orderBy(desc(sourceSyncRuns.createdAt))
    .limit(page.limit)
    .offset(page.offset);
  const [total] = await db.select({ n: count() }).from(sourceSyncRuns).where(where);
  return { rows, total: total?.n ?? 0 };
}

// ----------------------------------------------------------------------------------- ATT&CK resolution

export interface Resolution {
  attackId: string;
  techniqueId: string;
  /** The ATT&CK id of the technique it resolved to (differs when upstream used a revoked id). */
  resolvedAttackId: string;
}

/**
 * The CTEs `walk` and `resolved(attack_id, technique_id, resolved_attack_id)` over a CTE `input(attack_id)`
 * of upper-case ATT&CK ids: a live enterprise technique with that id, else the technique that revoked it
 * (following `revoked-by`, a few hops at most). Ids absent from `resolved` are unknown to the release.
 * Needs `with recursive`.
 */
const RESOLVED = sql`
    walk(attack_id, id, stix_id, revoked, deprecated, resolved, depth) as (
      select i.attack_id, o.id, o.stix_id, o.revoked, o.deprecated, o.attack_id, 0
        from input i
        join attack_objects o on o.domain = 'enterprise-attack' and o.type = 'attack-pattern'
         and upper(o.attack_id) = i.attack_id
      union all
      select w.attack_id, t.id, t.stix_id, t.revoked, t.deprecated, t.attack_id, w.depth + 1
        from walk w
        join attack_relationships r on r.domain = 'enterprise-attack' and r.source_ref = w.stix_id
         and r.relationship_type = 'revoked-by'
        join attack_objects t on t.domain = 'enterprise-attack' and t.stix_id = r.target_ref
       where w.revoked and w.depth < 5
    ),
    resolved(attack_id, technique_id, resolved_attack_id) as (
      select distinct on (attack_id) attack_id, id, resolved
        from walk where not revoked
       order by attack_id, depth, deprecated
    )`;

/** ATT&CK ids → enterprise techniques of the stored release, in one query (see RESOLVED). */
export async function resolveAttackIds(db: Conn, attackIds: string[]): Promise<Resolution[]> {
  if (attackIds.length === 0) return [];
  const r = await db.execute<{ attack_id: string; technique_id: string; resolved_attack_id: string }>(sql`
    with recursive input(attack_id) as (select distinct upper(v) from jsonb_array_elements_text(${json(attackIds)}) v),
    ${RESOLVED}
    select attack_id, technique_id, resolved_attack_id from resolved`);
  return r.rows.map((x) => ({
    attackId: x.attack_id,
    techniqueId: x.technique_id,
    resolvedAttackId: x.resolved_attack_id,
  }));
}

export interface Reresolved {
  /** Rows that had ATT&CK ids the release did not know and now knows (now mapped). */
  rows: number;
  /** Mappings that still pointed at a revoked technique, moved to the one that revokes it. */
  moved: number;
}

/**
 * After an ATT&CK import: every catalog table resolves again, one statement per table, the ids its rows
 * kept unresolved (a newer release may add them: T1569.003, T1680 in 18.1) and the ids of revoked
 * techniques its mappings still point at — as a re-sync would, without one.
 */
export async function reresolveCatalog(tx: Tx): Promise<Reresolved> {
  const total: Reresolved = { rows: 0, moved: 0 };
  for (const s of Object.values(STORES)) {
    const table = ident(s.table);
    const mapping = ident(s.mapping.table);
    const owner = ident(s.mapping.owner);
    const r = await tx.execute<{ rows: number | string; moved: number | string }>(sql`
      with recursive
      waiting as (
        select t.id, u.attack_id, u.n from ${table} t
         cross join unnest(t.unresolved_attack_ids) with ordinality as u(attack_id, n)
         where cardinality(t.unresolved_attack_ids) > 0
      ),
      stale as (
        select m.${owner} as owner, m.technique_id, upper(o.attack_id) as attack_id
          from ${mapping} m join attack_objects o on o.id = m.technique_id and o.revoked
      ),
      input(attack_id) as (
        select upper(attack_id) from waiting union select attack_id from stale where attack_id is not null
      ),
      ${RESOLVED},
      found as (
        select w.id, w.attack_id, r.technique_id from waiting w join resolved r on r.attack_id = upper(w.attack_id)
      ),
      moves as (
        select s.owner, s.technique_id, r.technique_id as to_id
          from stale s join resolved r on r.attack_id = s.attack_id where r.technique_id <> s.technique_id
      ),
      dropped as (
        delete from ${mapping} m using moves v where m.${owner} = v.owner and m.technique_id = v.technique_id
        returning 1
      ),
      added as (
        insert into ${mapping} (${owner}, technique_id)
        select id, technique_id from found union select owner, to_id from moves
        on conflict do nothing returning 1
      ),
      -- The ids each row keeps, built set-wise (a per-row subquery over found made PostgreSQL's
      -- estimate large enough to JIT-compile the statement: seconds, for tens of rows).
      kept as (
        select w.id, coalesce(array_agg(w.attack_id order by w.n) filter (where r.attack_id is null), '{}') as ids
          from waiting w left join resolved r on r.attack_id = upper(w.attack_id)
         group by w.id having count(r.attack_id) > 0
      ),
      cleared as (
        update ${table} t set unresolved_attack_ids = k.ids, updated_at = now()
          from kept k where t.id = k.id
        returning 1
      )
      select (select count(*) from cleared)::int as rows, (select count(*) from dropped)::int as moved`);
    total.rows += Number(r.rows[0]?.rows ?? 0);
    total.moved += Number(r.rows[0]?.moved ?? 0);
  }
  return total;
}

// ------------------------------------------------------------------------------------------ row stores

export interface CurrentRow {
  id: string;
  key: string;
  contentHash: string;
  removed: boolean;
  unresolvedAttackIds: string[];
}

/** A row to write, in the table's own columns (camelCase), with its key and resolved techniques. */
export interface WriteRow {
  key: string;
  contentHash: string;
  techniqueIds: string[];
  unresolvedAttackIds: string[];
  columns: Record<string, unknown>;
}

interface Store {
  table: string;
  keyColumn: string;
  scopeColumn: string | null;
  mapping: { table: string; owner: string };
  /** Upstream columns (name → SQL type for jsonb_to_recordset): written on insert, rewritten on change. */
  columns: Record<string, string>;
}

/**
 * The four catalog tables, declared once so the sync writes all of them with the same set-based
 * statements. Columns the organisation owns (active, deployed, implementation) are never listed, so a
 * sync never overwrites them.
 */
const STORES: Record<CatalogKind, Store> = {
  templates: {
    table: 'test_templates',
    keyColumn: 'source_id',
    scopeColumn: 'source',
    mapping: { table: 'template_techniques', owner: 'template_id' },
    columns: {
      name: 'text',
      description: 'text',
      source_tactics: 'text[]',
      platforms: 'text[]',
      executor: 'text',
      command: 'text',
      cleanup_command: 'text',
      input_arguments: 'jsonb',
      dependencies: 'jsonb',
      variants: 'jsonb',
      elevation_required: 'boolean',
      path: 'text',
      url: 'text',
    },
  },
  rules: {
    table: 'detection_rules',
    keyColumn: 'source_id',
    scopeColumn: 'source',
    mapping: { table: 'rule_techniques', owner: 'rule_id' },
    columns: {
      title: 'text',
      description: 'text',
      status: 'text',
      level: 'text',
      log_source: 'jsonb',
      author: 'text',
      tags: 'text[]',
      references: 'text[]',
      raw: 'text',
      raw_format: 'text',
      path: 'text',
      modified: 'text',
    },
  },
  d3fend: {
    table: 'd3fend_techniques',
    keyColumn: 'iri',
    scopeColumn: null,
    mapping: { table: 'd3fend_technique_mappings', owner: 'd3fend_technique_id' },
    columns: { d3fend_id: 'text', name: 'text', tactic: 'text', definition: 'text' },
  },
  compliance: {
    table: 'compliance_controls',
    keyColumn: 'control_id',
    scopeColumn: 'framework',
    mapping: { table: 'control_techniques', owner: 'control_id' },
    columns: { name: 'text', family: 'text', description: 'text' },
  },
};

const ident = (name: string) => sql.raw(`"${name}"`);
const scopeWhere = (store: Store, scope: string): SQL =>
  store.scopeColumn ? sql`${ident(store.scopeColumn)} = ${scope}` : sql`true`;

export async function currentRows(tx: Conn, kind: CatalogKind, scope: string): Promise<CurrentRow[]> {
  const s = STORES[kind];
  const r = await tx.execute<{
    id: string;
    key: string;
    content_hash: string;
    removed: boolean;
    unresolved: string[];
  }>(sql`
    select id, ${ident(s.keyColumn)} as key, content_hash, removed_at is not null as removed,
           unresolved_attack_ids as unresolved
      from ${ident(s.table)} where ${scopeWhere(s, scope)}`);
  return r.rows.map((x) => ({
    id: x.id,
    key: x.key,
    contentHash: x.content_hash,
    removed: x.removed,
    unresolvedAttackIds: x.unresolved,
  }));
}

const CHUNK = 2000;

/**
 * Inserts new rows and rewrites changed ones (clearing `removed_at`: upstream brought them back), then
 * replaces their technique mappings. One JSON parameter per chunk, so a source is a handful of statements.
 */
export async function writeRows(tx: Tx, kind: CatalogKind, scope: string, rows: WriteRow[]): Promise<void> {
  const s = STORES[kind];
  const names = Object.keys(s.columns);
  const recordType = sql.raw(
    ['"key" text', '"hash" text', '"unresolved" text[]', ...names.map((n) => `"${n}" ${s.columns[n]}`)].join(
      ', ',
    ),
  );
  const insertColumns = sql.raw(
    [s.scopeColumn, s.keyColumn, 'content_hash', 'unresolved_attack_ids', ...names]
      .filter((c): c is string => c !== null)
      .map((c) => `"${c}"`)
      .join(', '),
  );
  const select = sql.join(
    [
      ...(s.scopeColumn ? [sql`${scope}::text`] : []),
      ...['key', 'hash', 'unresolved', ...names].map((n) => sql.raw(`x."${n}"`)),
    ],
    sql`, `,
  );
  const updates = sql.raw(
    [...names, 'content_hash', 'unresolved_attack_ids']
      .map((n) => `"${n}" = excluded."${n}"`)
      .concat(['removed_at = null', 'updated_at = now()'])
      .join(', '),
  );
  const conflict = sql.raw(s.scopeColumn ? `("${s.scopeColumn}", "${s.keyColumn}")` : `("${s.keyColumn}")`);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const records = chunk.map((r) => ({
      ...r.columns,
      key: r.key,
      hash: r.contentHash,
      unresolved: r.unresolvedAttackIds,
    }));
    const written = await tx.execute<{ id: string; key: string }>(sql`
      insert into ${ident(s.table)} (${insertColumns})
      select ${select} from jsonb_to_recordset(${json(records)}) as x(${recordType})
      on conflict ${conflict} do update set ${updates}
      returning id, ${ident(s.keyColumn)} as key`);
    const idOf = new Map(written.rows.map((w) => [w.key, w.id]));
    const ids = [...idOf.values()];
    const pairs = chunk.flatMap((r) => {
      const id = idOf.get(r.key);
      return id ? r.techniqueIds.map((t) => ({ o: id, t })) : [];
    });
    await tx.execute(sql`
      delete from ${ident(s.mapping.table)}
       where ${ident(s.mapping.owner)} in (select v::uuid from jsonb_array_elements_text(${json(ids)}) v)`);
    if (pairs.length > 0)
      await tx.execute(sql`
        insert into ${ident(s.mapping.table)} (${ident(s.mapping.owner)}, technique_id)
        select x.o, x.t from jsonb_to_recordset(${json(pairs)}) as x(o uuid, t uuid)
        on conflict do nothing`);
  }
}

/** Marks rows upstream no longer has; they stay (tests and fired rules may point at them). */
export async function markRemoved(tx: Tx, kind: CatalogKind, scope: string, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  const s = STORES[kind];
  await tx.execute(sql`
    update ${ident(s.table)} set removed_at = now(), updated_at = now()
     where ${scopeWhere(s, scope)} and removed_at is null and ${ident(s.keyColumn)} = any(${textArray(keys)})`);
}

/** Rows of this source that are live (not removed), for the source's counts. */
export async function liveCount(tx: Conn, kind: CatalogKind, scope: string): Promise<number> {
  const s = STORES[kind];
  const r = await tx.execute<{ n: number | string }>(sql`
    select count(*)::int as n from ${ident(s.table)} where ${scopeWhere(s, scope)} and removed_at is null`);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Release upgrades: every catalog mapping on a revoked technique moves to the technique that revokes it.
 * Pairs already mapped to the target are dropped instead of duplicated (the primary key would refuse them).
 */
export async function moveMappings(tx: Tx, moves: Array<{ fromId: string; toId: string }>): Promise<number> {
  if (moves.length === 0) return 0;
  let moved = 0;
  for (const s of Object.values(STORES)) {
    const m = s.mapping;
    const owner = ident(m.owner);
    const table = ident(m.table);
    const r = await tx.execute<{ n: number | string }>(sql`
      with moves as (select * from jsonb_to_recordset(${json(moves)}) as x("fromId" uuid, "toId" uuid)),
      gone as (
        delete from ${table} t using moves where t.technique_id = moves."fromId"
        returning t.${owner} as owner, moves."toId" as to_id
      ),
      added as (
        insert into ${table} (${owner}, technique_id) select distinct owner, to_id from gone
        on conflict do nothing returning 1
      )
      select count(*)::int as n from gone`);
    moved += Number(r.rows[0]?.n ?? 0);
  }
  return moved;
}
