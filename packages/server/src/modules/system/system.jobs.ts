import type { Db } from '../../infra/db';
import { deleteFinishedJobRunsBefore, type JobDefinition } from '../../infra/jobs';

export const JOB_RUN_RETENTION_DAYS = 90;

export function systemJobs(deps: { db: Db }): JobDefinition[] {
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
  ];
}
