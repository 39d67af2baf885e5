import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db';
import { errors } from '../../infra/http';
import { type InterruptedRunReaper, startHeartbeat } from '../../infra/jobs';
import type { Logger } from '../../infra/logger';
import type { BlobStore } from '../../infra/storage';
// The ATT&CK module's downloader (stall timeout, size cap) is not on its public surface; reused as is.
import { fetchBundle } from '../attack';
import { type AuditActor, recordAudit, SYSTEM_ACTOR } from '../audit-logs';
import { ArchiveError, type ArchiveLimits, readArchive, readFolder, type SourceFile } from '../sources';
import { planSync } from './diff';
import { type AdapterOutput, definitionOf, runAdapter, type SourceDefinition } from './registry';
import {
  beatRun,
  type CatalogKind,
  currentRows,
  type DataSourceRow,
  failInterruptedSyncRuns,
  findRun,
  findSource,
  insertRun,
  liveCount,
  lockSourceSync,
  markRemoved,
  resolveAttackIds,
  type SyncRunRow,
  updateRun,
  updateSource,
  type WriteRow,
  writeRows,
} from './sync.queries';
import { recomputeTemplateTactics } from './templates.queries';

const MiB = 1024 * 1024;
/**
 * Whole-repository snapshots (SigmaHQ, mappings-explorer) hold far more entries than the sources in them;
 * the include filter keeps only what the adapter reads, so the entry cap is loose and the byte cap firm.
 */
export const SOURCE_ARCHIVE_LIMITS: Partial<ArchiveLimits> = {
  maxEntries: 200_000,
  maxTotalBytes: 768 * MiB,
};
const MAX_DOWNLOAD_BYTES = 512 * MiB;
const MAX_STORED_ERRORS = 500;

export interface SyncDeps {
  db: Db;
  storage: BlobStore;
  logger: Logger;
  /** How often a running sync refreshes its heartbeat (tests shorten it). */
  heartbeatIntervalMs?: number;
}

export interface SyncRequest {
  sourceId: string;
  /** A queued run to execute (API path); otherwise a new run is recorded. */
  runId?: string;
  actor: AuditActor;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

/** A sync that failed as a whole (unreachable location, unreadable archive); its run says why. */
export class SyncFailedError extends Error {
  constructor(
    message: string,
    readonly run: SyncRunRow,
  ) {
    super(message);
    this.name = 'SyncFailedError';
  }
}

/** Reads a source's files from wherever its location points, keeping only what its adapter reads. */
export async function loadSourceFiles(
  deps: Pick<SyncDeps, 'storage'>,
  def: SourceDefinition,
  location: { type: DataSourceRow['locationType']; value: string },
  onDownload?: (bytes: number, total: number | null) => void,
): Promise<SourceFile[]> {
  let files: SourceFile[];
  if (location.type === 'folder') {
    const nested = def.nested;
    files = await readFolder(location.value, {
      include: (p) => def.include(p) || (nested?.(p) ?? false),
      limits: SOURCE_ARCHIVE_LIMITS,
    });
    if (nested) {
      const expanded: SourceFile[] = [];
      for (const file of files) {
        if (!nested(file.path)) {
          expanded.push(file);
          continue;
        }
        const dir = dirname(file.path);
        const inner = await readArchive(file.content, SOURCE_ARCHIVE_LIMITS, {
          include: (p) => def.include(dir === '.' ? p : `${dir}/${p}`),
        });
        for (const f of inner)
          expanded.push({ path: dir === '.' ? f.path : `${dir}/${f.path}`, content: f.content });
      }
      files = expanded;
    }
  } else {
    const bytes =
      location.type === 'url'
        ? await fetchBundle(location.value, {
            maxBytes: MAX_DOWNLOAD_BYTES,
            onProgress: (p) => onDownload?.(p.bytes, p.totalBytes),
          })
        : await buffer((await deps.storage.get(location.value)).body as Readable);
    return filesOfArchive(def, bytes);
  }
  return narrowToSubtree(files, def.subtree);
}

/** The source's files in an archive (a download or an upload), checked as `readArchive` checks them. */
async function filesOfArchive(def: SourceDefinition, bytes: Buffer): Promise<SourceFile[]> {
  const files = await readArchive(bytes, SOURCE_ARCHIVE_LIMITS, { include: def.include, stripPrefix: true });
  return narrowToSubtree(files, def.subtree);
}

/**
 * What can be known of an uploaded archive before it is accepted: it opens safely (no traversal,
 * absolute path, link or bomb) and holds files of this source. A refusal is a 400 in words.
 */
export async function checkSourceArchive(source: DataSourceRow, bytes: Buffer): Promise<void> {
  const def = definitionOf(source);
  if (!def) throw new Error(`no adapter is registered for data source ${source.key}`);
  let files: SourceFile[];
  try {
    files = await filesOfArchive(def, bytes);
  } catch (err) {
    if (err instanceof ArchiveError)
      throw errors.badRequest(`The archive was refused: ${err.message}`, { field: 'body', reason: err.code });
    throw err;
  }
  if (files.length === 0)
    throw errors.badRequest(`The archive holds no ${source.name} files`, { field: 'body', reason: 'empty' });
}

function narrowToSubtree(files: SourceFile[], subtree: string | undefined): SourceFile[] {
  if (!subtree) return files;
  const prefix = `${subtree}/`;
  const inside = files.filter((f) => f.path.startsWith(prefix));
  // An archive of the subtree alone (already stripped of its folder) is the source as it is.
  if (inside.length === 0) return files;
  return inside.map((f) => ({ path: f.path.slice(prefix.length), content: f.content }));
}

interface Keyed {
  key: string;
  contentHash: string;
  attackIds: string[];
  columns: Record<string, unknown>;
}

/** Adapter items → the columns of their table, keyed by upstream id. */
function keyedItems(output: AdapterOutput): Keyed[] {
  switch (output.kind) {
    case 'templates':
      return output.result.items.map((i) => ({
        key: i.sourceId,
        contentHash: i.contentHash,
        attackIds: i.attackIds,
        columns: {
          name: i.name,
          description: i.description,
          source_tactics: i.tactics,
          platforms: i.platforms,
          executor: i.executor,
          command: i.command,
          cleanup_command: i.cleanupCommand,
          input_arguments: i.inputArguments,
          dependencies: i.dependencies,
          variants: i.variants ?? null,
          elevation_required: i.elevationRequired,
          path: i.path,
          url: i.url,
        },
      }));
    case 'rules':
      return output.result.items.map((i) => ({
        key: i.sourceId,
        contentHash: i.contentHash,
        attackIds: i.attackIds,
        columns: {
          title: i.title,
          description: i.description,
          status: i.status,
          level: i.level,
          log_source: i.logSource,
          author: i.author,
          tags: i.tags,
          references: i.references,
          raw: i.raw,
          raw_format: i.rawFormat,
          path: i.path,
          modified: i.modified,
        },
      }));
    case 'd3fend':
      return output.result.items.map((i) => ({
        key: i.iri,
        contentHash: i.contentHash,
        attackIds: i.attackIds,
        columns: { d3fend_id: i.d3fendId, name: i.name, tactic: i.tactic, definition: i.definition },
      }));
    case 'compliance':
      return output.result.items.map((i) => ({
        key: i.controlId,
        contentHash: i.contentHash,
        attackIds: i.attackIds,
        columns: { name: i.name, family: i.family, description: i.description },
      }));
  }
}

/**
 * fetch → parse (the source's adapter) → resolve ATT&CK ids → diff → apply in one transaction → record
 * the run. Files the adapter rejects are reported and skipped; a failure of the whole sync leaves the
 * stored catalog as it was and the run (and the source) marked failed.
 */
export async function syncSource(deps: SyncDeps, request: SyncRequest): Promise<SyncRunRow> {
  const { db } = deps;
  const source = await findSource(db, request.sourceId);
  if (!source) throw new Error(`data source ${request.sourceId} does not exist`);
  const def = definitionOf(source);
  const started = Date.now();
  let run =
    (request.runId ? await findRun(db, request.runId) : undefined) ??
    (await insertRun(db, {
      dataSourceId: source.id,
      locationType: source.locationType,
      location: source.location,
      triggeredBy: request.actor.userId,
    }));
  const runId = run.id;
  const log = deps.logger.child({ sourceSyncRun: runId, source: source.key });
  const movesLocation = run.locationType !== source.locationType || run.location !== source.location;

  let lastWrite = 0;
  let lastPhase = '';
  // Chained and awaited before the apply transaction, so a late progress write never overwrites the result.
  let pending: Promise<void> = Promise.resolve();
  const progress = (phase: string, done: number, total: number) => {
    request.onProgress?.({ phase, done, total });
    if (Date.now() - lastWrite < 500 && phase === lastPhase) return;
    lastWrite = Date.now();
    lastPhase = phase;
    pending = pending.then(() => updateRun(db, runId, { progress: { phase, done, total } }).catch(() => {}));
  };

  // Run and source change together, so a source is `running` exactly while a run of it is.
  await db.transaction(async (tx) => {
    await updateRun(tx, runId, {
      status: 'running',
      startedAt: new Date(),
      heartbeatAt: sql`now()`,
      progress: { phase: 'fetch', done: 0, total: 0 },
    });
    await updateSource(tx, source.id, { status: 'running' });
  });
  const heartbeat = startHeartbeat(() => beatRun(db, runId), {
    intervalMs: deps.heartbeatIntervalMs,
    onError: (err) => log.warn({ err }, 'sync heartbeat not written'),
  });
  log.info({ location: run.location }, 'catalog sync started');

  try {
    if (!def) throw new Error(`no adapter is registered for data source ${source.key}`);
    const files = await loadSourceFiles(
      deps,
      def,
      { type: run.locationType, value: run.location },
      (bytes, total) => progress('fetch', bytes, total ?? 0),
    );
    progress('parse', 0, files.length);
    const output = runAdapter(source.adapter, files);
    const fileErrors = output.result.errors;
    const keyed = keyedItems(output);
    if (keyed.length === 0 && files.length === 0)
      throw new Error(`no ${source.name} files found at ${run.location}`);
    progress('apply', 0, keyed.length);
    await pending;

    run = await db.transaction(async (tx) => {
      await lockSourceSync(tx, source.key);
      const resolutions = await resolveAttackIds(tx, [...new Set(keyed.flatMap((k) => k.attackIds))]);
      const techniqueOf = new Map(resolutions.map((r) => [r.attackId, r.techniqueId]));
      const unresolvedAll = new Set<string>();
      const incoming: WriteRow[] = keyed.map((k) => {
        const techniqueIds = new Set<string>();
        const unresolved = new Set<string>();
        for (const id of k.attackIds) {
          const techniqueId = techniqueOf.get(id.toUpperCase());
          if (techniqueId) techniqueIds.add(techniqueId);
          else unresolved.add(id);
        }
        for (const id of unresolved) unresolvedAll.add(id);
        return {
          key: k.key,
          contentHash: k.contentHash,
          techniqueIds: [...techniqueIds],
          unresolvedAttackIds: [...unresolved].sort(),
          columns: k.columns,
        };
      });

      const kind: CatalogKind = source.kind;
      const plan = planSync(await currentRows(tx, kind, source.key), incoming);
      await writeRows(tx, kind, source.key, [...plan.added, ...plan.updated]);
      await markRemoved(tx, kind, source.key, plan.removed);
      if (kind === 'templates') await recomputeTemplateTactics(tx, { source: source.key });
      const counts = {
        added: plan.added.length,
        updated: plan.updated.length,
        removed: plan.removed.length,
        unchanged: plan.unchanged,
      };
      const errors = [
        ...fileErrors,
        ...plan.duplicates.map((d) => ({
          path: String(d.columns.path ?? d.key),
          message: `duplicate id ${d.key}`,
        })),
      ];
      const unresolvedAttackIds = [...unresolvedAll].sort();
      const items = await liveCount(tx, kind, source.key);
      const finished = {
        status: 'succeeded' as const,
        counts,
        errors: errors.slice(0, MAX_STORED_ERRORS),
        unresolvedAttackIds,
        itemCount: keyed.length,
        finishedAt: new Date(),
        durationMs: Date.now() - started,
        progress: { phase: 'done', done: keyed.length, total: keyed.length },
      };
      await updateRun(tx, runId, finished);
      await updateSource(tx, source.id, {
        // A run from a new location (an upload, `aegis import`) makes it the source's only now it worked.
        ...(movesLocation ? { locationType: run.locationType, location: run.location } : {}),
        status: 'succeeded',
        lastSyncAt: finished.finishedAt,
        counts: { ...counts, items, errors: errors.length, unresolved: unresolvedAttackIds.length },
        lastError: null,
      });
      await recordAudit(tx, request.actor, {
        action: 'data_source.sync',
        entityType: 'data_source',
        entityId: source.id,
        summary: { key: source.key, run: runId, ...counts, errors: errors.length, unresolvedAttackIds },
      });
      return { ...run, ...finished, startedAt: run.startedAt ?? new Date(started) };
    });
    log.info({ ms: run.durationMs, counts: run.counts, errors: run.errors.length }, 'catalog sync finished');
    if (movesLocation && source.locationType === 'upload') await dropUpload(deps, source.location);
    return run;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await pending;
    const finishedAt = new Date();
    await db.transaction(async (tx) => {
      await updateRun(tx, runId, {
        status: 'failed',
        errors: [{ path: run.location, message }],
        finishedAt,
        durationMs: Date.now() - started,
      });
      await updateSource(tx, source.id, { status: 'failed', lastSyncAt: finishedAt, lastError: message });
    });
    log.error({ err }, 'catalog sync failed; stored catalog unchanged');
    // A failed upload is not kept: the source keeps its last good location.
    if (movesLocation && run.locationType === 'upload') await dropUpload(deps, run.location);
    throw new SyncFailedError(message, (await findRun(db, runId)) ?? run);
  } finally {
    await heartbeat.stop();
  }
}

async function dropUpload(deps: SyncDeps, key: string): Promise<void> {
  await deps.storage
    .delete(key)
    .catch((err: unknown) => deps.logger.warn({ err, key }, 'could not delete an uploaded archive'));
}

/**
 * Syncs whose process died (crash, kill, power loss) stay `running` with a silent heartbeat: they are
 * failed, their sources too (as a failed sync would leave them), and each is audited.
 */
export const reapInterruptedSyncs: InterruptedRunReaper = async (tx, staleness) => {
  const reaped = await failInterruptedSyncRuns(tx, staleness);
  await recordAudit(
    tx,
    SYSTEM_ACTOR,
    ...reaped.map((r) => ({
      action: 'data_source.sync_interrupted',
      entityType: 'data_source',
      entityId: r.dataSourceId,
      summary: {
        key: r.key,
        run: r.id,
        lastHeartbeatAt: r.lastBeat.toISOString(),
        sourceStatus: r.sourceFailed ? 'failed' : 'running',
      },
    })),
  );
  return reaped.map((r) => ({ kind: 'source_sync_run', id: r.id, lastHeartbeatAt: r.lastBeat }));
};
