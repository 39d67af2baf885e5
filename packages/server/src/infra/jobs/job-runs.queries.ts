import { and, eq, lt, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { jobRuns } from './job-runs.schema';

export type JobRunRow = typeof jobRuns.$inferSelect;

export async function insertRunningJobRun(
  db: Db,
  row: { jobName: string; queueJobId: string; instanceId: string; data: unknown },
): Promise<string> {
  const [inserted] = await db
    .insert(jobRuns)
    .values({ ...row, data: row.data ?? null, state: 'running' })
    .returning({ id: jobRuns.id });
  if (!inserted) throw new Error('job_runs insert returned no row');
  return inserted.id;
}

export async function finishJobRun(db: Db, id: string, outcome: { error?: string }): Promise<void> {
  await db
    .update(jobRuns)
    .set({
      state: outcome.error === undefined ? 'completed' : 'failed',
      error: outcome.error ?? null,
      finishedAt: sql`now()`,
      durationMs: sql`(extract(epoch from (now() - ${jobRuns.startedAt})) * 1000)::int`,
    })
    .where(eq(jobRuns.id, id));
}

/** The newest run of each job, in one query. */
export async function latestRunPerJob(db: Db): Promise<JobRunRow[]> {
  return db
    .selectDistinctOn([jobRuns.jobName])
    .from(jobRuns)
    .orderBy(jobRuns.jobName, sql`${jobRuns.startedAt} desc`);
}

export async function listJobRuns(db: Db, jobName: string, limit = 50): Promise<JobRunRow[]> {
  return db
    .select()
    .from(jobRuns)
    .where(eq(jobRuns.jobName, jobName))
    .orderBy(sql`${jobRuns.startedAt} desc`)
    .limit(limit);
}

/** Deletes finished runs older than `days`; returns how many went. */
export async function deleteFinishedJobRunsBefore(db: Db, days: number): Promise<number> {
  const deleted = await db
    .delete(jobRuns)
    .where(
      and(
        lt(jobRuns.startedAt, sql`now() - make_interval(days => ${days})`),
        sql`${jobRuns.state} <> 'running'`,
      ),
    )
    .returning({ id: jobRuns.id });
  return deleted.length;
}
