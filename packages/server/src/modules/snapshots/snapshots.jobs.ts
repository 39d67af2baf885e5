import type { JobDefinition } from '../../infra/jobs';
import { SNAPSHOTS_TAKE_JOB, type SnapshotsService } from './snapshots.service';

/**
 * The daily snapshot (`JOB_SCHEDULE_SNAPSHOTS_TAKE` or `SNAPSHOT_CRON`, default 01:00 in
 * AEGIS_TIMEZONE), then the retention. pg-boss runs one instance cluster-wide; the unique period key
 * makes a retry or an overlap add nothing.
 */
export function snapshotsJobs(snapshots: () => SnapshotsService): JobDefinition<Record<string, unknown>>[] {
  return [
    {
      name: SNAPSHOTS_TAKE_JOB,
      description: 'Takes the day’s snapshot of coverage and scores, then applies the retention',
      schedule: '0 1 * * *',
      retryLimit: 2,
      expireInSeconds: 900,
      async run(_data, ctx) {
        const result = await snapshots().takeScheduled();
        ctx.logger.info(result, result.id ? 'snapshot taken' : 'the day already had its snapshot');
      },
    },
  ];
}
