import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { health, startServer } from './server-process';
import { createPostgresDatabase, TEST_SECRET, tempDir, waitFor } from './support';

describe('two instances on one PostgreSQL', () => {
  it('run a scheduled job once per period between them', async () => {
    const databaseUrl = await createPostgresDatabase();
    const env = {
      DATABASE_URL: databaseUrl,
      SECRET_KEY: TEST_SECRET,
      // Every minute instead of daily, so one period passes during the test.
      JOB_SCHEDULE_SYSTEM_JOB_RUNS_CLEANUP: '* * * * *',
    };
    const [a, b] = await Promise.all([
      startServer({ ...env, DATA_DIR: tempDir() }),
      startServer({ ...env, DATA_DIR: tempDir() }),
    ]);
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      // One row per cron period: the minute in which pg-boss *created* the job for it (its cron pass runs
      // within the period). Grouping by the run's own start minute would be wrong: under load, the job
      // of minute N can start in minute N+1, next to that minute's own run.
      const runsPerOccurrence = async () =>
        (
          await client.query<{ occurrence: string | null; n: number; instances: number }>(
            `select date_trunc('minute', j.created_on)::text as occurrence,
                    count(*)::int as n, count(distinct r.instance_id)::int as instances
               from job_runs r join pgboss.job j on j.id = r.queue_job_id::uuid
              where r.job_name = 'system.job-runs-cleanup' group by 1 order by 1`,
          )
        ).rows;
      const first = await waitFor(async () => (await runsPerOccurrence())[0], {
        timeoutMs: 120_000,
        intervalMs: 1000,
        what: 'the first scheduled run',
      });
      expect(first.occurrence).toBeTruthy();
      // Give the other instance well over one cron-monitor interval (30 s) to run it a second time.
      await new Promise((r) => setTimeout(r, 35_000));
      const rows = await runsPerOccurrence();
      expect(rows.find((r) => r.occurrence === first.occurrence)).toMatchObject({ n: 1, instances: 1 });
      for (const r of rows) expect(r.n).toBe(1);
      // Every job that ran (this one, and the minute's interrupted-run reaper) completed; one may be in flight.
      const states = await client.query(`select distinct state from job_runs where state <> 'running'`);
      expect(states.rows.map((r) => r.state)).toEqual(['completed']);
      // Both instances were alive the whole time.
      expect((await health(a.url)).status).toBe(200);
      expect((await health(b.url)).status).toBe(200);
    } finally {
      await client.end();
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
