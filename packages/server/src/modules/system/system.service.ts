import type { Health, HealthCheck, SchedulerStatus } from '@aegis/contracts';
import type { DatabaseHandle } from '../../infra/db';
import type { JobScheduler } from '../../infra/jobs';
import type { BlobStore } from '../../infra/storage';

export interface SystemDeps {
  database: DatabaseHandle;
  storage: BlobStore;
  jobs: JobScheduler;
  version: string;
  startedAt: Date;
}

const CHECK_TIMEOUT_MS = 3000;

async function timed(probe: () => Promise<void>): Promise<HealthCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'ok', latencyMs: round(performance.now() - started) };
  } catch (err) {
    // Only the error's message: it names what failed without leaking connection strings.
    const detail = err instanceof Error ? err.message.split('\n')[0] : 'unreachable';
    return { status: 'down', latencyMs: round(performance.now() - started), detail };
  } finally {
    clearTimeout(timer);
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export function createSystemService(deps: SystemDeps) {
  return {
    async health(): Promise<Health> {
      const [db, storage] = await Promise.all([timed(deps.database.ping), timed(() => deps.storage.check())]);
      const jobs = deps.jobs.health();
      const checks = { db, storage, jobs };
      const statuses = Object.values(checks).map((c) => c.status);
      return {
        status: statuses.includes('down') ? 'down' : statuses.includes('degraded') ? 'degraded' : 'ok',
        version: deps.version,
        mode: deps.database.kind === 'pglite' ? 'embedded' : 'server',
        uptimeSeconds: Math.round((Date.now() - deps.startedAt.getTime()) / 1000),
        checks,
      };
    },
    schedulerStatus(): Promise<SchedulerStatus> {
      return deps.jobs.status();
    },
  };
}
export type SystemService = ReturnType<typeof createSystemService>;
