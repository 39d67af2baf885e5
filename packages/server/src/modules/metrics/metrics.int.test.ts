import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { ATTACK_18, importFile, realSubset } from '../../../test/attack-data';
import { signedInAs } from '../../../test/factories';
import { tempDir, testDbKind } from '../../../test/support';
import { recomputeCoverage } from '../coverage';

/**
 * Analysis spec §2.3 on both databases, in Europe/Madrid: the worked example exactly, what is left
 * out and why, empty buckets, and week edges across the March 2026 DST change (29 March).
 */
const SUBSET = {
  techniques: ['T1059', 'T1566.001', 'T1486', 'T1021.002', 'T1595'],
  withSubtechniques: ['T1059'],
  groups: [],
};

describe(`metrics on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp({ AEGIS_TIMEZONE: 'Europe/Madrid' });
  const db = platform.database.db;
  await importFile(platform, realSubset(ATTACK_18, SUBSET, path.join(tempDir(), 'metrics-18.1.json')));
  const viewer = await signedInAs(platform, app, 'viewer');
  const lead = await signedInAs(platform, app, 'blue_lead');
  const get = (url: string, who = viewer) => app.inject({ url: `/api/v1${url}`, headers: who.bearer });

  const ids = new Map(
    (
      await db.execute<{ id: string; attack_id: string }>(
        sql`select id, attack_id from attack_objects where type = 'attack-pattern'`,
      )
    ).rows.map((r) => [r.attack_id, r.id]),
  );
  const idOf = (attackId: string) => {
    const id = ids.get(attackId);
    if (!id) throw new Error(attackId);
    return id;
  };

  let n = 0;
  /** A validated test with explicit timestamps, its tools' results and its remediation steps. */
  async function test(t: {
    technique: string;
    outcome: string;
    started: string;
    detected?: string;
    validated?: string;
    expected?: string;
    tools?: Array<{ tool: string; outcome: string; detected?: string; prevented?: string }>;
    retestOf?: string;
    remediationDone?: string;
    remediationOpened?: string;
  }): Promise<string> {
    const id = `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
    const validated = t.validated ?? new Date(new Date(t.started).getTime() + 86_400_000).toISOString();
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into test_cases (id, technique_id, title, state, outcome, expected_outcome, execution_started_at,
                                detected_at, validated_at, retest_of_id, chain_root_id, retest_number)
        values (${id}::uuid, ${idOf(t.technique)}::uuid, ${`${t.technique} ${t.outcome} #${n}`}, 'validated',
                ${t.outcome}, ${t.expected ?? null}, ${t.started}::timestamptz, ${t.detected ?? null}::timestamptz,
                ${validated}::timestamptz, ${t.retestOf ?? null}::uuid, ${t.retestOf ?? null}::uuid,
                ${t.retestOf ? 1 : 0})`);
      for (const r of t.tools ?? [])
        await tx.execute(sql`
          insert into test_tool_results (test_case_id, tool, outcome, detected_at, prevented_at)
          values (${id}::uuid, ${r.tool}, ${r.outcome}, ${r.detected ?? null}::timestamptz, ${r.prevented ?? null}::timestamptz)`);
      if (t.remediationDone)
        await tx.execute(sql`
          insert into remediation_steps (test_case_id, title, status, completed_at, created_at)
          values (${id}::uuid, 'Tune the rule', 'done', ${t.remediationDone}::timestamptz, ${validated}::timestamptz)`);
      if (t.remediationOpened)
        await tx.execute(sql`
          insert into remediation_steps (test_case_id, title, status, created_at)
          values (${id}::uuid, 'Deploy the rule', 'open', ${t.remediationOpened}::timestamptz)`);
      await recomputeCoverage(tx, [idOf(t.technique)], id);
    });
    return id;
  }

  // The worked example: four validated tests executed in 2026-W12 (16–22 March), three detected.
  await test({
    technique: 'T1059.001',
    outcome: 'detected',
    started: '2026-03-17T10:00:00Z',
    detected: '2026-03-17T10:04:30Z',
    tools: [
      { tool: 'Defender', outcome: 'detected', detected: '2026-03-17T10:04:30Z' },
      { tool: 'Sentinel', outcome: 'detected', detected: '2026-03-17T10:12:00Z' },
    ],
  });
  await test({
    technique: 'T1566.001',
    outcome: 'detected',
    started: '2026-03-18T09:00:00Z',
    detected: '2026-03-18T09:15:00Z',
  });
  await test({
    technique: 'T1021.002',
    outcome: 'detected',
    started: '2026-03-19T09:00:00Z',
    detected: '2026-03-19T09:01:00Z',
  });
  const d = await test({
    technique: 'T1486',
    outcome: 'not_detected',
    started: '2026-03-19T12:00:00Z',
    validated: '2026-03-20T10:00:00Z',
    remediationDone: '2026-04-03T10:00:00Z',
  });
  // D's re-test, validated detected on 8 April: MTTV 19 days.
  await test({
    technique: 'T1486',
    outcome: 'detected',
    started: '2026-04-07T10:00:00Z',
    detected: '2026-04-07T10:02:00Z',
    validated: '2026-04-08T10:00:00Z',
    retestOf: d,
  });
  // A PRE-only technique is out of scope: its 5-second detection counts nowhere.
  await test({
    technique: 'T1595',
    outcome: 'detected',
    started: '2026-03-18T12:00:00Z',
    detected: '2026-03-18T12:00:05Z',
  });
  // 2026-W13: what the time metrics leave out, each for its reason.
  const negative = await test({
    technique: 'T1059.003',
    outcome: 'detected',
    started: '2026-03-24T10:00:00Z',
    detected: '2026-03-24T09:59:00Z',
  });
  const noTimestamp = await test({
    technique: 'T1059.004',
    outcome: 'detected',
    started: '2026-03-25T10:00:00Z',
  });
  await test({
    technique: 'T1059.005',
    outcome: 'detected',
    started: '2026-03-26T10:00:00Z',
    detected: '2026-04-27T10:00:00Z', // 32 days: past METRIC_MAX_DURATION_DAYS (30)
  });
  // The DST change in Madrid (Sunday 29 March, 02:00 → 03:00): the last instant of W13 and the first of W14.
  await test({ technique: 'T1059.006', outcome: 'not_detected', started: '2026-03-29T21:59:59.999Z' });
  await test({ technique: 'T1059.007', outcome: 'not_detected', started: '2026-03-29T22:00:00.000Z' });

  const W12 = 'from=2026-03-16T00:00:00%2B01:00&to=2026-03-23T00:00:00%2B01:00';

  it('computes the worked example of spec §2.3 exactly', async () => {
    const res = await get(`/metrics/operational?${W12}`);
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json();
    expect(m.mttd).toMatchObject({
      unit: 'seconds',
      mean: { value: 410, display: 410 },
      median: { value: 270 },
      n: 3,
      excluded: { noTimestamp: 0, negative: 0, outlier: 0 },
    });
    expect(m.undetectedShare).toMatchObject({ numerator: 1, denominator: 4, value: { value: 0.25 } });
    expect(m.mttdByTool).toEqual([
      expect.objectContaining({ tool: 'Defender', n: 1, mean: { value: 270, display: 270 } }),
      expect.objectContaining({ tool: 'Sentinel', n: 1, mean: { value: 720, display: 720 } }),
    ]);
    // D's newer run (its re-test, April) replaced it in CR(t): three detected current results in W12.
    expect(m.efficacy).toMatchObject({
      numerator: 3,
      denominator: 3,
      split: { prevented: 0, detected: 3, logged: 0, not_detected: 0 },
    });
    expect(m).toMatchObject({ timezone: 'Europe/Madrid', configVersion: 1, filters: {} });
    const april = (
      await get('/metrics/operational?from=2026-04-01T00:00:00Z&to=2026-04-10T00:00:00Z')
    ).json();
    expect(april.mttr).toMatchObject({ unit: 'days', mean: { value: 14 }, n: 1 });
    expect(april.mttv).toMatchObject({ unit: 'days', mean: { value: 19 }, n: 1 });
    // Nothing detected in April before the re-test's window: MTTD is null, not 0.
    const empty = (
      await get('/metrics/operational?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z')
    ).json();
    expect(empty.mttd).toMatchObject({ mean: { value: null, display: null }, n: 0 });
    expect(empty.undetectedShare.value.value).toBeNull();
    expect(empty.efficacy.value.value).toBeNull();
  });

  it('leaves out negative, missing and outlying durations, counts them, and lists them for a lead', async () => {
    const W13 = 'from=2026-03-23T00:00:00%2B01:00&to=2026-03-30T00:00:00%2B02:00';
    const m = (await get(`/metrics/operational?${W13}`)).json();
    expect(m.mttd).toMatchObject({
      n: 0,
      mean: { value: null },
      excluded: { negative: 1, noTimestamp: 1, outlier: 1 },
    });
    expect((await get(`/metrics/data-integrity?${W13}`)).statusCode).toBe(403);
    const integrity = (await get(`/metrics/data-integrity?${W13}`, lead)).json();
    const mttd = integrity.items.filter((i: { metric: string }) => i.metric === 'mttd');
    expect(mttd.map((i: { testId: string; reason: string }) => [i.testId, i.reason])).toEqual(
      expect.arrayContaining([
        [negative, 'negative'],
        [noTimestamp, 'noTimestamp'],
      ]),
    );
    expect(mttd.find((i: { reason: string }) => i.reason === 'negative').seconds).toBe(-60);
    expect(integrity.counts).toEqual(expect.arrayContaining([{ metric: 'mttd', reason: 'outlier', n: 1 }]));
  });

  it('returns every bucket of a trend, empty ones null, and splits weeks at Madrid midnight across DST', async () => {
    const res = await get(
      '/metrics/undetected-share/trend?bucket=week&from=2026-03-02T00:00:00%2B01:00&to=2026-04-13T00:00:00%2B02:00',
    );
    expect(res.statusCode, res.body).toBe(200);
    const trend = res.json();
    expect(trend.points.map((p: { bucket: string }) => p.bucket)).toEqual([
      '2026-W10',
      '2026-W11',
      '2026-W12',
      '2026-W13',
      '2026-W14',
      '2026-W15',
    ]);
    const at = (key: string) => trend.points.find((p: { bucket: string }) => p.bucket === key);
    expect(at('2026-W10')).toMatchObject({ value: { value: null }, n: 0 });
    expect(at('2026-W12')).toMatchObject({ value: { value: 0.25 }, n: 4 });
    // W13 ends at Monday 30 March 00:00 CEST (29 March 22:00 UTC): the test a millisecond before is in
    // W13, the one at that instant in W14. None is lost or counted twice.
    expect(at('2026-W13')).toMatchObject({ n: 4, end: '2026-03-29T22:00:00.000Z' });
    expect(at('2026-W14')).toMatchObject({ n: 1, start: '2026-03-29T22:00:00.000Z', value: { value: 1 } });
    const total = trend.points.reduce((s: number, p: { n: number }) => s + p.n, 0);
    expect(total).toBe(10); // every in-scope validated test of the range
    const mttd = (
      await get(
        '/metrics/mttd/trend?bucket=week&from=2026-03-16T00:00:00%2B01:00&to=2026-03-30T00:00:00%2B02:00',
      )
    ).json();
    expect(mttd.points.map((p: { value: { value: number | null } }) => p.value.value)).toEqual([410, null]);
    expect(mttd.points[1].excluded).toEqual({ noTimestamp: 1, negative: 1, outlier: 1 });
  });

  it('applies filters: technique with its sub-techniques, tool, tactic', async () => {
    const t1059 = (await get(`/metrics/operational?${W12}&technique=T1059`)).json();
    expect(t1059.mttd).toMatchObject({ n: 1, mean: { value: 270 } });
    expect(t1059.filters).toEqual({ technique: 'T1059' });
    const sentinel = (await get(`/metrics/operational?${W12}&tool=sentinel`)).json();
    expect(sentinel.mttdByTool).toEqual([
      expect.objectContaining({ tool: 'Sentinel', mean: { value: 720, display: 720 } }),
    ]);
    const impact = (await get(`/metrics/operational?${W12}&tactic=impact`)).json();
    expect(impact.undetectedShare).toMatchObject({ numerator: 1, denominator: 1 });
  });

  it('counts coverage velocity from the history', async () => {
    // Every test above moved its technique (and T1059, their parent) up from untested just now.
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const m = (
      await get(`/metrics/operational?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)
    ).json();
    const coverage = (await get('/coverage')).json();
    const tested = coverage.totals.validated + coverage.totals.partial;
    expect(m.velocity).toEqual({ gross: tested, regressions: 0, net: tested });
    expect(tested).toBeGreaterThan(3);
  });

  it('refuses what it cannot answer, naming the field', async () => {
    for (const [query, field] of [
      ['from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'from'],
      ['technique=powershell', 'technique'],
      ['campaign=nope', 'campaign'],
      ['from=yesterday', 'from'],
    ] as const) {
      const res = await get(`/metrics/operational?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.message).toContain(field);
    }
    expect((await get('/metrics/speed/trend')).statusCode).toBe(400);
    const tooMany = await get(
      '/metrics/mttd/trend?bucket=week&from=2017-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    );
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.message).toContain('bucket');
    expect((await app.inject({ url: '/api/v1/metrics/operational' })).statusCode).toBe(401);
  });

  it('reuses an answer until the data it read changes', async () => {
    const week = 'from=2026-05-11T00:00:00%2B02:00&to=2026-05-18T00:00:00%2B02:00';
    const first = (await get(`/metrics/operational?${week}`)).json();
    expect(first.mttd.n).toBe(0);
    const again = (await get(`/metrics/operational?${week}`)).json();
    expect(again.computedAt).toBe(first.computedAt); // the same answer, not computed again
    await test({
      technique: 'T1566.001',
      outcome: 'detected',
      started: '2026-05-12T09:00:00Z',
      detected: '2026-05-12T09:00:30Z',
    });
    const after = (await get(`/metrics/operational?${week}`)).json();
    expect(after.mttd).toMatchObject({ n: 1, mean: { value: 30 } });
  });

  it('gives leads the executive view: this period beside the previous one, movers, the oldest open remediation', async () => {
    const gap = await test({
      technique: 'T1566.001',
      outcome: 'logged',
      started: '2026-02-02T10:00:00Z',
      remediationOpened: '2026-02-04T10:00:00Z',
    });
    const url = `/metrics/executive?${W12.replace('from=2026-03-16', 'from=2026-03-09')}`;
    expect((await get(url)).statusCode).toBe(403);
    const res = await get(url, lead);
    expect(res.statusCode, res.body).toBe(200);
    const x = res.json();
    // Two weeks (W11–W12) against the two weeks before them.
    expect(x.current).toMatchObject({
      mttd: { mean: { value: 410 }, n: 3 },
      undetectedShare: { denominator: 4 },
    });
    expect(x.previous).toMatchObject({
      mttd: { mean: { value: null }, n: 0 },
      from: '2026-02-22T23:00:00.000Z',
    });
    expect(x.oldestOpenRemediation).toMatchObject({
      testId: gap,
      technique: { attackId: 'T1566.001' },
      openedAt: '2026-02-04T10:00:00.000Z',
    });
    expect(x.organization).toHaveProperty('score');
    expect(x.coverageByTactic.by).toBe('tactic');
    // The coverage moves of this file happened just now: the period around now lists them, rises only.
    const from = encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString());
    const to = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    const now = (await get(`/metrics/executive?from=${from}&to=${to}`, lead)).json();
    expect(now.improvements.length).toBe(Math.min(10, now.current.velocity.gross));
    expect(now.improvements.map((m: { technique: { attackId: string } }) => m.technique.attackId)).toContain(
      'T1486',
    );
    expect(now.regressions).toEqual([]);
    // The organisation score's trend comes from the snapshots of the period: none, then the one taken.
    expect(now.organization.trend).toEqual([]);
    const taken = await app.inject({
      method: 'POST',
      url: '/api/v1/snapshots',
      headers: lead.bearer,
      payload: { name: 'Executive trend' },
    });
    expect(taken.statusCode).toBe(201);
    const after = (await get(`/metrics/executive?from=${from}&to=${to}`, lead)).json();
    expect(after.organization.trend).toEqual([
      {
        snapshotId: taken.json().id,
        kind: 'manual',
        takenAt: taken.json().takenAt,
        score: taken.json().organizationScore,
        threatScore: taken.json().organizationThreatScore,
      },
    ]);
    expect(after.organization.trend[0].score).toEqual(after.organization.score);
  });

  it('refuses an unknown time zone and a twenty-year range of weeks, naming the parameter', async () => {
    const tz = await get('/metrics/mttd/trend?timezone=Mars/Olympus_Mons');
    expect(tz.statusCode).toBe(400);
    expect(tz.json().error.message).toContain('timezone');
    const utc = (
      await get(
        '/metrics/mttd/trend?bucket=month&from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z&timezone=UTC',
      )
    ).json();
    expect(utc).toMatchObject({
      timezone: 'UTC',
      points: [{ bucket: '2026-03', start: '2026-03-01T00:00:00.000Z' }],
    });
    const long = await get(
      '/metrics/mttd/trend?bucket=week&from=2006-01-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    );
    expect(long.statusCode).toBe(400);
    expect(long.json().error.message).toContain('from');
  });

  it('measures the pipeline and the review decisions from the transitions', async () => {
    const day = (h: number, m = 0) => new Date(Date.UTC(2026, 5, 1, h, m)).toISOString();
    const runs: Array<{ state: string; path: Array<[string, string]> }> = [
      {
        state: 'validated',
        path: [
          ['draft', day(0)],
          ['red_executing', day(2)],
          ['blue_evaluating', day(5)],
          ['in_review', day(6)],
          ['validated', day(8)],
        ],
      },
      {
        state: 'validated',
        path: [
          ['draft', day(0)],
          ['red_executing', day(4)],
          ['blue_evaluating', day(4, 30)],
          ['in_review', day(5)],
          ['rejected', day(6)],
          ['red_executing', day(7)],
          ['blue_evaluating', day(9)],
          ['in_review', day(10)],
          ['validated', day(12)],
        ],
      },
      { state: 'draft', path: [['draft', day(0)]] },
    ];
    await db.transaction(async (tx) => {
      for (const run of runs) {
        const id = `00000000-0000-4000-9000-${String(++n).padStart(12, '0')}`;
        await tx.execute(sql`
          insert into test_cases (id, technique_id, title, state, outcome, created_at)
          values (${id}::uuid, ${idOf('T1021.002')}::uuid, ${`pipeline ${n}`}, ${run.state},
                  ${run.state === 'validated' ? 'detected' : null}, ${day(0)}::timestamptz)`);
        for (const [i, [state, at]] of run.path.entries())
          await tx.execute(sql`
            insert into test_transitions (test_case_id, from_state, to_state, action, at)
            values (${id}::uuid, ${i === 0 ? null : (run.path[i - 1] as [string, string])[0]}, ${state}, 'journey', ${at}::timestamptz)`);
      }
    });
    const june = 'from=2026-06-01T00:00:00Z&to=2026-06-03T00:00:00Z';
    const p = (await get(`/metrics/pipeline?${june}`)).json();
    expect(p.cohort.created).toBe(3);
    expect(p.cohort.steps).toEqual([
      { state: 'red_executing', reached: 2, fromPrevious: { value: 2 / 3, display: 0.7 } },
      { state: 'blue_evaluating', reached: 2, fromPrevious: { value: 1, display: 1 } },
      { state: 'in_review', reached: 2, fromPrevious: { value: 1, display: 1 } },
      { state: 'validated', reached: 2, fromPrevious: { value: 1, display: 1 } },
    ]);
    const time = (state: string) => p.cohort.timeInState.find((x: { state: string }) => x.state === state);
    // Draft: 2 h and 4 h (the third test never left it); red executing: 3 h, 0.5 h and 2 h.
    expect(time('draft')).toEqual({ state: 'draft', medianHours: { value: 3, display: 3 }, n: 2 });
    expect(time('red_executing')).toMatchObject({ medianHours: { value: 2 }, n: 3 });
    expect(p.snapshot.find((x: { state: string }) => x.state === 'draft').n).toBe(1);
    const v = (await get(`/metrics/validation-rates?${june}`)).json();
    expect(v.validationRate).toMatchObject({ numerator: 2, denominator: 3 });
    expect(v.firstPassRate).toMatchObject({ numerator: 1, denominator: 2, value: { value: 0.5 } });
  });

  it('counts what each team did from the audit log; only leads see it per person', async () => {
    const red = await signedInAs(platform, app, 'red_tech');
    const at = '2026-07-01T10:00:00Z';
    const rows: Array<[string, string, Record<string, unknown>]> = [
      [red.user.id, 'test_case.create', {}],
      [red.user.id, 'test_case.create', {}],
      [red.user.id, 'test_case.submit_to_blue', {}],
      [lead.user.id, 'test_case.vote', { side: 'blue', decision: 'approve' }],
      [lead.user.id, 'remediation.update', { status: 'done' }],
      [lead.user.id, 'remediation.update', { status: 'in_progress' }],
    ];
    await db.transaction(async (tx) => {
      for (const [actor, action, summary] of rows)
        await tx.execute(sql`insert into audit_logs (at, actor_id, action, entity_type, summary)
                             values (${at}::timestamptz, ${actor}::uuid, ${action}, 'test_case', ${JSON.stringify(summary)}::jsonb)`);
    });
    const july = 'from=2026-07-01T00:00:00Z&to=2026-07-02T00:00:00Z';
    const seen = (await get(`/metrics/team-activity?${july}`)).json();
    expect(seen.users).toBeNull();
    const team = (name: string) => seen.teams.find((t: { team: string }) => t.team === name);
    expect(team('red')).toMatchObject({ testsCreated: 2, executionsRecorded: 1, votesCast: 0 });
    expect(team('blue')).toMatchObject({ votesCast: 1, remediationStepsCompleted: 1, testsCreated: 0 });
    const byLead = (await get(`/metrics/team-activity?${july}`, lead)).json();
    expect(byLead.users).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          user: expect.objectContaining({ id: red.user.id }),
          role: 'red_tech',
          testsCreated: 2,
        }),
      ]),
    );
  });

  it('gives the summary and the current results per tactic', async () => {
    const summary = (await get(`/metrics/summary?${W12}`)).json();
    expect(summary).toMatchObject({
      validatedInPeriod: 4,
      efficacy: { numerator: 3, denominator: 3 },
      mttd: { mean: { value: 410 }, n: 3 },
      undetectedShare: { numerator: 1, denominator: 4 },
    });
    expect(summary.testsByState.map((s: { state: string }) => s.state)).toEqual([
      'draft',
      'red_executing',
      'blue_evaluating',
      'in_review',
      'validated',
      'rejected',
    ]);
    const tactics = (await get(`/metrics/by-tactic?${W12}`)).json();
    // A, B and C (D's newer run replaced it), each under its technique's tactic, in matrix order.
    expect(tactics.items.map((t: { tactic: string; detected: number }) => [t.tactic, t.detected])).toEqual([
      ['initial-access', 1],
      ['execution', 1],
      ['lateral-movement', 1],
    ]);
    expect(tactics.items[0]).toMatchObject({
      name: 'Initial Access',
      attackId: 'TA0001',
      efficacy: { value: { value: 1 } },
    });
  });

  it('reads lead agreement per decision: each review round keeps its own votes', async () => {
    type Who = typeof viewer;
    const [redTech, blueTech, redLead] = (await Promise.all(
      (['red_tech', 'blue_tech', 'red_lead'] as const).map((r) => signedInAs(platform, app, r)),
    )) as [Who, Who, Who];
    const call = (who: Who, url: string, payload: object) =>
      app.inject({ method: 'POST', url: `/api/v1${url}`, headers: who.bearer, payload });
    const put = (who: Who, url: string, payload: object) =>
      app.inject({ method: 'PUT', url: `/api/v1${url}`, headers: who.bearer, payload });
    async function toReview(existing?: string): Promise<string> {
      const id =
        existing ?? (await call(redTech, '/tests', { technique: 'T1059', title: 'agreement' })).json().id;
      await call(redTech, `/tests/${id}/transitions`, { action: 'start_execution' });
      await put(redTech, `/tests/${id}/red`, {
        commands: 'whoami',
        executionStartedAt: new Date().toISOString(),
      });
      await call(redTech, `/tests/${id}/transitions`, { action: 'submit_to_blue' });
      await put(blueTech, `/tests/${id}/blue`, { outcome: 'detected' });
      const r = await call(blueTech, `/tests/${id}/transitions`, { action: 'submit_for_review' });
      expect(r.json().state).toBe('in_review');
      return id;
    }
    const vote = async (who: Who, id: string, decision: string) =>
      (await call(who, `/tests/${id}/votes`, { decision, comment: '' })).json();

    // A: round 1 red approves, blue rejects (disagree); reopened, round 2 both approve (agree).
    const a = await toReview();
    await vote(redLead, a, 'approve');
    expect((await vote(lead, a, 'reject')).state).toBe('rejected');
    const reopened = await call(redLead, `/tests/${a}/transitions`, { action: 'reopen' });
    expect(reopened.json()).toMatchObject({ state: 'draft', votes: [] });
    await toReview(a);
    await vote(redLead, a, 'approve');
    expect((await vote(lead, a, 'approve')).state).toBe('validated');
    // B: red rejects at once; blue has not voted (one vote), then C: the same, and blue's late reject agrees.
    const b = await toReview();
    expect((await vote(redLead, b, 'reject')).state).toBe('rejected');
    const c = await toReview();
    await vote(redLead, c, 'reject');
    await vote(lead, c, 'reject');

    const hour = 3_600_000;
    const range = `from=${new Date(Date.now() - hour).toISOString()}&to=${new Date(Date.now() + hour).toISOString()}`;
    const v = (await get(`/metrics/validation-rates?${range}`)).json();
    // Decisions: A rejected, A validated, B rejected, C rejected. Both voted in three; two agreed.
    expect(v.validationRate).toMatchObject({ numerator: 1, denominator: 4 });
    expect(v.leadAgreement).toMatchObject({ numerator: 2, denominator: 3 });
    expect(v.decisionsWithOneVote).toBe(1);
    // The round-1 votes of A are kept with their decision; the test shows only the current round's.
    const kept = await db.execute<{ round: number; n: number }>(
      sql`select round, count(*)::int as n from test_votes where test_case_id = ${a}::uuid group by round order by round`,
    );
    expect(kept.rows).toEqual([
      { round: 1, n: 2 },
      { round: 2, n: 2 },
    ]);
  });
});
