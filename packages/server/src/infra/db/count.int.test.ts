import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, testDbKind } from '../../../test/support';
import { boundedCount, pageWithTotal } from './index';

describe(`bounded list counts on ${testDbKind}`, async () => {
  const { db } = await openTestDatabase();
  beforeAll(async () => {
    await db.execute(sql`create table count_probe (n int not null, odd boolean not null)`);
    await db.execute(sql`insert into count_probe select g, g % 2 = 1 from generate_series(1, 3000) g`);
    await db.execute(sql`analyze count_probe`);
  });

  it('counts exactly up to the bound and says nothing more', async () => {
    expect(await boundedCount(db, sql`from count_probe where n <= 40`, 100)).toEqual({ total: 40 });
    expect(await boundedCount(db, sql`from count_probe where n <= 100`, 100)).toEqual({ total: 100 });
    expect(await boundedCount(db, sql`from count_probe where n > 5000`, 100)).toEqual({ total: 0 });
  });

  it('past the bound, answers the planner estimate and marks it estimated', async () => {
    const all = await boundedCount(db, sql`from count_probe`, 100);
    expect(all.totalEstimated).toBe(true);
    // Fresh statistics: the estimate of a whole table is its row count.
    expect(all.total).toBe(3000);
    const odd = await boundedCount(db, sql`from count_probe where odd`, 100);
    expect(odd.totalEstimated).toBe(true);
    expect(odd.total).toBeGreaterThan(1000);
    expect(odd.total).toBeLessThan(2000);
  });

  it('keeps an estimate for ten seconds per query and parameters', async () => {
    const at = Date.now();
    const query = (min: number) => sql`from count_probe where n > ${min}`;
    expect(await boundedCount(db, query(0), 100, at)).toEqual({ total: 3000, totalEstimated: true });
    await db.execute(sql`insert into count_probe select g, false from generate_series(3001, 6000) g`);
    await db.execute(sql`analyze count_probe`);
    // Within the ten seconds the same query answers the kept estimate; other parameters ask again.
    expect((await boundedCount(db, query(0), 100, at + 9_000)).total).toBe(3000);
    expect((await boundedCount(db, query(-1), 100, at + 9_000)).total).toBeGreaterThan(5000);
    expect((await boundedCount(db, query(0), 100, at + 10_001)).total).toBeGreaterThan(5000);
    await db.execute(sql`delete from count_probe where n > 3000`);
    await db.execute(sql`analyze count_probe`);
  });

  it('never estimates below what it counted', async () => {
    // The planner guesses a third of the rows for an inequality on an expression; the bound wins.
    const r = await boundedCount(db, sql`from count_probe where n * 0 < ${1}`, 2500);
    expect(r).toEqual({ total: 2501, totalEstimated: true });
  });

  it('gives a page of a small set with its size in one statement, and the size past the end', async () => {
    const page = (offset: number) =>
      pageWithTotal<{ n: number }>(
        db,
        sql`select n, count(*) over () as total_count from count_probe where odd and n < 100
             order by n limit 5 offset ${offset}`,
        sql`select count(*)::int as n from count_probe where odd and n < 100`,
      );
    const first = await page(0);
    expect(first.rows.map((r) => Number(r.n))).toEqual([1, 3, 5, 7, 9]);
    expect(first.total).toBe(50);
    expect(await page(60)).toEqual({ rows: [], total: 50 });
  });
});
