import type { HealthCheck, SchedulerStatus } from '@aegis/contracts';
import { CronExpressionParser } from 'cron-parser';
import { fromPglite, type JobResult, PgBoss } from 'pg-boss';
import { jobScheduleVariable } from '../config';
import { type DatabaseHandle, databaseBusy } from '../db';
import type { Logger } from '../logger';
import { finishJobRun, insertRunningJobRun, latestRunPerJob } from './job-runs.queries';
import { isPermanentFailure, type JobDefinition, type JobRegistry } from './registry';

export interface SchedulerOptions {
  database: DatabaseHandle;
  registry: JobRegistry;
  logger: Logger;
  instanceId: string;
  timezone: string;
  /** false: this instance only enqueues (API-only instance); it neither schedules nor works. */
  process: boolean;
  /** Cron overrides by env variable name (see Config.jobs.schedules). */
  scheduleOverrides: Readonly<Record<string, string | null>>;
  /** Tests shorten pg-boss's polling; production keeps its defaults. */
  pollingIntervalSeconds?: number;
  cronMonitorIntervalSeconds?: number;
}

const BOSS_SCHEMA = 'pgboss';

/**
 * Runs the job registry on pg-boss: the same queue in PostgreSQL for every instance, so each
 * cron occurrence becomes one job taken by one instance. Every execution is recorded in
 * `job_runs` by the wrapper around the handler.
 */
export class JobScheduler {
  readonly #o: SchedulerOptions;
  #boss: PgBoss | undefined;
  #running = false;
  #lastError: { at: number; message: string } | undefined;
  readonly #abort = new AbortController();

  constructor(options: SchedulerOptions) {
    this.#o = options;
  }

  get running(): boolean {
    return this.#running;
  }

  /** The effective cron of a job on this instance: override, default, or null (not scheduled). */
  cronOf(job: JobDefinition): string | null {
    const variable = jobScheduleVariable(job.name);
    if (variable in this.#o.scheduleOverrides) return this.#o.scheduleOverrides[variable] ?? null;
    return job.schedule ?? null;
  }

  async start(): Promise<void> {
    const { database, registry, logger } = this.#o;
    const known = new Set(registry.list().map((j) => jobScheduleVariable(j.name)));
    for (const variable of Object.keys(this.#o.scheduleOverrides))
      if (!known.has(variable)) logger.warn({ variable }, 'schedule override for an unknown job is ignored');

    const timing = {
      cronMonitorIntervalSeconds: this.#o.cronMonitorIntervalSeconds ?? 30,
      cronWorkerIntervalSeconds: this.#o.cronMonitorIntervalSeconds ?? 5,
    };
    const boss =
      database.kind === 'pglite'
        ? new PgBoss({
            db: fromPglite(database.pglite),
            backend: 'pglite',
            schema: BOSS_SCHEMA,
            schedule: this.#o.process,
            supervise: this.#o.process,
            ...timing,
          })
        : new PgBoss({
            connectionString: database.url,
            application_name: 'aegis-jobs',
            schema: BOSS_SCHEMA,
            max: 4,
            schedule: this.#o.process,
            supervise: this.#o.process,
            ...timing,
          });
    boss.on('error', (err: Error) => {
      // A poll refused by the embedded database's full queue (ADR 16) is retried at the next poll.
      if (databaseBusy(err))
        return logger.warn({ err: err.message }, 'job queue poll deferred: database busy');
      this.#lastError = { at: Date.now(), message: err.message };
      logger.error({ err }, 'job queue error');
    });
    await boss.start();
    this.#boss = boss;

    for (const job of registry.list()) {
      await boss.createQueue(job.name, {
        policy: 'singleton',
        retryLimit: job.retryLimit ?? 2,
        expireInSeconds: job.expireInSeconds ?? 3600,
      });
    }
    if (this.#o.process) {
      for (const job of registry.list()) {
        const cron = this.cronOf(job);
        if (cron) await boss.schedule(job.name, cron, null, { tz: this.#o.timezone });
        else await boss.unschedule(job.name);
        // Per-job results, so a permanent failure can end its job without the retries a throw would get.
        await boss.work(
          job.name,
          { pollingIntervalSeconds: this.#o.pollingIntervalSeconds ?? 2, batchSize: 1, perJobResults: true },
          async (jobs) => {
            const results: JobResult[] = [];
            for (const queued of jobs) results.push(await this.#execute(job, queued.id, queued.data));
            return results;
          },
        );
      }
    }
    this.#running = true;
    logger.info(
      { jobs: registry.list().length, processing: this.#o.process, instanceId: this.#o.instanceId },
      'job scheduler started',
    );
  }

  /**
   * Runs one job and records it in `job_runs`. A failure is `failed` (pg-boss retries it while the
   * job's retryLimit allows) unless it is permanent: then `deadletter`, which pg-boss fails at once.
   */
  async #execute(job: JobDefinition, queueJobId: string, data: unknown): Promise<JobResult> {
    const { database, logger, instanceId } = this.#o;
    const log = logger.child({ job: job.name, jobId: queueJobId });
    const runId = await insertRunningJobRun(database.db, { jobName: job.name, queueJobId, instanceId, data });
    log.info('job started');
    try {
      await job.run(data, { jobId: queueJobId, logger: log, signal: this.#abort.signal });
      await finishJobRun(database.db, runId, {});
      log.info('job completed');
      return { id: queueJobId, status: 'completed' };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await finishJobRun(database.db, runId, { error: message.slice(0, 4000) });
      const permanent = isPermanentFailure(err);
      log.error({ err, permanent }, permanent ? 'job failed; retrying cannot fix it' : 'job failed');
      return { id: queueJobId, status: permanent ? 'deadletter' : 'failed', output: { message } };
    }
  }

  /** Enqueues a run now (manual trigger). Returns the queue job id, or null if one is already queued. */
  async trigger(name: string, data: Record<string, unknown> = {}): Promise<string | null> {
    if (!this.#boss) throw new Error('job scheduler is not started');
    if (!this.#o.registry.get(name)) throw new Error(`unknown job ${name}`);
    return this.#boss.send(name, data);
  }

  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.#boss) return;
    this.#abort.abort();
    const boss = this.#boss;
    this.#boss = undefined;
    this.#running = false;
    // PGlite is closed by its owner (the database handle), so pg-boss must not close it.
    await boss.stop({ graceful: true, timeout: timeoutMs, close: this.#o.database.kind !== 'pglite' });
  }

  health(): HealthCheck {
    const started = performance.now();
    if (!this.#running) return { status: 'down', latencyMs: 0, detail: 'scheduler not running' };
    const recent = this.#lastError && Date.now() - this.#lastError.at < 60_000 ? this.#lastError : undefined;
    return {
      status: recent ? 'degraded' : 'ok',
      latencyMs: performance.now() - started,
      detail: recent ? recent.message : this.#o.process ? 'scheduling and processing' : 'enqueue only',
    };
  }

  /** What runs when, and how the last run of each job went (one query). */
  async status(): Promise<SchedulerStatus> {
    const latest = new Map((await latestRunPerJob(this.#o.database.db)).map((r) => [r.jobName, r]));
    return {
      running: this.#running,
      instanceId: this.#o.instanceId,
      timezone: this.#o.timezone,
      jobs: this.#o.registry.list().map((job) => {
        const cron = this.cronOf(job);
        const last = latest.get(job.name);
        return {
          name: job.name,
          description: job.description,
          cron,
          enabled: cron !== null,
          onDemand: !job.schedule && cron === null,
          nextRunAt: cron
            ? (CronExpressionParser.parse(cron, { tz: this.#o.timezone, strict: false })
                .next()
                .toISOString() ?? null)
            : null,
          lastRun: last
            ? {
                state: last.state,
                startedAt: last.startedAt.toISOString(),
                finishedAt: last.finishedAt?.toISOString() ?? null,
                durationMs: last.durationMs,
                error: last.error,
                instanceId: last.instanceId,
              }
            : null,
        };
      }),
    };
  }
}
