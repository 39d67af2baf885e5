import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { eq, inArray, type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresDatabase,
  silentLogger,
  startTestPlatform,
  testConfig,
  testDbKind,
  waitFor,
} from '../../../test/support';
import type { Db } from '../../infra/db';
import { listJobRuns } from '../../infra/jobs';
import { type Platform, startPlatform } from '../../platform';
import { importAttack } from '../attack';
import { importRuns } from '../attack/attack.schema';
import { auditLogs } from '../audit-logs/audit-logs.schema';
import { syncSource } from '../catalog';
import { dataSources, sourceSyncRuns } from '../catalog/catalog.schema';
import { REAP_INTERRUPTED_RUNS_JOB } from './system.jobs';

const actor = { userId: null, username: 'test', ip: null, requestId: null };
const INTERRUPTED =
  /^interrupted: the instance running it stopped; no heartbeat since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const minutesAgo = (m: number) => sql`now() - make_interval(mins => ${m})`;

/** An archive URL that answers 200, sends two bytes and then goes silent until `cut()`. */
async function stallingServer(): Promise<{ url: string; cut: () => void }> {
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/gzip' });
    res.write(Buffer.from([0x1f, 0x8b]));
  });
  server.on('connection', (s) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const cut = () => {
    for (const s of sockets) s.destroy();
  };
  afterAll(() => {
    cut();
    return new Promise<void>((r) => server.close(() => r()));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bundle.tar.gz`, cut };
}

async function addSource(db: Db, status: 'running' | 'succeeded' = 'running') {
  const key = `test-${randomBytes(4).toString('hex')}`;
  const [row] = await db
    .insert(dataSources)
    .values({
      key,
      name: key,
      kind: 'rules',
      adapter: 'sigma',
      locationType: 'url',
      location: 'http://127.0.0.1:9/x.tar.gz',
      status,
    })
    .returning();
  if (!row) throw new Error('no source');
  return row;
}

/** A run row as a process would leave it: `running`, its heartbeat `heartbeatAt` (null: none, an old row). */
async function addSyncRun(
  db: Db,
  dataSourceId: string,
  heartbeatAt: SQL | null,
  startedAt: SQL = sql`now()`,
) {
  const [row] = await db
    .insert(sourceSyncRuns)
    .values({
      dataSourceId,
      status: 'running',
      locationType: 'url',
      location: 'http://127.0.0.1:9/x.tar.gz',
      startedAt,
      heartbeatAt,
    })
    .returning();
  if (!row) throw new Error('no run');
  return row.id;
}

async function addImportRun(
  db: Db,
  heartbeatAt: SQL | null,
  startedAt: SQL = sql`now()`,
  status = 'running',
) {
  const [row] = await db
    .insert(importRuns)
    .values({
      sourceType: 'url',
      source: 'http://127.0.0.1:9/enterprise-attack.json',
      status: status as 'running',
      startedAt,
      heartbeatAt,
    })
    .returning();
  if (!row) throw new Error('no run');
  return row.id;
}

const syncRun = async (db: Db, id: string) =>
  (await db.select().from(sourceSyncRuns).where(eq(sourceSyncRuns.id, id)))[0];
const importRun = async (db: Db, id: string) =>
  (await db.select().from(importRuns).where(eq(importRuns.id, id)))[0];
const source = async (db: Db, id: string) =>
  (await db.select().from(dataSources).where(eq(dataSources.id, id)))[0];

describe(`interrupted runs on ${testDbKind}`, () => {
  let platform: Platform;
  const db = () => platform.database.db;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });

  it('a running sync and a running import refresh their heartbeat on a timer, then stop', async () => {
    const stall = await stallingServer();
    const src = await addSource(db(), 'succeeded');
    await db().update(dataSources).set({ location: stall.url }).where(eq(dataSources.id, src.id));
    const deps = { db: db(), storage: platform.storage, logger: silentLogger, heartbeatIntervalMs: 100 };
    const syncing = syncSource(deps, { sourceId: src.id, actor }).catch((err: Error) => err);
    const importing = importAttack(
      { ...deps, movers: [], followers: [] },
      { source: { type: 'url', url: stall.url }, actor },
    ).catch((err: Error) => err);

    // Both runs are silent (stalled download, no progress) yet their heartbeats move.
    const [sync] = await waitFor(async () => {
      const r = await db().select().from(sourceSyncRuns).where(eq(sourceSyncRuns.dataSourceId, src.id));
      // Started, and its first (and last) progress written: the two bytes the server sends.
      return r[0]?.status === 'running' && r[0].heartbeatAt && r[0].progress?.done === 2 && r;
    });
    const [imp] = await waitFor(async () => {
      const r = await db().select().from(importRuns).where(eq(importRuns.source, stall.url));
      return r[0]?.status === 'running' && r[0].heartbeatAt && r;
    });
    if (!sync?.heartbeatAt || !imp?.heartbeatAt) throw new Error('no heartbeat at start');
    expect(sync.heartbeatAt.getTime()).toBeGreaterThanOrEqual((sync.startedAt?.getTime() ?? 0) - 1000);
    const progressBefore = sync.progress;
    await waitFor(
      async () => {
        const [s, i] = [await syncRun(db(), sync.id), await importRun(db(), imp.id)];
        return (
          (s?.heartbeatAt?.getTime() ?? 0) > (sync.heartbeatAt?.getTime() ?? 0) &&
          (i?.heartbeatAt?.getTime() ?? 0) > (imp.heartbeatAt?.getTime() ?? 0)
        );
      },
      { what: 'heartbeats to advance', timeoutMs: 5000 },
    );
    expect((await syncRun(db(), sync.id))?.progress).toEqual(progressBefore);

    // The download breaks: both fail as usual, and the heartbeat stops with them.
    stall.cut();
    expect(await syncing).toBeInstanceOf(Error);
    expect(await importing).toBeInstanceOf(Error);
    const [s1, i1] = [await syncRun(db(), sync.id), await importRun(db(), imp.id)];
    expect(s1?.status).toBe('failed');
    expect(i1?.status).toBe('failed');
    expect(s1?.errors[0]?.message).not.toMatch(/interrupted/);
    await new Promise((r) => setTimeout(r, 400));
    expect((await syncRun(db(), sync.id))?.heartbeatAt).toEqual(s1?.heartbeatAt);
    expect((await importRun(db(), imp.id))?.heartbeatAt).toEqual(i1?.heartbeatAt);
  });

  it('the scheduled job fails silent runs and their sources; fresh runs are left running', async () => {
    const a = await addSource(db());
    const aStale = await addSyncRun(db(), a.id, minutesAgo(10), minutesAgo(30));
    const b = await addSource(db());
    const bFresh = await addSyncRun(db(), b.id, sql`now()`);
    // Two runs of one source: the dead one fails, the source stays running for the live one.
    const c = await addSource(db());
    const cStale = await addSyncRun(db(), c.id, minutesAgo(5));
    const cFresh = await addSyncRun(db(), c.id, sql`now() - interval '30 seconds'`);
    const iStale = await addImportRun(db(), minutesAgo(3), minutesAgo(20));
    const iFresh = await addImportRun(db(), sql`now()`);
    // A row from before heartbeats: its start is its last sign of life.
    const iNoBeat = await addImportRun(db(), null, minutesAgo(10));
    const iOld = await addImportRun(db(), minutesAgo(60), minutesAgo(60), 'succeeded');

    await platform.jobs.trigger(REAP_INTERRUPTED_RUNS_JOB);
    await waitFor(async () => (await importRun(db(), iStale))?.status === 'failed', {
      what: 'the reaper job',
    });
    await waitFor(async () => {
      const [run] = await listJobRuns(db(), REAP_INTERRUPTED_RUNS_JOB);
      return run?.state === 'completed';
    });

    const dead = await syncRun(db(), aStale);
    expect(dead).toMatchObject({ status: 'failed' });
    expect(dead?.finishedAt).toBeInstanceOf(Date);
    expect(dead?.errors).toHaveLength(1);
    expect(dead?.errors[0]?.message).toMatch(INTERRUPTED);
    expect(dead?.errors[0]?.message).toContain(dead?.heartbeatAt?.toISOString().slice(0, 19));
    // It is known to have run from its start to its last heartbeat: 20 minutes.
    expect(dead?.durationMs).toBeGreaterThanOrEqual(20 * 60_000 - 1000);
    expect(dead?.durationMs).toBeLessThanOrEqual(20 * 60_000 + 1000);
    expect(await source(db(), a.id)).toMatchObject({ status: 'failed', lastError: dead?.errors[0]?.message });
    expect((await source(db(), a.id))?.lastSyncAt).toBeInstanceOf(Date);

    expect((await syncRun(db(), bFresh))?.status).toBe('running');
    expect((await source(db(), b.id))?.status).toBe('running');
    expect((await syncRun(db(), cStale))?.status).toBe('failed');
    expect((await syncRun(db(), cFresh))?.status).toBe('running');
    expect(await source(db(), c.id)).toMatchObject({ status: 'running', lastError: null });

    const stale = await importRun(db(), iStale);
    expect(stale?.errors).toEqual([expect.stringMatching(INTERRUPTED)]);
    expect(stale?.finishedAt).toBeInstanceOf(Date);
    expect((await importRun(db(), iNoBeat))?.status).toBe('failed');
    expect((await importRun(db(), iFresh))?.status).toBe('running');
    expect((await importRun(db(), iOld))?.status).toBe('succeeded');

    const audit = await db()
      .select()
      .from(auditLogs)
      .where(inArray(auditLogs.action, ['attack.import_interrupted', 'data_source.sync_interrupted']));
    expect(audit.map((r) => [r.action, r.entityId, r.actorUsername]).sort()).toEqual(
      [
        ['attack.import_interrupted', iNoBeat, 'system'],
        ['attack.import_interrupted', iStale, 'system'],
        ['data_source.sync_interrupted', a.id, 'system'],
        ['data_source.sync_interrupted', c.id, 'system'],
      ].sort(),
    );
    expect(audit.find((r) => r.entityId === c.id)?.summary).toMatchObject({
      key: c.key,
      run: cStale,
      sourceStatus: 'running',
    });

    // Running it again changes nothing: the fresh runs are still alive.
    await db().update(importRuns).set({ heartbeatAt: sql`now()` }).where(eq(importRuns.id, iFresh));
    await platform.jobs.trigger(REAP_INTERRUPTED_RUNS_JOB);
    await waitFor(async () => (await listJobRuns(db(), REAP_INTERRUPTED_RUNS_JOB)).length >= 2);
    await waitFor(async () => (await listJobRuns(db(), REAP_INTERRUPTED_RUNS_JOB))[0]?.state === 'completed');
    expect((await importRun(db(), iFresh))?.status).toBe('running');
    expect((await syncRun(db(), cFresh))?.status).toBe('running');
  });
});

describe(`interrupted runs at start on ${testDbKind}`, async () => {
  // The same data (folder or database) opened twice, as a restart after a crash would.
  const config = testConfig({
    JOBS_ENABLED: 'false',
    ...(testDbKind === 'postgres' ? { DATABASE_URL: await createPostgresDatabase() } : {}),
  });
  const start = () => startPlatform(config, { logger: silentLogger });

  it(testDbKind === 'pglite'
    ? 'embedded: every running run is failed at start (the folder lock proves its process is gone)'
    : 'server mode: only runs silent past the threshold are failed at start (other instances may be alive)', async () => {
    let platform = await start();
    let db = platform.database.db;
    const src = await addSource(db);
    const fresh = await addSyncRun(db, src.id, sql`now()`);
    const stale = await addImportRun(db, minutesAgo(3));
    const freshImport = await addImportRun(db, sql`now()`);
    await platform.close();

    platform = await start();
    db = platform.database.db;
    try {
      expect((await importRun(db, stale))?.status).toBe('failed');
      if (testDbKind === 'pglite') {
        expect((await syncRun(db, fresh))?.errors[0]?.message).toMatch(INTERRUPTED);
        expect((await importRun(db, freshImport))?.status).toBe('failed');
        expect(await source(db, src.id)).toMatchObject({
          status: 'failed',
          lastError: expect.stringMatching(INTERRUPTED),
        });
      } else {
        expect((await syncRun(db, fresh))?.status).toBe('running');
        expect((await importRun(db, freshImport))?.status).toBe('running');
        expect((await source(db, src.id))?.status).toBe('running');
      }
    } finally {
      await platform.close();
    }
  }, 60_000);
});
