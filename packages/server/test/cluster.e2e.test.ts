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
      // pg-boss files one job per cron slot (a minute) across the cluster; a pass that catches up a missed
      // slot files that one and the one due now together, so two jobs may be *created* in one minute —
      // each still for a period of its own. What must hold: every queued job ran exactly once, on one
      // instance, and there are never more jobs than periods elapsed.
      const runsPerJob = async () =>
        (
          await client.query<{ queue_job_id: string; n: number; instances: number }>(
            `select queue_job_id, count(*)::int as n, count(distinct instance_id)::int as instances
               from job_runs where job_name = 'system.job-runs-cleanup' group by 1`,
          )
        ).rows;
      const periods = async () =>
        (
          await client.query<{ jobs: number; minutes: number }>(
            `select count(*)::int as jobs,
                    ceil(extract(epoch from (now() - min(created_on))) / 60)::int as minutes
               from pgboss.job where name = 'system.job-runs-cleanup'`,
          )
        ).rows[0];
      const first = await waitFor(async () => (await runsPerJob())[0], {
        timeoutMs: 120_000,
        intervalMs: 1000,
        what: 'the first scheduled run',
      });
      expect(first).toMatchObject({ n: 1, instances: 1 });
      // Give the other instance well over one cron-monitor interval (30 s) to run it a second time.
      await new Promise((r) => setTimeout(r, 35_000));
      const rows = await runsPerJob();
      for (const r of rows) expect(r).toMatchObject({ n: 1, instances: 1 });
      const { jobs, minutes } = (await periods()) ?? { jobs: 0, minutes: 0 };
      expect(jobs).toBeGreaterThanOrEqual(rows.length);
      // (+2: the minute under way, and the slot just before the first job, which a first pass may catch up.)
      expect(jobs).toBeLessThanOrEqual(minutes + 2);
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
