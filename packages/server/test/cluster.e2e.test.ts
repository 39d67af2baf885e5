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
      const runsPerMinute = async () =>
        (
          await client.query<{ minute: string; n: number; instances: number }>(
            `select date_trunc('minute', started_at)::text as minute, count(*)::int as n,
                    count(distinct instance_id)::int as instances
               from job_runs where job_name = 'system.job-runs-cleanup' group by 1 order by 1`,
          )
        ).rows;
      const first = await waitFor(async () => (await runsPerMinute())[0], {
        timeoutMs: 120_000,
        intervalMs: 1000,
        what: 'the first scheduled run',
      });
      // Give the other instance well over one cron-monitor interval (30 s) to run it a second time.
      await new Promise((r) => setTimeout(r, 35_000));
      const rows = await runsPerMinute();
      expect(rows.find((r) => r.minute === first.minute)).toMatchObject({ n: 1, instances: 1 });
      for (const r of rows) expect(r.n).toBe(1);
      const states = await client.query(`select distinct state from job_runs`);
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
