import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openTestDatabase, silentLogger, testDbKind, waitFor } from '../../../test/support';
import { listJobRuns } from './job-runs.queries';
import { JobRegistry } from './registry';
import { JobScheduler } from './scheduler';

describe('job registry', () => {
  it('refuses badly named and duplicate jobs', () => {
    const registry = new JobRegistry();
    const run = async () => {};
    expect(() => registry.define({ name: 'NoDot', description: '', run })).toThrow(/module\.action/);
    registry.define({ name: 'a.b', description: '', run });
    expect(() => registry.define({ name: 'a.b', description: '', run })).toThrow(/twice/);
    expect(registry.list().map((j) => j.name)).toEqual(['a.b']);
  });
});

describe(`job scheduler on ${testDbKind}`, async () => {
  const database = await openTestDatabase();
  const seen: unknown[] = [];
  let failNext = true;
  const registry = new JobRegistry()
    .define<{ n: number }>({
      name: 'test.echo',
      description: 'records its input',
      schedule: '0 4 * * *',
      async run(data) {
        seen.push(data);
      },
    })
    .define({
      name: 'test.flaky',
      description: 'fails once',
      retryLimit: 0,
      async run() {
        if (failNext) {
          failNext = false;
          throw new Error('upstream unreachable');
        }
      },
    })
    .define({
      name: 'test.bad-file',
      description: 'fails in a way retrying cannot fix',
      retryLimit: 2,
      async run() {
        throw Object.assign(new Error('not a STIX bundle'), { permanent: true });
      },
    })
    .define({
      name: 'test.unreachable',
      description: 'fails every time, each time worth retrying',
      retryLimit: 1,
      async run() {
        throw new Error('upstream unreachable');
      },
    })
    .define({
      name: 'test.off',
      description: 'schedule turned off',
      schedule: '* * * * *',
      run: async () => {},
    });

  const scheduler = new JobScheduler({
    database,
    registry,
    logger: silentLogger,
    instanceId: 'test-instance',
    timezone: 'Europe/Madrid',
    process: true,
    scheduleOverrides: { JOB_SCHEDULE_TEST_OFF: null, JOB_SCHEDULE_TEST_ECHO: '30 5 * * 1' },
    pollingIntervalSeconds: 0.5,
    cronMonitorIntervalSeconds: 1,
  });
  await scheduler.start();

  it('runs a triggered job and records the run', async () => {
    const id = await scheduler.trigger('test.echo', { n: 42 });
    expect(id).toBeTruthy();
    await waitFor(async () => seen.length > 0, { what: 'test.echo to run' });
    expect(seen).toEqual([{ n: 42 }]);
    const [run] = await waitFor(async () => {
      const runs = await listJobRuns(database.db, 'test.echo');
      return runs[0]?.state === 'completed' && runs;
    });
    expect(run).toMatchObject({
      queueJobId: id,
      instanceId: 'test-instance',
      state: 'completed',
      error: null,
    });
    expect(run?.durationMs).toBeGreaterThanOrEqual(0);
    expect(run?.finishedAt).toBeInstanceOf(Date);
  });

  it('records a failing job with its error', async () => {
    await scheduler.trigger('test.flaky');
    const runs = await waitFor(async () => {
      const r = await listJobRuns(database.db, 'test.flaky');
      return r[0]?.state === 'failed' && r;
    });
    expect(runs[0]?.error).toBe('upstream unreachable');
  });

  /** pg-boss's own record of a queued job, once it is final (completed or failed for good). */
  const settled = (id: string) =>
    waitFor(async () => {
      const r = await database.db.execute<{ state: string; retry_count: number }>(
        sql`select state, retry_count from pgboss.job where id = ${id}::uuid`,
      );
      const job = r.rows[0];
      return job && ['completed', 'failed', 'cancelled'].includes(job.state) && job;
    });
  const runsOf = async (queueJobId: string, name: string) =>
    (await listJobRuns(database.db, name)).filter((r) => r.queueJobId === queueJobId);

  it('fails a job at once when its error is permanent, keeping that error', async () => {
    const id = (await scheduler.trigger('test.bad-file')) ?? '';
    expect(await settled(id)).toMatchObject({ state: 'failed', retry_count: 0 });
    const runs = await runsOf(id, 'test.bad-file');
    expect(runs.map((r) => [r.state, r.error])).toEqual([['failed', 'not a STIX bundle']]);
  });

  it('retries any other failure up to the job’s retry limit', async () => {
    const id = (await scheduler.trigger('test.unreachable')) ?? '';
    expect(await settled(id)).toMatchObject({ state: 'failed', retry_count: 1 });
    const runs = await runsOf(id, 'test.unreachable');
    expect(runs.map((r) => [r.state, r.error])).toEqual([
      ['failed', 'upstream unreachable'],
      ['failed', 'upstream unreachable'],
    ]);
  });

  it('refuses to trigger an unknown job', async () => {
    await expect(scheduler.trigger('test.nope')).rejects.toThrow(/unknown job/);
  });

  it('reports schedules, overrides and last runs in its status', async () => {
    const status = await scheduler.status();
    expect(status).toMatchObject({ running: true, instanceId: 'test-instance', timezone: 'Europe/Madrid' });
    const byName = Object.fromEntries(status.jobs.map((j) => [j.name, j]));
    expect(byName['test.echo']).toMatchObject({ cron: '30 5 * * 1', enabled: true, onDemand: false });
    expect(byName['test.echo']?.lastRun?.state).toBe('completed');
    // Next Monday 05:30 in Madrid, expressed in UTC.
    const next = new Date(byName['test.echo']?.nextRunAt ?? '');
    expect(next.getTime()).toBeGreaterThan(Date.now());
    expect(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Madrid',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      }).format(next),
    ).toBe('Mon 05:30');
    expect(byName['test.off']).toMatchObject({ cron: null, enabled: false, nextRunAt: null, lastRun: null });
    expect(byName['test.off']?.onDemand).toBe(false);
    expect(byName['test.flaky']).toMatchObject({ cron: null, enabled: false, onDemand: true });
    expect(byName['test.flaky']?.lastRun).toMatchObject({ state: 'failed', error: 'upstream unreachable' });
  });

  it('reports health, and down after stop', async () => {
    expect(scheduler.health().status).toBe('ok');
    await scheduler.stop(2000);
    expect(scheduler.health().status).toBe('down');
    expect((await scheduler.status()).running).toBe(false);
  });
});
