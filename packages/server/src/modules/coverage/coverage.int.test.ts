import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { ATTACK_18, importFile, realSubset } from '../../../test/attack-data';
import { signedInAs } from '../../../test/factories';
import { tempDir, testDbKind } from '../../../test/support';
import { currentResultSet, techniqueInScope } from '../analysis/definitions';
import {
  computedResultDigests,
  coverageMovers,
  coverageMoves,
  currentResultDigests,
  currentResults,
  firedRulesSql,
  recomputeCoverage,
} from '.';
import { inScopeSql } from './coverage.queries';

/** Real 18.1 objects: a parent with its 13 sub-techniques, techniques of G0028, and PRE-only ones. */
const SUBSET = {
  techniques: ['T1059', 'T1566.001', 'T1486', 'T1021.002', 'T1072', 'T1078.002', 'T1595', 'T1583'],
  withSubtechniques: ['T1059'],
  groups: ['G0028'],
};

describe(`coverage: the only read path, on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const db = platform.database.db;
  await importFile(platform, realSubset(ATTACK_18, SUBSET, path.join(tempDir(), 'subset-18.1.json')));
  const viewer = await signedInAs(platform, app, 'viewer');
  const get = (url: string) => app.inject({ url: `/api/v1${url}`, headers: viewer.bearer });

  const techniques = (
    await db.execute<{
      id: string;
      attack_id: string;
      platforms: string[];
      revoked: boolean;
      deprecated: boolean;
    }>(
      sql`select id, attack_id, platforms, revoked, deprecated from attack_objects where type = 'attack-pattern'`,
    )
  ).rows;
  const idOf = (attackId: string) => {
    const t = techniques.find((x) => x.attack_id === attackId);
    if (!t) throw new Error(attackId);
    return t.id;
  };

  /** Validated tests straight into the table (the workflow has its own tests); then the recompute. */
  async function validated(
    rows: Array<{
      t: string;
      outcome: string;
      template?: string;
      platform?: string;
      ran: string;
      id?: string;
      fired?: unknown;
    }>,
  ) {
    await db.transaction(async (tx) => {
      for (const r of rows)
        await tx.execute(sql`
          insert into test_cases (id, technique_id, title, state, outcome, template_id, platform,
                                  execution_started_at, validated_at, fired_rules)
          values (coalesce(${r.id ?? null}::uuid, gen_random_uuid()), ${idOf(r.t)}::uuid, ${`${r.t} ${r.outcome}`},
                  'validated', ${r.outcome}, ${r.template ?? null}::uuid, ${r.platform ?? null},
                  ${r.ran}::timestamptz, ${r.ran}::timestamptz + interval '1 day',
                  ${JSON.stringify(r.fired ?? [])}::jsonb)`);
      await recomputeCoverage(tx, [...new Set(rows.map((r) => idOf(r.t)))], null);
    });
  }

  const tpl = '00000000-0000-4000-8000-000000000001';
  await validated([
    { t: 'T1059.001', outcome: 'detected', template: tpl, platform: 'windows', ran: '2026-01-10T10:00:00Z' },
    // A re-run of the same procedure on the same platform replaces the older one in CR(t).
    {
      t: 'T1059.001',
      outcome: 'not_detected',
      template: tpl,
      platform: 'Windows',
      ran: '2026-03-10T10:00:00Z',
    },
    { t: 'T1059.001', outcome: 'prevented', template: tpl, platform: 'linux', ran: '2026-02-10T10:00:00Z' },
    { t: 'T1021.002', outcome: 'prevented', ran: '2026-02-01T00:00:00Z' },
    { t: 'T1486', outcome: 'logged', ran: '2026-02-01T00:00:00Z' },
  ]);

  it('keeps PRE-only techniques out of scope, as the pure definition does', async () => {
    const inScope = (
      await db.execute<{ id: string }>(
        sql`select o.id from attack_objects o where o.type = 'attack-pattern' and ${inScopeSql('o', null)}`,
      )
    ).rows.map((r) => r.id);
    const expected = techniques.filter((t) => techniqueInScope(t, null)).map((t) => t.id);
    expect(inScope.sort()).toEqual(expected.sort());
    expect(techniques.length - expected.length).toBe(2); // T1595, T1583: PRE only
    const windows = (
      await db.execute<{ id: string }>(
        sql`select o.id from attack_objects o where o.type = 'attack-pattern' and ${inScopeSql('o', ['Windows'])}`,
      )
    ).rows.length;
    expect(windows).toBe(techniques.filter((t) => techniqueInScope(t, ['Windows'])).length);
  });

  it('counts in-scope techniques by status, with what the scope left out', async () => {
    const res = await get('/coverage');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ by: 'status', scope: null, subtechniques: true, outOfScope: 2 });
    expect(body.inScope).toBe(techniques.length - 2);
    // T1059.001: one chain detected→not_detected (latest wins), one prevented → partial;
    // its parent T1059 rolls up to partial; T1021.002 validated; T1486 logged → partial.
    expect(body.totals).toEqual({
      validated: 1,
      partial: 3,
      not_covered: 0,
      in_progress: 0,
      untested: techniques.length - 2 - 4,
    });
    expect(body.items).toEqual([
      { key: 'all', name: 'All techniques', attackId: null, total: body.inScope, counts: body.totals },
    ]);
  });

  it('groups by tactic in matrix order, by platform and by threat actor, one technique in each of its groups', async () => {
    const tactics = (await get('/coverage?by=tactic&subtechniques=exclude')).json();
    const execution = tactics.items.find((i: { key: string }) => i.key === 'execution');
    expect(execution).toMatchObject({ name: 'Execution', attackId: 'TA0002' });
    // T1059 (partial) and T1072 (untested) are the top-level Execution techniques kept.
    expect(execution.counts).toMatchObject({ partial: 1, untested: 1 });
    const orders = tactics.items.map((i: { attackId: string }) => i.attackId);
    expect(orders.indexOf('TA0002')).toBeLessThan(orders.indexOf('TA0040'));
    const actor = (await get('/coverage?by=actor&key=G0028')).json();
    expect(actor.items).toHaveLength(1);
    expect(actor.items[0]).toMatchObject({ attackId: 'G0028', name: 'Threat Group-1314', total: 4 });
    expect(actor.items[0].counts).toMatchObject({ validated: 1, untested: 3 });
    const platforms = (await get('/coverage?by=platform')).json();
    expect(platforms.items.map((i: { key: string }) => i.key)).not.toContain('PRE');
    const windows = platforms.items.find((i: { key: string }) => i.key === 'Windows');
    expect(windows.total).toBe(techniques.filter((t) => t.platforms.includes('Windows')).length);
  });

  it('answers as of a past instant from the history', async () => {
    const first = await db.execute<{ at: string | Date }>(sql`select min(at) as at from coverage_history`);
    const before = new Date(new Date(first.rows[0]?.at ?? 0).getTime() - 1);
    const past = (await get(`/coverage?asOf=${encodeURIComponent(before.toISOString())}`)).json();
    expect(past.totals).toMatchObject({ validated: 0, partial: 0, untested: past.inScope });
    expect(past.asOf).toBe(before.toISOString());
    const now = (await get(`/coverage?asOf=${encodeURIComponent(new Date().toISOString())}`)).json();
    expect(now.totals).toEqual((await get('/coverage')).json().totals);
  });

  it('refuses what it cannot answer, naming the field', async () => {
    const noFramework = await get('/coverage?by=control');
    expect(noFramework.statusCode).toBe(400);
    expect(noFramework.json().error.message).toMatch(/framework/);
    for (const bad of ['by=group', 'asOf=yesterday', 'domain=pre-attack', 'subtechniques=maybe']) {
      const res = await get(`/coverage?${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.message).toContain(bad.split('=')[0]);
    }
    expect((await app.inject({ url: '/api/v1/coverage' })).statusCode).toBe(401);
  });

  it('reads CR(t) set-wise exactly as the pure definition keeps it', async () => {
    const rows = await currentResults(db, null);
    const all = (
      await db.execute<{
        id: string;
        technique_id: string;
        state: string;
        template_id: string | null;
        chain_root_id: string | null;
        platform: string | null;
        execution_started_at: string | Date | null;
        validated_at: string | Date | null;
      }>(sql`select id, technique_id, state, template_id, chain_root_id, platform, execution_started_at, validated_at
               from test_cases`)
    ).rows.map((r) => ({
      ...r,
      templateId: r.template_id,
      chainRootId: r.chain_root_id,
      executionStartedAt: r.execution_started_at ? new Date(r.execution_started_at) : null,
      validatedAt: r.validated_at ? new Date(r.validated_at) : null,
    }));
    const byTechnique = new Map<string, typeof all>();
    for (const t of all) byTechnique.set(t.technique_id, [...(byTechnique.get(t.technique_id) ?? []), t]);
    const expected = [...byTechnique.values()].flatMap((tests) => currentResultSet(tests).map((t) => t.id));
    expect(rows.map((r) => r.testId).sort()).toEqual(expected.sort());
    const ps = rows.filter((r) => r.techniqueId === idOf('T1059.001'));
    expect(ps.map((r) => r.outcome).sort()).toEqual(['not_detected', 'prevented']);
    expect(await currentResults(db, [idOf('T1486')])).toHaveLength(1);
  });

  it('keeps each technique’s CR(t) digest and fired rule ids with its tests, in the same transaction', async () => {
    const fired = async () =>
      (
        await db.execute<{ technique_id: string; rule_id: string }>(
          sql`select * from ${firedRulesSql()} f order by rule_id`,
        )
      ).rows;
    // The stored digests are the ones computed from the tests now, technique by technique.
    expect(await currentResultDigests(db)).toEqual(await computedResultDigests(db));
    expect([...(await currentResultDigests(db)).keys()].sort()).toEqual(
      [idOf('T1059.001'), idOf('T1021.002'), idOf('T1486')].sort(),
    );
    const before = (await currentResultDigests(db)).get(idOf('T1486'));
    const extra = '00000000-0000-4000-8000-00000000f1ed';
    await validated([
      {
        t: 'T1486',
        outcome: 'detected',
        ran: '2026-04-01T00:00:00Z',
        id: extra,
        // Only string rule ids count; a rule without an id or a malformed entry is left out.
        fired: [
          { ruleId: 'rule-b', name: 'B' },
          { ruleId: 'rule-a', name: 'A' },
          { name: 'no id' },
          'junk',
          { ruleId: 7 },
        ],
      },
    ]);
    const after = await currentResultDigests(db);
    expect(after.get(idOf('T1486'))).not.toBe(before);
    expect(after).toEqual(await computedResultDigests(db));
    expect(await fired()).toEqual([
      { technique_id: idOf('T1486'), rule_id: 'rule-a' },
      { technique_id: idOf('T1486'), rule_id: 'rule-b' },
    ]);
    // The test leaves `validated` (a reopen): its digest and its rules go with it, in the same transaction.
    await db.transaction(async (tx) => {
      await tx.execute(sql`update test_cases set state = 'red_executing' where id = ${extra}::uuid`);
      await recomputeCoverage(tx, [idOf('T1486')], extra);
    });
    expect((await currentResultDigests(db)).get(idOf('T1486'))).toBe(before);
    expect(await fired()).toEqual([]);
    expect(await currentResultDigests(db)).toEqual(await computedResultDigests(db));
  });

  it('counts velocity per bucket from the history: the worked example of spec §2.3', async () => {
    // 2026-W12 (16–22 March, UTC here): five techniques up a coverage rank, one down; one up and back
    // (no move over the week); a PRE-only technique (out of scope) up; and a move the week after.
    const at = (day: number, hour = 12) =>
      `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
    const rows: Array<[string, string | null, string, string]> = [
      ['T1059.002', null, 'validated', at(16)],
      ['T1059.003', 'untested', 'partial', at(17)],
      ['T1059.004', 'not_covered', 'validated', at(18)],
      ['T1059.005', 'in_progress', 'partial', at(19)],
      ['T1059.006', 'partial', 'validated', at(22, 23)],
      ['T1059.007', 'validated', 'partial', at(20)],
      ['T1059.008', 'untested', 'validated', at(17)],
      ['T1059.008', 'validated', 'not_covered', at(21)],
      ['T1595', 'untested', 'validated', at(18)],
      ['T1072', 'untested', 'validated', at(23, 1)],
    ];
    await db.transaction(async (tx) => {
      for (const [t, from, to, when] of rows)
        await tx.execute(sql`insert into coverage_history (technique_id, from_status, to_status, at)
                             values (${idOf(t)}::uuid, ${from}, ${to}, ${when}::timestamptz)`);
    });
    const inScope = sql`${inScopeSql('o', null)}`;
    const weeks = [
      { start: new Date('2026-03-09T00:00:00Z'), end: new Date('2026-03-16T00:00:00Z') },
      { start: new Date('2026-03-16T00:00:00Z'), end: new Date('2026-03-23T00:00:00Z') },
      { start: new Date('2026-03-23T00:00:00Z'), end: new Date('2026-03-30T00:00:00Z') },
    ];
    expect(await coverageMoves(db, weeks, inScope)).toEqual([
      { gross: 0, regressions: 0 },
      { gross: 5, regressions: 1 },
      { gross: 1, regressions: 0 },
    ]);
    const movers = await coverageMovers(db, weeks[1] as (typeof weeks)[number], inScope, 10);
    // Largest rise first (two ranks), then the latest; T1059.008 ended where it began, no move.
    expect(movers.map((m) => [m.direction, m.attackId, m.from, m.to])).toEqual([
      ['up', 'T1059.004', 'not_covered', 'validated'],
      ['up', 'T1059.002', 'untested', 'validated'],
      ['up', 'T1059.006', 'partial', 'validated'],
      ['up', 'T1059.005', 'in_progress', 'partial'],
      ['up', 'T1059.003', 'untested', 'partial'],
      ['down', 'T1059.007', 'validated', 'partial'],
    ]);
  });
});
