import type { JobDefinition } from '../../infra/jobs';
import { SCORES_RECOMPUTE_JOB, SCORES_REFRESH_JOB, type ScoresService } from './scores.service';

/**
 * Scores follow their inputs: a recompute on request (`POST /scores/recompute`), and every five
 * minutes a check of the inputs' fingerprint (validated tests, rules and their deployment, the D3FEND
 * inventory, ATT&CK imports, the config version, the organisation's date) that recomputes when any
 * moved — so a validation, a rule deployed or the daily freshness decay (at 00:15) reach the scores
 * within five minutes, and a quiet hour costs one small statement.
 */
export function scoresJobs(scores: () => ScoresService): JobDefinition<Record<string, unknown>>[] {
  return [
    {
      name: SCORES_RECOMPUTE_JOB,
      description: 'Recomputes every technique score (unchanged rows are skipped)',
      retryLimit: 1,
      expireInSeconds: 600,
      async run(_data, ctx) {
        const result = await scores().recompute();
        ctx.logger.info(result, 'scores recomputed');
      },
    },
    {
      name: SCORES_REFRESH_JOB,
      description: 'Recomputes the scores when their inputs or the day changed (checked every five minutes)',
      schedule: '*/5 * * * *',
      retryLimit: 0,
      expireInSeconds: 600,
      async run(_data, ctx) {
        const result = await scores().refreshIfChanged();
        if (result) ctx.logger.info(result, 'scores refreshed');
      },
    },
  ];
}
