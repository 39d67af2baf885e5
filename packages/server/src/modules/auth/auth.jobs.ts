import type { Db } from '../../infra/db';
import type { JobDefinition } from '../../infra/jobs';
import { deleteStaleAuthRows } from './auth.queries';

export function authJobs(deps: { db: Db }): JobDefinition[] {
  return [
    {
      name: 'auth.cleanup',
      description: 'Deletes sessions ended over 7 days ago and login attempts older than a day',
      schedule: '41 3 * * *',
      async run(_data, ctx) {
        ctx.logger.info(await deleteStaleAuthRows(deps.db, 7), 'stale sessions and login attempts deleted');
      },
    },
  ];
}
