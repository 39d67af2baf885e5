import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { ATTACK_18, importFile, realSubset, SHARED_DATA } from '../../../test/attack-data';
import { signedInAs, signIn } from '../../../test/factories';
import { ADMIN_PASSWORD, tempDir, testDbKind } from '../../../test/support';
import { SYSTEM_ACTOR } from '../audit-logs';
import { findSourceByKey, syncSource, updateSource } from '../catalog';
import { recomputeCoverage } from '../coverage';
import { createScoresService } from '.';

/**
 * Scores on real data: a cut of ATT&CK 18.1 (T1059 with its 13 sub-techniques, the techniques of
 * analysis spec §1.4 and of G0028), the real Sigma core rules, Elastic rules and D3FEND mappings
 * synced onto it, and validated tests placed as the worked examples say, at a fixed instant.
 */
const NOW = new Date('2026-06-01T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

describe(`scores on real data, on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const db = platform.database.db;
  const subset = realSubset(
    ATTACK_18,
    {
      techniques: [
        'T1059',
        'T1566',
        'T1566.001',
        'T1486',
        'T1021',
        'T1021.002',
        'T1072',
        'T1078',
        'T1078.002',
        'T1003',
        'T1003.001',
        'T1595',
      ],
      withSubtechniques: ['T1059'],
      groups: ['G0028'],
    },
    path.join(tempDir(), 'scores-18.1.json'),
  );
  await importFile(platform, subset);
  const deps = { db, storage: platform.storage, logger: platform.logger };
  async function sync(key: string, location: { type: 'folder' | 'upload'; value: string }) {
    const source = await findSourceByKey(db, key);
    if (!source) throw new Error(key);
    await updateSource(db, source.id, { locationType: location.type, location: location.value });
    const run = await syncSource(deps, { sourceId: source.id, actor: SYSTEM_ACTOR });
    expect(run.status, key).toBe('succeeded');
  }
  await platform.storage.put(
    'catalog/sigma-rules.tar.gz',
    Readable.from([readFileSync(path.join(SHARED_DATA, 'sigma', 'rules.tar.gz'))]),
    { contentType: 'application/gzip' },
  );
  await sync('sigma', { type: 'upload', value: 'catalog/sigma-rules.tar.gz' });
  await sync('elastic', { type: 'folder', value: path.join(SHARED_DATA, 'elastic-rules') });
  await sync('d3fend', { type: 'folder', value: path.join(SHARED_DATA, 'd3fend') });

  const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  const viewer = await signedInAs(platform, app, 'viewer');
  const blueLead = await signedInAs(platform, app, 'blue_lead');
  const call = (
    who: { bearer: Record<string, string> } | null,
    method: 'GET' | 'PUT' | 'POST' | 'PATCH',
    url: string,
    payload?: unknown,
  ) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: who ? who.bearer : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
  const scores = createScoresService({ db, config: platform.config, clock: () => NOW });

  const idOf = async (attackId: string) =>
    (await db.execute<{ id: string }>(sql`select id from attack_objects where attack_id = ${attackId}`))
      .rows[0]?.id as string;

  /** Validated tests as the examples describe them (one procedure each: no template, own chain). */
  async function validated(
    attackId: string,
    runs: Array<{ outcome: string; platform: string; days: number }>,
  ) {
    const technique = await idOf(attackId);
    // Straight into the table (the workflow has its own tests), then coverage as a validation runs it.
    await db.transaction(async (tx) => {
      for (const r of runs)
        await tx.execute(sql`
          insert into test_cases (technique_id, title, state, outcome, platform, execution_started_at, validated_at)
          values (${technique}::uuid, ${`${attackId} ${r.outcome}`}, 'validated', ${r.outcome}, ${r.platform},
                  ${daysAgo(r.days)}::timestamptz, ${daysAgo(r.days - 1)}::timestamptz)`);
      await recomputeCoverage(tx, [technique], null);
    });
  }

  const ruleCounts = async (attackId: string) =>
    (
      await db.execute<{ source: string; status: string; n: number }>(sql`
        select r.source, r.status, count(distinct r.id)::int as n
          from rule_techniques rt join detection_rules r on r.id = rt.rule_id
          join attack_objects o on o.id = rt.technique_id
         where o.attack_id = ${attackId} and r.source in ('sigma', 'elastic') group by 1, 2 order by 1, 2`)
    ).rows.map((r) => `${r.source} ${r.status} ${r.n}`);
  const d3fendCount = async (attackId: string) =>
    Number(
      (
        await db.execute<{ n: number }>(sql`
          select count(*)::int as n from d3fend_technique_mappings m join attack_objects o on o.id = m.technique_id
           where o.attack_id = ${attackId}`)
      ).rows[0]?.n,
    );

  it('counts the real rules and D3FEND mappings of spec §1.7', async () => {
    expect(await ruleCounts('T1059.001')).toEqual([
      'elastic production 20',
      'sigma experimental 3',
      'sigma stable 4',
      'sigma test 173',
    ]);
    expect(await ruleCounts('T1566.001')).toEqual([
      'elastic production 5',
      'sigma experimental 2',
      'sigma stable 1',
      'sigma test 16',
    ]);
    expect(await ruleCounts('T1486')).toEqual(['sigma experimental 1', 'sigma stable 1', 'sigma test 8']);
    expect({
      'T1003.001': await d3fendCount('T1003.001'),
      'T1566.001': await d3fendCount('T1566.001'),
      'T1059.001': await d3fendCount('T1059.001'),
      T1486: await d3fendCount('T1486'),
    }).toEqual({ 'T1003.001': 7, 'T1566.001': 25, 'T1059.001': 11, T1486: 0 });
  });

  it('scores worked example 1 (T1059.001) exactly, through the API a blue lead uses', async () => {
    await validated('T1059.001', [
      { outcome: 'detected', platform: 'windows', days: 40 },
      { outcome: 'prevented', platform: 'windows', days: 200 },
      { outcome: 'logged', platform: 'windows', days: 10 },
    ]);
    // Two deployed rules; one implemented and one partial countermeasure among its 11.
    const rules = (
      await call(viewer, 'GET', '/detection-rules?technique=T1059.001&source=sigma&limit=2')
    ).json().items;
    for (const rule of rules) {
      const deployed = await call(blueLead, 'PATCH', `/detection-rules/${rule.id}`, { deployed: true });
      expect(deployed.statusCode).toBe(200);
      expect(deployed.json()).toMatchObject({ deployed: true, deployedAt: expect.any(String) });
    }
    const countermeasures = (await call(viewer, 'GET', '/d3fend?technique=T1059.001&limit=2')).json().items;
    expect(countermeasures).toHaveLength(2);
    for (const [d, status] of [
      [countermeasures[0], 'implemented'],
      [countermeasures[1], 'partial'],
    ] as const)
      expect((await call(blueLead, 'PATCH', `/d3fend/${d.id}`, { implementation: status })).statusCode).toBe(
        200,
      );
    const result = await scores.recompute();
    expect(result.techniques).toBeGreaterThan(14);

    const res = await call(viewer, 'GET', '/scores/techniques/T1059.001');
    expect(res.statusCode, res.body).toBe(200);
    const score = res.json();
    expect(Math.abs(score.ownScore.value - 72.5)).toBeLessThan(1e-9);
    expect(score.ownScore.display).toBe(72.5);
    const c = score.components;
    expect(c.tests.value).toBeCloseTo(2 / 3, 12);
    expect(c.tests.results.map((r: { title: string }) => r.title).sort()).toEqual([
      'T1059.001 detected',
      'T1059.001 logged',
      'T1059.001 prevented',
    ]);
    expect(c.rules).toMatchObject({ deployed: 2, value: expect.closeTo(2 / 3, 12) });
    expect(c.rules.catalog).toBeGreaterThan(5);
    expect(c.d3fend).toMatchObject({
      mapped: 11,
      implemented: 1,
      partial: 1,
      value: 0.5,
      notAssessed: false,
    });
    expect(c.freshness).toMatchObject({ value: 1, ageDays: 10 });
    expect(c.platform).toMatchObject({ value: 1, relevant: ['Windows'], covered: ['Windows'] });
    // The breakdown adds up: the points are the score.
    const points = ['tests', 'rules', 'd3fend', 'freshness', 'platform'].reduce(
      (s, k) => s + (c[k].points.value ?? 0),
      0,
    );
    expect(points).toBeCloseTo(score.ownScore.value, 9);
  });

  it('scores examples 2 and 3 exactly once the inventory is empty (D3FEND left out, weights renormalised)', async () => {
    const set = (await call(viewer, 'GET', '/d3fend?implementation=implemented')).json().items;
    const partial = (await call(viewer, 'GET', '/d3fend?implementation=partial')).json().items;
    for (const d of [...set, ...partial])
      expect((await call(blueLead, 'PATCH', `/d3fend/${d.id}`, { implementation: null })).statusCode).toBe(
        200,
      );
    await validated('T1566.001', [{ outcome: 'detected', platform: 'Windows', days: 120 }]);
    await scores.recompute();

    const ex2 = (await call(viewer, 'GET', '/scores/techniques/T1566.001')).json();
    const expected2 = ((40 * 2) / 3 + 20 * 0.5 + (15 * (365 - 120)) / 335 + (10 * 1) / 3) / 85;
    expect(Math.abs(ex2.ownScore.value - 100 * expected2)).toBeLessThan(1e-9);
    expect(ex2.ownScore.value).toBeCloseTo(59.96, 2);
    expect(ex2.components.d3fend).toMatchObject({ applicable: false, notAssessed: true, value: null });
    expect(ex2.applicableWeight).toBe(85);

    const ex3 = (await call(viewer, 'GET', '/scores/techniques/T1486')).json();
    expect(Math.abs(ex3.ownScore.value - (100 * 20 * 0.5) / 85)).toBeLessThan(1e-9);
    expect(ex3).toMatchObject({ coverageStatus: 'untested', ownScore: { display: 11.8 } });
  });

  it('rolls up: a parent over its 13 sub-techniques, tactics, the actor, the organisation', async () => {
    const parent = (await call(viewer, 'GET', '/scores/techniques/T1059')).json();
    expect(parent.subtechniques).toHaveLength(13);
    const members = [
      parent.ownScore.value,
      ...parent.subtechniques.map((s: { ownScore: { value: number } }) => s.ownScore.value),
    ];
    expect(parent.aggregateScore.value).toBeCloseTo(members.reduce((a, b) => a + b, 0) / 14, 9);

    const actor = (await call(viewer, 'GET', '/scores/actors/G0028')).json();
    expect(actor.techniques.map((t: { attackId: string }) => t.attackId).sort()).toEqual([
      'T1021.002',
      'T1059.003',
      'T1072',
      'T1078.002',
    ]);
    const byId = async (attackId: string) =>
      (await call(viewer, 'GET', `/scores/techniques/${attackId}`)).json();
    const expected = [];
    for (const t of actor.techniques) {
      const s = await byId(t.attackId);
      expected.push(s.isSubtechnique ? s.ownScore.value : s.aggregateScore.value);
    }
    expect(actor.score.value).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / 4, 9);
    expect(actor.coveragePercent.value).toBe(0);
    const listed = (await call(viewer, 'GET', '/scores/actors?q=1314')).json();
    expect(listed.items[0]).toMatchObject({
      attackId: 'G0028',
      techniqueCount: 4,
      score: { display: actor.score.display },
    });
    // Summed in SQL for the list, in memory for the detail: equal up to the order of the additions.
    expect(listed.items[0].score.value).toBeCloseTo(actor.score.value, 9);

    const execution = (await call(viewer, 'GET', '/scores/tactics/execution')).json();
    expect(execution.members.map((m: { attackId: string }) => m.attackId).sort()).toEqual(['T1059', 'T1072']);
    const t1072 = execution.members.find((m: { attackId: string }) => m.attackId === 'T1072');
    expect(t1072.nActors).toBeGreaterThanOrEqual(1);
    const w = execution.members.map((m: { nActors: number; aggregateScore: { value: number } }) => ({
      w: 1 + m.nActors,
      s: m.aggregateScore.value,
    }));
    expect(execution.threatScore.value).toBeCloseTo(
      w.reduce((a: number, m: { w: number; s: number }) => a + m.w * m.s, 0) /
        w.reduce((a: number, m: { w: number }) => a + m.w, 0),
      9,
    );
    const org = (await call(viewer, 'GET', '/scores/organization')).json();
    expect(org.techniqueCount).toBe(
      (await call(viewer, 'GET', '/scores/techniques?subtechniques=exclude&limit=500')).json().total,
    );
    expect(org).toMatchObject({ configVersion: 1, score: { value: expect.any(Number) } });
    for (const unknown of ['/scores/techniques/T9999', '/scores/actors/G9999', '/scores/tactics/nowhere']) {
      const res = await call(viewer, 'GET', unknown);
      expect(res.statusCode, unknown).toBe(404);
    }
    // T1595 is PRE only: not scored, and the answer says why.
    const pre = await call(viewer, 'GET', '/scores/techniques/T1595');
    expect(pre.statusCode).toBe(404);
    expect(pre.json().error.message).toMatch(/scope/);
  });

  it('lists technique scores with filters, sorted by score', async () => {
    const top = (await call(viewer, 'GET', '/scores/techniques?sort=ownScore&order=desc&limit=3')).json();
    expect(top.items[0].attackId).toBe('T1059.001');
    const ranged = (await call(viewer, 'GET', '/scores/techniques?minScore=50&maxScore=80')).json();
    expect(
      ranged.items.every(
        (i: { ownScore: { value: number } }) => i.ownScore.value >= 50 && i.ownScore.value <= 80,
      ),
    ).toBe(true);
    const untested = (await call(viewer, 'GET', '/scores/techniques?status=untested&tactic=TA0040')).json();
    expect(untested.items.map((i: { attackId: string }) => i.attackId)).toEqual(['T1486']);
    expect((await call(viewer, 'GET', '/scores/techniques?minScore=-1')).statusCode).toBe(400);
    const all = (await call(viewer, 'GET', '/scores/techniques?limit=2')).json();
    expect(all.items).toHaveLength(2);
    const past = (await call(viewer, 'GET', `/scores/techniques?offset=${all.total + 5}`)).json();
    expect(past).toMatchObject({ items: [], total: all.total });
  });

  it('changes the configuration as admin only, refusing bad weights by name, and moves the scores', async () => {
    const before = (await call(viewer, 'GET', '/scores/techniques/T1486')).json();
    expect((await call(viewer, 'GET', '/scores/config')).statusCode).toBe(403);
    const lead = await signedInAs(platform, app, 'red_lead');
    const config = (await call(lead, 'GET', '/scores/config')).json();
    expect(config).toMatchObject({ version: 1, sources: { 'weights.tests': 'default' }, updatedBy: null });
    expect((await call(lead, 'PUT', '/scores/config', config.values)).statusCode).toBe(403);
    for (const [weights, field] of [
      [{ ...config.values.weights, rules: -1 }, 'rules'],
      [{ ...config.values.weights, tests: 2.5 }, 'tests'],
      [{ tests: 0, rules: 0, d3fend: 0, freshness: 0, platform: 0 }, 'weights'],
    ] as const) {
      const bad = await call(admin, 'PUT', '/scores/config', { ...config.values, weights });
      expect(bad.statusCode, JSON.stringify(weights)).toBe(400);
      expect(bad.json().error.message).toContain(field);
    }
    // Tests only: T1486 (untested, rules content only) falls to 0 at once.
    const changed = await call(admin, 'PUT', '/scores/config', {
      ...config.values,
      weights: { tests: 100, rules: 0, d3fend: 0, freshness: 0, platform: 0 },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      version: 2,
      sources: { 'weights.tests': 'api', 'weights.rules': 'api', graceDays: 'default' },
      updatedBy: { username: 'admin' },
    });
    const after = (await call(viewer, 'GET', '/scores/techniques/T1486')).json();
    expect(before.ownScore.value).toBeGreaterThan(0);
    expect(after).toMatchObject({ ownScore: { value: 0 }, configVersion: 2 });
    const audit = (await call(admin, 'GET', '/audit-logs?action=scoring.config.update')).json();
    expect(audit.items[0]).toMatchObject({ entityId: '2', summary: { from: 1, to: 2 } });
    // The same values again change nothing: no version, no audit row.
    await call(admin, 'PUT', '/scores/config', changed.json().values);
    expect((await call(lead, 'GET', '/scores/config')).json().version).toBe(2);
  });

  it('refreshes only when an input moved', async () => {
    await scores.refreshIfChanged();
    expect(await scores.refreshIfChanged()).toBeNull();
    await validated('T1072', [{ outcome: 'prevented', platform: 'linux', days: 3 }]);
    const moved = await scores.refreshIfChanged();
    expect(moved?.written).toBeGreaterThanOrEqual(1);
    expect((await call(viewer, 'GET', '/scores/techniques/T1072')).json().components.tests.value).toBe(1);
  });

  it('models only what changed, and lands where a recompute from nothing lands', async () => {
    await scores.recompute();
    await validated('T1059.003', [{ outcome: 'detected', platform: 'windows', days: 5 }]);
    // The sub-technique and its parent (its aggregate moved); nothing else.
    expect(await scores.recompute()).toMatchObject({ written: 2, removed: 0 });
    const read = async () =>
      (
        await db.execute<{
          technique_id: string;
          own_score: number;
          aggregate_score: number;
          inputs_hash: string;
        }>(
          sql`select technique_id, own_score, aggregate_score, inputs_hash from technique_scores order by technique_id`,
        )
      ).rows;
    const incremental = await read();
    await db.execute(sql`delete from technique_scores`);
    expect((await scores.recompute()).written).toBe(incremental.length);
    const scratch = await read();
    expect(scratch.map((r) => r.inputs_hash)).toEqual(incremental.map((r) => r.inputs_hash));
    for (const [i, r] of scratch.entries()) {
      expect(Number(r.own_score)).toBeCloseTo(Number(incremental[i]?.own_score), 9);
      expect(Number(r.aggregate_score)).toBeCloseTo(Number(incremental[i]?.aggregate_score), 9);
    }
  });

  it('recomputes on request (leads), and skips rows whose inputs did not change', async () => {
    await scores.recompute();
    const again = await scores.recompute();
    expect(again).toMatchObject({ written: 0, removed: 0, configVersion: 2 });
    const res = await call(admin, 'POST', '/scores/recompute');
    expect(res.statusCode).toBe(202);
    expect((await call(viewer, 'POST', '/scores/recompute')).statusCode).toBe(403);
  });
});
