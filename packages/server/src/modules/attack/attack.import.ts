import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import { type InterruptedRunReaper, startHeartbeat } from '../../infra/jobs';
import type { Logger } from '../../infra/logger';
import { BlobNotFoundError, type BlobStore } from '../../infra/storage';
import { type AuditActor, type AuditEntry, recordAudit, SYSTEM_ACTOR } from '../audit-logs';
import {
  analyzeKnowledgeBase,
  beatImportRun,
  claimImportRun,
  currentObjects,
  currentRelationships,
  deleteRelationships,
  ensureTechniqueStates,
  failInterruptedImportRuns,
  findImportRun,
  flagForReview,
  type ImportRunRow,
  idsOfStixIds,
  insertImportRun,
  lockImports,
  moveTechniqueNotes,
  refreshTechniqueUses,
  updateImportRun,
  upsertObjects,
  upsertRelationships,
} from './attack.queries';
import type { ImportParams } from './attack.schema';
import { planRelease, type Ref } from './diff';
import { mapRelease } from './mapping';
import { fetchBundle } from './sources/http-bundle';
import { fetchTaxiiObjects } from './sources/taxii';
import { type Domain, readBundle, StixFormatError } from './stix';

export type ImportSource =
  | { type: 'file'; path: string }
  | { type: 'upload'; blobKey: string; filename: string }
  | { type: 'url'; url: string }
  | { type: 'taxii'; url: string; collectionId?: string; collectionTitle?: string; addedAfter?: string };

export interface TechniqueMove {
  fromId: string;
  toId: string;
  from: Ref;
  to: Ref;
}

/**
 * Carries one kind of the organisation's work (tests, notes, mappings, …) from revoked techniques to
 * the techniques that revoke them, inside the import transaction. Modules register one each.
 */
export type TechniqueWorkMover = (tx: Tx, moves: TechniqueMove[]) => Promise<{ what: string; moved: number }>;

/**
 * Brings what another module derives from the knowledge base up to the release just applied (catalog
 * ids the release now knows, tactics), inside the import transaction, after every successful apply.
 * Registered at composition (services.ts): the attack module knows none of them.
 */
export type ReleaseFollower = (
  tx: Tx,
  release: { domain: Domain; release: string | null },
) => Promise<{ what: string; counts: Record<string, number> }>;

/**
 * Keeps what another module needs from the release about to be replaced (a snapshot of coverage and
 * scores), inside the import transaction, before a changed release is written.
 */
export type ReleasePreparer = ReleaseFollower;

export interface ImporterDeps {
  db: Db;
  storage: BlobStore;
  logger: Logger;
  movers: TechniqueWorkMover[];
  followers: ReleaseFollower[];
  /** Run before a release that changes anything is applied (none by default). */
  preparers?: ReleasePreparer[];
  /** How often a running import refreshes its heartbeat (tests shorten it). */
  heartbeatIntervalMs?: number;
}

export interface ImportRequest {
  source: ImportSource;
  /** An existing queued run to execute (API and scheduled paths); otherwise a new run is recorded. */
  runId?: string;
  domain?: Domain;
  release?: string;
  actor: AuditActor;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

export class ImportFailedError extends Error {
  constructor(
    message: string,
    readonly run: ImportRunRow,
    /** Retrying cannot fix it (a bad file, an invalid bundle, a missing upload): the job is not retried. */
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'ImportFailedError';
  }
}

/** What a retry would meet again: the same bytes (not STIX, no techniques) or the same missing upload. */
const isPermanentCause = (err: unknown) => err instanceof StixFormatError || err instanceof BlobNotFoundError;

export function sourceLabel(source: ImportSource): string {
  switch (source.type) {
    case 'file':
      return source.path;
    case 'upload':
      return source.filename;
    case 'url':
    case 'taxii':
      return source.url;
  }
}

export function paramsOf(request: Pick<ImportRequest, 'source' | 'domain' | 'release'>): ImportParams {
  const s = request.source;
  return {
    ...(s.type === 'taxii'
      ? { collectionId: s.collectionId, collectionTitle: s.collectionTitle, addedAfter: s.addedAfter }
      : {}),
    ...(s.type === 'upload' ? { filename: s.filename } : {}),
    domain: request.domain,
    release: request.release,
  };
}

/** Rebuilds the source of a stored run (the job executes queued runs from their row). */
export function sourceOfRun(run: ImportRunRow): ImportSource {
  const p = run.params;
  switch (run.sourceType) {
    case 'file':
      return { type: 'file', path: run.source };
    case 'upload':
      return { type: 'upload', blobKey: run.source, filename: p.filename ?? 'upload' };
    case 'url':
      return { type: 'url', url: run.source };
    case 'taxii':
      return {
        type: 'taxii',
        url: run.source,
        collectionId: p.collectionId,
        collectionTitle: p.collectionTitle,
        addedAfter: p.addedAfter,
      };
  }
}

async function loadObjects(
  deps: ImporterDeps,
  source: ImportSource,
  progress: (phase: string, done: number, total: number) => void,
): Promise<{ objects: unknown[]; full: boolean; bytes: number }> {
  switch (source.type) {
    case 'file': {
      const bytes = await readFile(source.path).catch((err: NodeJS.ErrnoException) => {
        throw new StixFormatError(
          `Cannot read ${source.path}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`,
        );
      });
      return { objects: readBundle(bytes).objects, full: true, bytes: bytes.length };
    }
    case 'upload': {
      const { body } = await deps.storage.get(source.blobKey);
      const bytes = await buffer(body as Readable);
      return { objects: readBundle(bytes).objects, full: true, bytes: bytes.length };
    }
    case 'url': {
      const bytes = await fetchBundle(source.url, {
        onProgress: (p) => progress('download', p.bytes, p.totalBytes ?? 0),
      });
      return { objects: readBundle(bytes).objects, full: true, bytes: bytes.length };
    }
    case 'taxii': {
      const r = await fetchTaxiiObjects({
        url: source.url,
        collectionId: source.collectionId,
        collectionTitle: source.collectionTitle,
        addedAfter: source.addedAfter,
        onProgress: (p) => progress('download', p.objects, 0),
      });
      return { objects: r.objects, full: !source.addedAfter, bytes: 0 };
    }
  }
}

/**
 * fetch → parse (zod, their format) → map → diff → apply in one transaction → record the run.
 * A failure at any step leaves the stored data exactly as it was and the run marked failed.
 */
export async function importAttack(deps: ImporterDeps, request: ImportRequest): Promise<ImportRunRow> {
  const { db, logger } = deps;
  const started = Date.now();
  let run: ImportRunRow;
  if (request.runId) {
    const claimed = await claimImportRun(db, request.runId);
    if (!claimed) {
      // A replayed job (a restart after the job's completion was lost): its run is over or in hand.
      const existing = await findImportRun(db, request.runId);
      if (!existing) throw new Error(`import run ${request.runId} does not exist`);
      logger.info(
        { importRun: existing.id, status: existing.status },
        'import run already taken; nothing to do',
      );
      return existing;
    }
    run = claimed;
  } else {
    run = await insertImportRun(db, {
      sourceType: request.source.type,
      source: sourceLabel(request.source),
      domain: request.domain ?? null,
      triggeredBy: request.actor.userId,
    });
  }
  const runId = run.id;
  const log = logger.child({ importRun: runId });
  let lastWrite = 0;
  let lastPhase = '';
  // Progress writes are chained (never two in flight) and awaited before the apply transaction, so
  // a late write can never overwrite the final state.
  let pending: Promise<void> = Promise.resolve();
  const progress = (phase: string, done: number, total: number) => {
    request.onProgress?.({ phase, done, total });
    // Progress rows at most twice a second (and on each new phase): a live bar, cheap for the database.
    if (Date.now() - lastWrite < 500 && phase === lastPhase) return;
    lastWrite = Date.now();
    lastPhase = phase;
    pending = pending.then(() =>
      updateImportRun(db, runId, { progress: { phase, done, total } }).catch(() => {}),
    );
  };
  if (!request.runId)
    await updateImportRun(db, runId, {
      status: 'running',
      startedAt: new Date(),
      heartbeatAt: sql`now()`,
      progress: { phase: 'fetch', done: 0, total: 0 },
    });
  const heartbeat = startHeartbeat(() => beatImportRun(db, runId), {
    intervalMs: deps.heartbeatIntervalMs,
    onError: (err) => log.warn({ err }, 'import heartbeat not written'),
  });
  log.info({ source: run.source }, 'ATT&CK import started');

  try {
    const loaded = await loadObjects(deps, request.source, progress);
    progress('parse', 0, loaded.objects.length);
    const mapped = mapRelease(loaded.objects, {
      sourceName: sourceLabel(request.source),
      domain: request.domain,
      release: request.release,
    });
    if (
      !mapped.objects.some((o) => o.type === 'attack-pattern' || o.type === 'x-mitre-tactic') &&
      loaded.full
    )
      throw new StixFormatError('The bundle holds no ATT&CK techniques or tactics');
    progress('apply', 0, mapped.objects.length + mapped.relationships.length);
    await pending;

    run = await db.transaction(async (tx) => {
      await lockImports(tx);
      const plan = planRelease(
        await currentObjects(tx, mapped.domain),
        await currentRelationships(tx, mapped.domain),
        mapped.objects,
        mapped.relationships,
        { full: loaded.full },
      );
      request.onProgress?.({
        phase: 'apply',
        done: 0,
        total: plan.objectsToWrite.length + plan.relationshipsToWrite.length,
      });
      const release = mapped.release ?? 'unknown';
      const at = new Date().toISOString();
      const movedWork: Array<{ what: string; moved: number }> = [];
      const prepared: Array<{ what: string; counts: Record<string, number> }> = [];
      if (!plan.unchanged) {
        for (const prepare of deps.preparers ?? [])
          prepared.push(await prepare(tx, { domain: mapped.domain, release: mapped.release ?? null }));
        await upsertObjects(tx, plan.objectsToWrite, mapped.release);
        await upsertRelationships(tx, plan.relationshipsToWrite);
        await deleteRelationships(tx, mapped.domain, plan.relationshipsToDelete);
        await ensureTechniqueStates(tx, mapped.domain);
        await flagForReview(
          tx,
          mapped.domain,
          plan.reviews.map((r) => ({
            stixId: r.stixId,
            reasons: r.reasons.map((x) => ({ ...x, release, at })),
          })),
        );
        if (plan.moves.length > 0) {
          const ids = await idsOfStixIds(
            tx,
            mapped.domain,
            plan.moves.flatMap((m) => [m.from.stixId, m.to.stixId]),
          );
          const moves: TechniqueMove[] = plan.moves.flatMap((m) => {
            const fromId = ids.get(m.from.stixId);
            const toId = ids.get(m.to.stixId);
            return fromId && toId ? [{ fromId, toId, from: m.from, to: m.to }] : [];
          });
          for (const mover of deps.movers) movedWork.push(await mover(tx, moves));
          await recordAudit(
            tx,
            request.actor,
            ...moves.map(
              (m): AuditEntry => ({
                action: 'technique.revoked_moved',
                entityType: 'technique',
                entityId: m.toId,
                summary: { release, from: m.from, to: m.to, moved: movedWork },
              }),
            ),
          );
        }
      }
      const techniqueUses = plan.unchanged ? undefined : await refreshTechniqueUses(tx, mapped.domain);
      const followed: Array<{ what: string; counts: Record<string, number> }> = [];
      for (const follow of deps.followers)
        followed.push(await follow(tx, { domain: mapped.domain, release: mapped.release ?? null }));
      const counts = {
        found: mapped.foundByType,
        byType: plan.diff.counts,
        flaggedForReview: plan.reviews.length,
        moves: plan.moves.length,
        movedWork,
        followed,
        ...(prepared.length > 0 ? { prepared } : {}),
        ...(techniqueUses === undefined ? {} : { techniqueUses }),
        unchanged: plan.unchanged,
        invalidObjects: mapped.errors.length,
        bytes: loaded.bytes,
      };
      await recordAudit(tx, request.actor, {
        action: 'attack.import',
        entityType: 'import_run',
        entityId: runId,
        summary: {
          domain: mapped.domain,
          release,
          unchanged: plan.unchanged,
          flagged: plan.reviews.length,
          moves: plan.moves.length,
        },
      });
      const finished = {
        status: 'succeeded' as const,
        domain: mapped.domain,
        release: mapped.release,
        counts,
        diff: plan.diff as unknown as Record<string, unknown>,
        errors: mapped.errors.slice(0, 200),
        finishedAt: new Date(),
        durationMs: Date.now() - started,
        progress: { phase: 'done', done: 1, total: 1 },
      };
      await updateImportRun(tx, runId, finished);
      return { ...run, ...finished, startedAt: run.startedAt ?? new Date(started) };
    });
    // Fresh statistics for the lists that join the knowledge base (PGlite never autovacuums).
    if (!(run.counts as { unchanged?: boolean } | null)?.unchanged) await analyzeKnowledgeBase(db);
    log.info(
      { domain: run.domain, release: run.release, ms: run.durationMs, counts: run.counts },
      'ATT&CK import finished',
    );
    return run;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await pending;
    await updateImportRun(db, runId, {
      status: 'failed',
      // A retried run keeps the reason its first attempt failed for, ahead of this one's.
      errors: [...new Set([...run.errors, message])],
      finishedAt: new Date(),
      durationMs: Date.now() - started,
    });
    log.error({ err }, 'ATT&CK import failed; stored data unchanged');
    const failed = (await findImportRun(db, runId)) ?? run;
    throw new ImportFailedError(message, failed, isPermanentCause(err));
  } finally {
    await heartbeat.stop();
  }
}

/** Imports whose process died (crash, kill, power loss) stay `running` with a silent heartbeat: failed, and audited. */
export const reapInterruptedImports: InterruptedRunReaper = async (tx, staleness) => {
  const reaped = await failInterruptedImportRuns(tx, staleness);
  await recordAudit(
    tx,
    SYSTEM_ACTOR,
    ...reaped.map(
      (r): AuditEntry => ({
        action: 'attack.import_interrupted',
        entityType: 'import_run',
        entityId: r.id,
        summary: { source: r.source, lastHeartbeatAt: r.lastBeat.toISOString() },
      }),
    ),
  );
  return reaped.map((r) => ({ kind: 'import_run', id: r.id, lastHeartbeatAt: r.lastBeat }));
};

/** The built-in mover: notes on a revoked technique are appended to the revoking technique's. */
export const moveNotes: TechniqueWorkMover = async (tx, moves) => ({
  what: 'technique notes',
  moved: await moveTechniqueNotes(tx, moves),
});
