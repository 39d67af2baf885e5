import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { Readable } from 'node:stream';
import type { DataSource, ListEnvelope, SourceSyncRun, UpdateDataSource } from '@aegis/contracts';
import { CronExpressionParser } from 'cron-parser';
import type { Db } from '../../infra/db';
import { errors } from '../../infra/http';
import type { Logger } from '../../infra/logger';
import type { BlobStore } from '../../infra/storage';
import { type AuditActor, recordAudit } from '../audit-logs';
import { isoOrNull } from './listing.queries';
import { SOURCE_DEFINITIONS } from './registry';
import { checkSourceArchive, syncSource } from './sync';
import {
  type DataSourceRow,
  findRun,
  findSource,
  insertMissingSources,
  insertRun,
  listRuns,
  listSources,
  type SyncRunRow,
  updateSource,
} from './sync.queries';

export const SOURCES_SYNC_JOB = 'sources.sync';
export const SOURCES_SYNC_ALL_JOB = 'sources.sync-all';
export const SOURCES_SYNC_SCHEDULED_JOB = 'sources.sync-scheduled';

/** Seeds the built-in data sources that are missing (first start, or a release that adds one). */
export async function ensureDataSources(db: Db): Promise<number> {
  return insertMissingSources(db, SOURCE_DEFINITIONS);
}

export function toDataSource(r: DataSourceRow): DataSource {
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    kind: r.kind,
    adapter: r.adapter,
    locationType: r.locationType,
    location: r.location,
    enabled: r.enabled,
    schedule: r.schedule,
    status: r.status,
    lastSyncAt: isoOrNull(r.lastSyncAt),
    counts: r.counts,
    lastError: r.lastError,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function toSyncRun(r: SyncRunRow): SourceSyncRun {
  return {
    id: r.id,
    dataSourceId: r.dataSourceId,
    status: r.status,
    locationType: r.locationType,
    location: r.location,
    progress: r.progress ?? null,
    counts: r.counts ?? null,
    errors: r.errors,
    unresolvedAttackIds: r.unresolvedAttackIds,
    itemCount: r.itemCount,
    triggeredBy: r.triggeredBy,
    createdAt: r.createdAt.toISOString(),
    startedAt: isoOrNull(r.startedAt),
    finishedAt: isoOrNull(r.finishedAt),
    durationMs: r.durationMs,
  };
}

/** Whether a cron schedule had an occurrence after the last sync (and before now). */
export function isDue(schedule: string, lastSyncAt: Date | null, now: Date, timezone: string): boolean {
  const previous = CronExpressionParser.parse(schedule, { currentDate: now, tz: timezone }).prev().toDate();
  return lastSyncAt === null || previous > lastSyncAt;
}

function checkCron(schedule: string, timezone: string): void {
  try {
    if (schedule.trim().split(/\s+/).length !== 5)
      throw new Error('expected 5 fields (minute hour day month weekday)');
    CronExpressionParser.parse(schedule, { tz: timezone, strict: false });
  } catch (err) {
    throw errors.validation([
      { path: 'body.schedule', message: `not a valid cron: ${(err as Error).message}` },
    ]);
  }
}

function checkLocation(type: 'url' | 'folder', location: string): void {
  if (type === 'folder') {
    if (!isAbsolute(location))
      throw errors.validation([
        { path: 'body.location', message: 'a folder must be an absolute path on the server' },
      ]);
    return;
  }
  if (!/^https?:\/\//i.test(location) || !URL.canParse(location))
    throw errors.validation([{ path: 'body.location', message: 'a URL must be http:// or https://' }]);
}

const ARCHIVE_MAGIC = [Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from([0x1f, 0x8b])];

export interface DataSourceDeps {
  db: Db;
  storage: BlobStore;
  logger: Logger;
  /** Enqueues a named job (the JobScheduler's trigger). */
  jobs: { trigger(name: string, data: Record<string, unknown>): Promise<string | null> };
  timezone: string;
}

export function createDataSourceService(deps: DataSourceDeps) {
  const { db } = deps;

  async function mustFind(id: string): Promise<DataSourceRow> {
    const source = await findSource(db, id);
    if (!source) throw errors.notFound('Data source', id);
    return source;
  }

  async function queue(actor: AuditActor, source: DataSourceRow): Promise<SyncRunRow> {
    return insertRun(db, {
      dataSourceId: source.id,
      locationType: source.locationType,
      location: source.location,
      triggeredBy: actor.userId,
    });
  }

  /** Runs queued runs one after another: one source's files in memory at a time. */
  async function runQueued(runIds: string[], actor: AuditActor): Promise<SyncRunRow[]> {
    const done: SyncRunRow[] = [];
    for (const runId of runIds) {
      const run = await findRun(db, runId);
      if (run?.status !== 'queued') continue;
      // One source failing (unreachable URL) must not stop the others; its run records why.
      done.push(
        await syncSource(deps, { sourceId: run.dataSourceId, runId, actor }).catch(
          (err: { run?: SyncRunRow }) => {
            if (err.run) return err.run;
            throw err;
          },
        ),
      );
    }
    return done;
  }

  return {
    async list(): Promise<DataSource[]> {
      return (await listSources(db)).map(toDataSource);
    },

    async get(id: string): Promise<DataSource> {
      return toDataSource(await mustFind(id));
    },

    async update(actor: AuditActor, id: string, patch: UpdateDataSource): Promise<DataSource> {
      const source = await mustFind(id);
      if (patch.schedule) checkCron(patch.schedule, deps.timezone);
      const type = patch.locationType ?? source.locationType;
      if (patch.location !== undefined || patch.locationType !== undefined) {
        if (type === 'upload')
          throw errors.validation([
            { path: 'body.locationType', message: 'upload an archive with POST /data-sources/{id}/upload' },
          ]);
        checkLocation(type, patch.location ?? source.location);
      }
      const row = await db.transaction(async (tx) => {
        const updated = await updateSource(tx, id, {
          ...(patch.locationType !== undefined ? { locationType: patch.locationType } : {}),
          ...(patch.location !== undefined ? { location: patch.location } : {}),
          ...(patch.enabled !== undefined ? { enabled: patch.enabled } : {}),
          ...(patch.schedule !== undefined ? { schedule: patch.schedule } : {}),
        });
        await recordAudit(tx, actor, {
          action: 'data_source.update',
          entityType: 'data_source',
          entityId: id,
          summary: { key: source.key, ...patch },
        });
        return updated;
      });
      if (!row) throw errors.notFound('Data source', id);
      return toDataSource(row);
    },

    /** Records a queued run and hands it to the `sources.sync` job. */
    async queueSync(actor: AuditActor, id: string): Promise<SourceSyncRun> {
      const source = await mustFind(id);
      if (!source.enabled) throw errors.conflict(`${source.name} is disabled; enable it before syncing`);
      const run = await queue(actor, source);
      await deps.jobs.trigger(SOURCES_SYNC_JOB, { sourceId: source.id, runId: run.id });
      return toSyncRun(run);
    },

    /** Queues a run of every enabled source; one `sources.sync-all` job runs them in turn. */
    async queueSyncAll(actor: AuditActor): Promise<SourceSyncRun[]> {
      const sources = (await listSources(db)).filter((s) => s.enabled);
      const runs: SyncRunRow[] = [];
      for (const source of sources) runs.push(await queue(actor, source));
      if (runs.length > 0) await deps.jobs.trigger(SOURCES_SYNC_ALL_JOB, { runIds: runs.map((r) => r.id) });
      return runs.map(toSyncRun);
    },

    async runs(id: string, page: { limit: number; offset: number }): Promise<ListEnvelope<SourceSyncRun>> {
      await mustFind(id);
      const { rows, total } = await listRuns(db, id, page);
      return { items: rows.map(toSyncRun), total, limit: page.limit, offset: page.offset };
    },

    /**
     * Keeps an uploaded archive in blob storage as the source's location (later syncs re-read it) and
     * queues its sync. Only the leading bytes are checked here; the archive reader checks the rest.
     */
    async upload(actor: AuditActor, id: string, bytes: Buffer, filename: string): Promise<SourceSyncRun> {
      const source = await mustFind(id);
      if (!ARCHIVE_MAGIC.some((m) => bytes.subarray(0, m.length).equals(m)))
        throw errors.badRequest('Send a .zip or .tar.gz archive as the request body', { field: 'body' });
      await checkSourceArchive(source, bytes);
      const blobKey = `catalog/${source.key}/${randomUUID()}`;
      await deps.storage.put(blobKey, Readable.from([bytes]), { contentType: 'application/octet-stream' });
      // The upload is the run's location; it becomes the source's only when its sync succeeds (sync.ts),
      // so a refused or failing upload never replaces a working location.
      const run = await db.transaction(async (tx) => {
        await recordAudit(tx, actor, {
          action: 'data_source.upload',
          entityType: 'data_source',
          entityId: id,
          summary: { key: source.key, filename, bytes: bytes.length },
        });
        return insertRun(tx, {
          dataSourceId: id,
          locationType: 'upload',
          location: blobKey,
          triggeredBy: actor.userId,
        });
      });
      await deps.jobs.trigger(SOURCES_SYNC_JOB, { sourceId: id, runId: run.id });
      return toSyncRun(run);
    },

    /** `sources.sync`: a queued run, or a fresh sync of the source. */
    async runJob(data: { sourceId: string; runId?: string }, actor: AuditActor): Promise<SyncRunRow> {
      if (data.runId) {
        const [run] = await runQueued([data.runId], actor);
        if (run) return run;
        const existing = await findRun(db, data.runId);
        if (existing) return existing;
      }
      return syncSource(deps, { sourceId: data.sourceId, actor });
    },

    /** `sources.sync-all`: the queued runs given, or every enabled source. */
    async runAll(data: { runIds?: string[] }, actor: AuditActor): Promise<SyncRunRow[]> {
      if (data.runIds) return runQueued(data.runIds, actor);
      const sources = (await listSources(db)).filter((s) => s.enabled);
      const runs: SyncRunRow[] = [];
      for (const source of sources) runs.push(await queue(actor, source));
      return runQueued(
        runs.map((r) => r.id),
        actor,
      );
    },

    /** `sources.sync-scheduled`: syncs the enabled sources whose own cron came due since their last sync. */
    async runScheduled(actor: AuditActor, now = new Date()): Promise<SyncRunRow[]> {
      const due = (await listSources(db)).filter(
        (s) => s.enabled && s.schedule && isDue(s.schedule, s.lastSyncAt ?? null, now, deps.timezone),
      );
      const runs: SyncRunRow[] = [];
      for (const source of due) runs.push(await queue(actor, source));
      return runQueued(
        runs.map((r) => r.id),
        actor,
      );
    },
  };
}
export type DataSourceService = ReturnType<typeof createDataSourceService>;
