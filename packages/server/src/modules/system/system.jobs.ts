import type { Db } from '../../infra/db';
import {
  deleteFinishedJobRunsBefore,
  type InterruptedRunReaper,
  type JobDefinition,
  reapInterruptedRuns,
} from '../../infra/jobs';

export const JOB_RUN_RETENTION_DAYS = 90;
export const REAP_INTERRUPTED_RUNS_JOB = 'system.reap-interrupted-runs';

export function systemJobs(deps: {
  db: Db;
  /** Every module's reaper of runs left `running` by a stopped instance. */
  reapers: readonly InterruptedRunReaper[];
  runHeartbeatTimeoutSeconds: number;
}): JobDefinition[] {
  const silentForSeconds = deps.runHeartbeatTimeoutSeconds;
  return [
    {
      name: 'system.job-runs-cleanup',
      description: `Deletes job run records older than ${JOB_RUN_RETENTION_DAYS} days`,
      schedule: '17 3 * * *',
      async run(_data, ctx) {
        const deleted = await deleteFinishedJobRunsBefore(deps.db, JOB_RUN_RETENTION_DAYS);
        ctx.logger.info({ deleted }, 'old job runs deleted');
      },
    },
    {
      // Another instance may die at any time; the next minute's run is the retry.
      name: REAP_INTERRUPTED_RUNS_JOB,
      description: `Marks imports and syncs failed whose instance stopped (no heartbeat for ${silentForSeconds} s)`,
      schedule: '* * * * *',
      retryLimit: 0,
      expireInSeconds: 120,
      async run(_data, ctx) {
        const reaped = await reapInterruptedRuns(deps.db, deps.reapers, { silentForSeconds });
        if (reaped.length > 0) ctx.logger.warn({ runs: reaped }, 'runs of a stopped instance marked failed');
      },
    },
  ];
}
