import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from './infra/config';
import { resolveSecretKey } from './infra/config/secret';
import { type DatabaseHandle, openDatabase, runMigrations } from './infra/db';
import { JobRegistry, JobScheduler, reapInterruptedRuns, type Staleness } from './infra/jobs';
import { createLogger, type Logger } from './infra/logger';
import { serverVersion } from './infra/paths';
import { type BlobStore, createBlobStore } from './infra/storage';
import { attackJobs } from './modules/attack';
import { authJobs } from './modules/auth';
import { catalogJobs, ensureDataSources } from './modules/catalog';
import { notificationJobs } from './modules/notifications';
import { scoresJobs } from './modules/scores';
import { snapshotsJobs } from './modules/snapshots';
import { systemJobs } from './modules/system';
import { ensureFirstAdmin } from './modules/users';
import { createServices, INTERRUPTED_RUN_REAPERS, type Services } from './services';

/** Everything a running instance holds open: the composition root that routes and jobs are built on. */
export interface Platform {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly database: DatabaseHandle;
  readonly storage: BlobStore;
  readonly jobs: JobScheduler;
  readonly secretKey: string;
  readonly instanceId: string;
  readonly version: string;
  readonly startedAt: Date;
  readonly services: Services;
  close(): Promise<void>;
}

export interface PlatformOptions {
  logger?: Logger;
  /** Tests: an in-memory PGlite instead of DATA_DIR. */
  inMemoryDatabase?: boolean;
  /** Tests shorten pg-boss polling. */
  jobTiming?: { pollingIntervalSeconds?: number; cronMonitorIntervalSeconds?: number };
}

/** Every module's background jobs, by name. Handlers reach services lazily (they exist once the platform does). */
function registerJobs(
  registry: JobRegistry,
  deps: {
    database: DatabaseHandle;
    services: () => Services;
    retentionDays: number;
    runHeartbeatTimeoutSeconds: number;
  },
): void {
  const db = deps.database.db;
  const system = systemJobs({
    db,
    reapers: INTERRUPTED_RUN_REAPERS,
    runHeartbeatTimeoutSeconds: deps.runHeartbeatTimeoutSeconds,
  });
  for (const job of [...system, ...authJobs({ db })]) registry.define(job);
  for (const job of attackJobs(
    () => deps.services().imports,
    () => deps.services().scores.inputsChanged(),
  ))
    registry.define(job);
  for (const job of catalogJobs(() => deps.services().catalog.sources)) registry.define(job);
  for (const job of scoresJobs(() => deps.services().scores)) registry.define(job);
  for (const job of snapshotsJobs(() => deps.services().snapshots)) registry.define(job);
  for (const job of notificationJobs({
    service: { deleteReadOlderThan: (days) => deps.services().notifications.deleteReadOlderThan(days) },
    retentionDays: deps.retentionDays,
  }))
    registry.define(job);
}

/**
 * Opens the database (taking the data-folder lock in embedded mode), migrates it, opens the blob
 * store and starts the job scheduler. If any step fails, what was opened is closed again.
 */
export async function startPlatform(
  config: Readonly<Config>,
  options: PlatformOptions = {},
): Promise<Platform> {
  const logger = options.logger ?? createLogger(config);
  const instanceId = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const cleanups: Array<() => Promise<void>> = [];
  const unwind = async () => {
    for (const fn of cleanups.reverse()) await fn().catch((err) => logger.error({ err }, 'cleanup failed'));
  };
  try {
    const database = await openDatabase(
      options.inMemoryDatabase
        ? { ...(config.db.driver === 'pglite' ? config.db : {}), driver: 'pglite', dir: undefined }
        : config.db,
      logger,
    );
    cleanups.push(database.close);
    await runMigrations(database);
    logger.info({ driver: database.kind }, 'database ready');
    await ensureFirstAdmin(database.db, config.auth.firstAdmin, logger);
    await ensureDataSources(database.db);
    // Imports and syncs left `running` by a process that died. Embedded, the data-folder lock proves
    // no other process runs any; in server mode other instances may, so only the silent ones are dead.
    const staleness: Staleness =
      database.kind === 'pglite'
        ? { all: true }
        : { silentForSeconds: config.jobs.runHeartbeatTimeoutSeconds };
    const reaped = await reapInterruptedRuns(database.db, INTERRUPTED_RUN_REAPERS, staleness);
    if (reaped.length > 0) logger.warn({ runs: reaped }, 'runs of a stopped instance marked failed');

    const { key: secretKey, source } = resolveSecretKey(config);
    if (source !== 'SECRET_KEY') {
      logger.info({ file: source }, 'SECRET_KEY not set; using the generated development secret');
      if (database.kind === 'postgres')
        logger.warn('server mode without SECRET_KEY: every instance must share one SECRET_KEY');
    }

    const storage = await createBlobStore(config.storage, logger);
    cleanups.push(() => storage.close());

    const registry = new JobRegistry();
    let services: Services | undefined;
    registerJobs(registry, {
      database,
      retentionDays: config.workflow.notificationRetentionDays,
      runHeartbeatTimeoutSeconds: config.jobs.runHeartbeatTimeoutSeconds,
      services: () => {
        if (!services) throw new Error('services are not ready');
        return services;
      },
    });
    const jobs = new JobScheduler({
      database,
      registry,
      logger,
      instanceId,
      timezone: config.timezone,
      process: config.jobs.enabled,
      scheduleOverrides: config.jobs.schedules,
      ...options.jobTiming,
    });
    const startedAt = new Date();
    services = createServices({
      config,
      database,
      storage,
      jobs,
      logger,
      secretKey,
      version: serverVersion,
      startedAt,
    });
    // The live-notification listener (LISTEN on PostgreSQL / PGlite); stopped before the database closes.
    const live = services.notifications;
    await live.start();
    cleanups.push(() => live.stop());
    await jobs.start();
    cleanups.push(() => jobs.stop(config.shutdownTimeoutMs));

    let closing: Promise<void> | undefined;
    return {
      config,
      logger,
      database,
      storage,
      jobs,
      secretKey,
      instanceId,
      version: serverVersion,
      startedAt,
      services,
      close: () => {
        closing ??= unwind();
        return closing;
      },
    };
  } catch (err) {
    await unwind();
    throw err;
  }
}
