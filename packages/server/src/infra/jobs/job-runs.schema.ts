import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * One row per execution of a named job, written by the job wrapper on whichever instance ran it.
 * It is the history the system page shows and the proof that a scheduled job ran once per period.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    jobName: text('job_name').notNull(),
    queueJobId: text('queue_job_id').notNull(),
    state: text('state', { enum: ['running', 'completed', 'failed'] }).notNull(),
    instanceId: text('instance_id').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
    durationMs: integer('duration_ms'),
    error: text('error'),
    data: jsonb('data'),
  },
  (t) => [
    index('job_runs_name_started_idx').on(t.jobName, t.startedAt),
    check('job_runs_state_check', sql`${t.state} in ('running', 'completed', 'failed')`),
  ],
);
