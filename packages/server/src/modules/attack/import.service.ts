import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ImportRun, ListEnvelope } from '@aegis/contracts';
import type { Config } from '../../infra/config';
import { errors } from '../../infra/http';
import { isPermanentFailure, type JobScheduler } from '../../infra/jobs';
import type { AuditActor } from '../audit-logs';
import {
  type ImporterDeps,
  type ImportSource,
  importAttack,
  paramsOf,
  sourceLabel,
  sourceOfRun,
} from './attack.import';
import { findImportRun, type ImportRunRow, insertImportRun, listImportRuns } from './attack.queries';
import { readBundle, StixFormatError } from './stix';

export const ATTACK_SYNC_JOB = 'attack.sync';

const iso = (d: Date | null) => d?.toISOString() ?? null;
export function toImportRun(r: ImportRunRow): ImportRun {
  return {
    id: r.id,
    kind: r.kind,
    domain: r.domain,
    sourceType: r.sourceType,
    source: r.source,
    filename: r.params.filename ?? null,
    status: r.status,
    release: r.release,
    progress: r.progress ?? null,
    counts: r.counts,
    diff: r.diff ?? null,
    errors: r.errors,
    triggeredBy: r.triggeredBy,
    createdAt: r.createdAt.toISOString(),
    startedAt: iso(r.startedAt),
    finishedAt: iso(r.finishedAt),
    durationMs: r.durationMs,
  };
}

export function defaultSyncSource(config: Pick<Config, 'attack'>): ImportSource {
  const a = config.attack;
  if (a.syncSource === 'url') return { type: 'url', url: a.bundleUrl };
  const isId = /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(a.taxiiCollection);
  return {
    type: 'taxii',
    url: a.taxiiUrl,
    ...(isId ? { collectionId: a.taxiiCollection } : { collectionTitle: a.taxiiCollection }),
  };
}

export function createImportService(
  deps: ImporterDeps & { config: Pick<Config, 'attack'>; jobs: JobScheduler },
) {
  const { db } = deps;

  async function queue(actor: AuditActor, source: ImportSource): Promise<ImportRun> {
    const run = await insertImportRun(db, {
      sourceType: source.type,
      source: source.type === 'upload' ? source.blobKey : sourceLabel(source),
      triggeredBy: actor.userId,
      params: paramsOf({ source }),
    });
    await deps.jobs.trigger(ATTACK_SYNC_JOB, { runId: run.id });
    return toImportRun(run);
  }

  return {
    /** Queues a sync from the configured (or given) public source; the job runs it. */
    async queueSync(
      actor: AuditActor,
      request: { source?: 'url' | 'taxii'; url?: string; collectionId?: string; addedAfter?: string },
    ): Promise<ImportRun> {
      const base = defaultSyncSource(
        request.source ? { attack: { ...deps.config.attack, syncSource: request.source } } : deps.config,
      );
      const source: ImportSource =
        base.type === 'url'
          ? { type: 'url', url: request.url ?? base.url }
          : base.type === 'taxii'
            ? {
                ...base,
                url: request.url ?? base.url,
                ...(request.collectionId
                  ? { collectionId: request.collectionId, collectionTitle: undefined }
                  : {}),
                addedAfter: request.addedAfter,
              }
            : base;
      return queue(actor, source);
    },

    /** Checks an uploaded bundle is STIX (400 otherwise), keeps it in blob storage and queues its import. */
    async queueUpload(actor: AuditActor, bytes: Buffer, filename: string): Promise<ImportRun> {
      try {
        readBundle(bytes);
      } catch (err) {
        if (err instanceof StixFormatError) throw errors.badRequest(err.message, { field: 'body' });
        throw err;
      }
      const blobKey = `imports/attack/${randomUUID()}`;
      await deps.storage.put(blobKey, Readable.from([bytes]), { contentType: 'application/octet-stream' });
      return queue(actor, { type: 'upload', blobKey, filename });
    },

    async list(q: { limit: number; offset: number; status?: string }): Promise<ListEnvelope<ImportRun>> {
      const { rows, total } = await listImportRuns(db, q);
      return { items: rows.map(toImportRun), total, limit: q.limit, offset: q.offset };
    },

    async get(id: string): Promise<ImportRun> {
      const run = await findImportRun(db, id);
      if (!run) throw errors.notFound('Import run', id);
      return toImportRun(run);
    },

    /** The job: runs a queued run, or (scheduled) a fresh sync from the configured source. */
    async runJob(data: { runId?: string }, actor: AuditActor): Promise<ImportRunRow> {
      const run = data.runId ? await findImportRun(db, data.runId) : undefined;
      if (data.runId && !run)
        throw Object.assign(new Error(`import run ${data.runId} does not exist`), { permanent: true });
      const source = run ? sourceOfRun(run) : defaultSyncSource(deps.config);
      // An upload is deleted once its run is over for good; a failure the job retries still needs it.
      let over = false;
      try {
        const done = await importAttack(deps, {
          source,
          runId: run?.id,
          domain: run?.params.domain as never,
          release: run?.params.release,
          actor,
        });
        // A replayed job finds its run taken: another worker may still be reading the upload.
        over = done.status === 'succeeded' || done.status === 'failed';
        return done;
      } catch (err) {
        over = isPermanentFailure(err);
        throw err;
      } finally {
        if (over && source.type === 'upload') await deps.storage.delete(source.blobKey).catch(() => {});
      }
    },
  };
}
export type ImportService = ReturnType<typeof createImportService>;
