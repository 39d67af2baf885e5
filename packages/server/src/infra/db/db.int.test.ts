import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openTestDatabase, testDbKind } from '../../../test/support';
import { jobRuns } from '../jobs';
import { runMigrations } from './index';

describe(`database on ${testDbKind}`, async () => {
  const handle = await openTestDatabase();
  const { db } = handle;

  it('uses the driver under test', () => {
    expect(handle.kind).toBe(testDbKind);
  });

  it.runIf(testDbKind === 'postgres')(
    'prepares a statement once per connection and reuses it (statement cache, ADR 23)',
    async () => {
      // One transaction: one connection, whose prepared statements the view lists.
      const prepared = await db.transaction(async (tx) => {
        for (const n of [1, 2, 3]) {
          const r = await tx.execute<{ n: number }>(
            sql`select ${n}::int + 0 as n /* statement-cache probe */`,
          );
          expect(r.rows[0]?.n).toBe(n);
        }
        return (
          await tx.execute<{ name: string; statement: string }>(
            sql`select name, statement from pg_prepared_statements where statement like '%statement-cache probe%' and statement not like '%pg_prepared_statements%'`,
          )
        ).rows;
      });
      expect(prepared).toHaveLength(1);
      expect(prepared[0]?.name).toMatch(/^s_[0-9a-f]{20}$/);
    },
  );

  it('migrates idempotently and records the applied migrations', async () => {
    await runMigrations(handle);
    await runMigrations(handle);
    const rows = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    expect(rows.rows[0]?.n).toBeGreaterThanOrEqual(1);
    const tables = await db.execute<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(tables.rows.map((r) => r.table_name)).toContain('job_runs');
  });

  it('round-trips typed values (uuid, timestamptz as Date, jsonb, integer, null)', async () => {
    const startedAt = new Date('2026-01-02T03:04:05.678Z');
    const [inserted] = await db
      .insert(jobRuns)
      .values({
        jobName: 'test.round-trip',
        queueJobId: 'q-1',
        state: 'completed',
        instanceId: 'i-1',
        startedAt,
        durationMs: 1234,
        data: { nested: { list: [1, 'two', null] }, unicode: 'Tëst ✓' },
      })
      .returning();
    expect(inserted?.id).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await db.select().from(jobRuns).where(eq(jobRuns.queueJobId, 'q-1'));
    expect(row?.startedAt).toBeInstanceOf(Date);
    expect(row?.startedAt.toISOString()).toBe(startedAt.toISOString());
    expect(row?.data).toEqual({ nested: { list: [1, 'two', null] }, unicode: 'Tëst ✓' });
    expect(row?.durationMs).toBe(1234);
    expect(row?.finishedAt).toBeNull();
  });

  it('gives counts as numbers on both drivers when cast', async () => {
    const [r] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(jobRuns)
      .where(eq(jobRuns.jobName, 'test.round-trip'));
    expect(r?.n).toBe(1);
  });

  it('rolls back a failed transaction completely', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx
          .insert(jobRuns)
          .values({ jobName: 'test.tx', queueJobId: 'q-tx', state: 'running', instanceId: 'i' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const rows = await db.select().from(jobRuns).where(eq(jobRuns.jobName, 'test.tx'));
    expect(rows).toHaveLength(0);
  });

  it('enforces the schema constraints', async () => {
    await expect(
      db
        .insert(jobRuns)
        .values({ jobName: 'test.bad', queueJobId: 'q', state: 'exploded' as 'failed', instanceId: 'i' }),
    ).rejects.toThrow();
  });
});
