import type { JobDefinition } from '../../infra/jobs';
import { SYSTEM_ACTOR } from '../audit-logs';
import { ATTACK_SYNC_JOB, type ImportService } from './import.service';

/** `afterImport`: what follows a successful import outside its transaction (scores are recomputed). */
export function attackJobs(
  imports: () => ImportService,
  afterImport: () => Promise<unknown> = async () => {},
): JobDefinition<{ runId?: string }>[] {
  return [
    {
      name: ATTACK_SYNC_JOB,
      description: 'Imports ATT&CK from the configured source (daily), or runs a queued import',
      schedule: '30 2 * * *',
      retryLimit: 1,
      expireInSeconds: 1800,
      async run(data, ctx) {
        const run = await imports().runJob(data ?? {}, { ...SYSTEM_ACTOR, requestId: ctx.jobId });
        ctx.logger.info({ run: run.id, release: run.release }, 'ATT&CK sync done');
        if (run.status === 'succeeded') await afterImport();
      },
    },
  ];
}
