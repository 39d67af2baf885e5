import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { importMiniAttack } from '../../../test/attack-fixture';
import { type Session, signedInAs } from '../../../test/factories';
import { testDbKind } from '../../../test/support';
import { EXACT_COUNT_BOUND } from '../../infra/db';

/** More tests than lists count exactly: totals become estimates, pending tasks come in pages. */
const BULK = EXACT_COUNT_BOUND + 100;

describe(`large test lists on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp({ LOGIN_RATE_LIMIT: '1000' });
  await importMiniAttack(platform);
  const [redTech, blueTech, viewer] = (await Promise.all(
    (['red_tech', 'blue_tech', 'viewer'] as const).map((r) => signedInAs(platform, app, r)),
  )) as [Session, Session, Session];
  const get = async (who: Session, url: string) => {
    const res = await app.inject({ method: 'GET', url: `/api/v1${url}`, headers: who.bearer });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    // `bulk 1` … `bulk 1100`, unassigned drafts, one minute apart (oldest first is `bulk 1`).
    const { db } = platform.database;
    await db.execute(sql`
      insert into test_cases (technique_id, title, state, created_at, updated_at)
      select o.id, 'bulk ' || g, 'draft', ts, ts
        from attack_objects o, generate_series(1, ${BULK}) g,
             lateral (select timestamptz '2026-01-01 00:00Z' + g * interval '1 minute' as ts) t
       where o.attack_id = 'T1053' and o.type = 'attack-pattern'`);
    await db.execute(sql`update test_cases set chain_root_id = id where chain_root_id is null`);
    await db.execute(sql`analyze test_cases`);
  });

  it('estimates a total past the bound and says so; counts a smaller match exactly', async () => {
    const all = await get(viewer, '/tests?limit=10');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(10);
    expect(all.body.totalEstimated).toBe(true);
    expect(all.body.total).toBeGreaterThan(EXACT_COUNT_BOUND);

    // `bulk 7`, `bulk 70`–`79`, `bulk 700`–`799`: 111 titles, counted exactly (no estimate flag).
    const some = await get(viewer, '/tests?q=bulk%207&sort=title&order=asc&limit=5');
    expect(some.body).toMatchObject({ total: 111, limit: 5, offset: 0 });
    expect(some.body).not.toHaveProperty('totalEstimated');
    expect(some.body.items.map((t: { title: string }) => t.title)).toEqual([
      'bulk 7',
      'bulk 70',
      'bulk 700',
      'bulk 701',
      'bulk 702',
    ]);
    // The search also matches the technique's ATT&CK id and name.
    const byTechnique = await get(viewer, '/tests?q=T1053&limit=1');
    expect(byTechnique.body.totalEstimated).toBe(true);
    expect(byTechnique.body.items[0].technique.attackId).toBe('T1053');
    // Nobody is assigned to the bulk drafts: the filter reads the assignee columns' indexes.
    const unassigned = await get(viewer, '/tests?assignedTo=unassigned&sort=title&order=asc&limit=2');
    expect(unassigned.body.totalEstimated).toBe(true);
    expect(unassigned.body.items.map((t: { title: string }) => t.title)).toEqual(['bulk 1', 'bulk 10']);
    const none = await get(viewer, '/tests?q=no%20such%20title');
    expect(none.body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
  });

  it('pages my pending tasks, oldest first, with a total', async () => {
    const first = await get(redTech, '/tests/pending?limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ limit: 2, offset: 0, totalEstimated: true });
    expect(first.body.total).toBeGreaterThan(EXACT_COUNT_BOUND);
    const second = await get(redTech, '/tests/pending?limit=2&offset=2');
    const titles = [...first.body.items, ...second.body.items].map(
      (t: { kind: string; test: { title: string } }) => `${t.kind}: ${t.test.title}`,
    );
    expect(titles).toEqual(['execute: bulk 1', 'execute: bulk 2', 'execute: bulk 3', 'execute: bulk 4']);
    const last = await get(redTech, `/tests/pending?limit=10&offset=${BULK - 3}`);
    expect(last.body.items.map((t: { test: { title: string } }) => t.test.title)).toEqual([
      `bulk ${BULK - 2}`,
      `bulk ${BULK - 1}`,
      `bulk ${BULK}`,
    ]);

    expect((await get(blueTech, '/tests/pending')).body).toEqual({
      items: [],
      total: 0,
      limit: 50,
      offset: 0,
    });
    const bad = await get(redTech, '/tests/pending?limit=501');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe('query.limit');
  });
});
