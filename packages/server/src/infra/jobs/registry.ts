import type { Logger } from '../logger';

export interface JobContext {
  /** pg-boss job id; stable across retries of the same job. */
  jobId: string;
  logger: Logger;
  /** Aborted when the instance shuts down; long jobs should stop at the next safe point. */
  signal: AbortSignal;
}

/**
 * A named unit of background work. Handlers must be idempotent: a job can be retried after a
 * crash, and a manual trigger can overlap a scheduled one.
 */
export interface JobDefinition<TData = unknown> {
  /** Dotted, lower-case: `<module>.<action>`, e.g. `attack.sync`. */
  name: string;
  description: string;
  /** Default cron (5 fields, in AEGIS_TIMEZONE); JOB_SCHEDULE_<NAME> overrides or turns it off. */
  schedule?: string;
  /** Retries after a failure (default 2); a permanent failure (`isPermanentFailure`) is never retried. */
  retryLimit?: number;
  /** How long one run may take before pg-boss considers it failed. */
  expireInSeconds?: number;
  run(data: TData, ctx: JobContext): Promise<void>;
}

/**
 * A failure that retrying cannot fix (a file that is not what it claims, a blob that is gone): any
 * error carrying `permanent: true`. The scheduler fails its job at once instead of retrying it, so
 * the run keeps the real reason. Modules mark their own errors; this layer knows none of them.
 */
export interface PermanentFailure {
  readonly permanent: true;
}

export function isPermanentFailure(err: unknown): err is PermanentFailure {
  return typeof err === 'object' && err !== null && (err as { permanent?: unknown }).permanent === true;
}

const NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/** Every job the process knows, by name. Modules contribute definitions; the scheduler runs them. */
export class JobRegistry {
  readonly #jobs = new Map<string, JobDefinition>();

  define<T>(job: JobDefinition<T>): this {
    if (!NAME.test(job.name)) throw new Error(`job name ${job.name} must look like module.action`);
    if (this.#jobs.has(job.name)) throw new Error(`job ${job.name} is defined twice`);
    this.#jobs.set(job.name, job as JobDefinition);
    return this;
  }

  get(name: string): JobDefinition | undefined {
    return this.#jobs.get(name);
  }

  list(): JobDefinition[] {
    return [...this.#jobs.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}
