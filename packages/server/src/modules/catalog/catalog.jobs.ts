import type { JobDefinition } from '../../infra/jobs';
import { SYSTEM_ACTOR } from '../audit-logs';
import {
  type DataSourceService,
  SOURCES_SYNC_ALL_JOB,
  SOURCES_SYNC_JOB,
  SOURCES_SYNC_SCHEDULED_JOB,
} from './data-sources.service';

/**
 * Catalog jobs. Per-source schedules live on the data sources (editable by admins at run time), not
 * in the job registry (fixed at start): one job every five minutes syncs the sources whose own cron
 * came due since their last sync, so a schedule is honoured within five minutes of its time.
 */
export function catalogJobs(sources: () => DataSourceService): JobDefinition<Record<string, unknown>>[] {
  const actor = (jobId: string) => ({ ...SYSTEM_ACTOR, requestId: jobId });
  return [
    {
      name: SOURCES_SYNC_JOB,
      description: 'Syncs one catalog data source (a queued run, or a fresh sync of data.sourceId)',
      retryLimit: 0,
      expireInSeconds: 3600,
      async run(data, ctx) {
        const sourceId = typeof data?.sourceId === 'string' ? data.sourceId : undefined;
        if (!sourceId) throw new Error('sources.sync needs data.sourceId');
        const runId = typeof data?.runId === 'string' ? data.runId : undefined;
        const run = await sources().runJob({ sourceId, ...(runId ? { runId } : {}) }, actor(ctx.jobId));
        ctx.logger.info({ run: run.id, status: run.status, counts: run.counts }, 'data source synced');
      },
    },
    {
      name: SOURCES_SYNC_ALL_JOB,
      description: 'Syncs every enabled catalog data source, one after another',
      retryLimit: 0,
      expireInSeconds: 4 * 3600,
      async run(data, ctx) {
        const runIds = Array.isArray(data?.runIds)
          ? data.runIds.filter((r) => typeof r === 'string')
          : undefined;
        const runs = await sources().runAll(runIds ? { runIds } : {}, actor(ctx.jobId));
        ctx.logger.info({ runs: runs.length }, 'data sources synced');
      },
    },
    {
      name: SOURCES_SYNC_SCHEDULED_JOB,
      description: 'Syncs the data sources whose own cron schedule is due (checked every five minutes)',
      schedule: '*/5 * * * *',
      retryLimit: 0,
      expireInSeconds: 4 * 3600,
      async run(_data, ctx) {
        const runs = await sources().runScheduled(actor(ctx.jobId));
        if (runs.length > 0) ctx.logger.info({ runs: runs.length }, 'scheduled data sources synced');
      },
    },
  ];
}
