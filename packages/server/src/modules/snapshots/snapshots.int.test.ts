import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { ATTACK_18, importFile, realSubset } from '../../../test/attack-data';
import { signedInAs } from '../../../test/factories';
import { tempDir, testDbKind } from '../../../test/support';
import { isoWeek, localDate } from '../analysis';
import { recomputeCoverage } from '../coverage';
import { createScoresService } from '../scores';
import { createSnapshotsService } from '.';

/**
 * Snapshots on a cut of ATT&CK 18.1 (spec §4): taking, reading, the rules of who may do what, the
 * comparison of a snapshot with now after a test is validated, the daily job's idempotence and 400
 * days of retention on a fake clock.
 */
const SUBSET = {
  techniques: ['T1059', 'T1566.001', 'T1486', 'T1021.002'],
  withSubtechniques: ['T1059'],
  groups: [],
};

describe(`snapshots on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp({ AEGIS_TIMEZONE: 'Europe/Madrid' });
  const db = platform.database.db;
  await importFile(platform, realSubset(ATTACK_18, SUBSET, path.join(tempDir(), 'snapshots-18.1.json')));
  const lead = await signedInAs(platform, app, 'red_lead');
  type Who = typeof lead;
  const [viewer, admin] = (await Promise.all(
    (['viewer', 'admin'] as const).map((r) => signedInAs(platform, app, r)),
  )) as [Who, Who];
  const call = (who: Who, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    app.inject({ method, url: `/api/v1${url}`, headers: who.bearer, ...(payload ? { payload } : {}) });

  const techniqueId = async (attackId: string) =>
    (
      await db.execute<{ id: string }>(
        sql`select id from attack_objects where attack_id = ${attackId} and type = 'attack-pattern'`,
      )
    ).rows[0]?.id as string;

  it('takes a manual snapshot of every active technique, and compares it with now after a validation', async () => {
    const res = await call(lead, 'POST', '/snapshots', { name: 'Before the purple week', note: 'baseline' });
    expect(res.statusCode).toBe(201);
    const a = res.json();
    const techniques = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from attack_objects
           where type = 'attack-pattern' and domain = 'enterprise-attack' and not revoked and not deprecated`,
    );
    expect(a).toMatchObject({
      kind: 'manual',
      name: 'Before the purple week',
      note: 'baseline',
      attackRelease: '18.1',
      takenBy: { username: lead.user.username },
      techniqueCount: techniques.rows[0]?.n,
    });
    expect(a.counts.untested).toBe(a.inScopeCount);
    expect(a.tactics.length).toBeGreaterThan(0);

    // T1486 gets a validated, detected test: it improves (untested → validated).
    const t1486 = await techniqueId('T1486');
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into test_cases (technique_id, title, state, outcome, execution_started_at, validated_at)
        values (${t1486}::uuid, 'Encrypt a share', 'validated', 'detected', now() - interval '2 days', now() - interval '1 day')`);
      await recomputeCoverage(tx, [t1486], null);
    });
    const cmp = (await call(lead, 'GET', `/snapshots/compare?from=${a.id}&to=now`)).json();
    expect(cmp.from).toMatchObject({ kind: 'snapshot', id: a.id });
    expect(cmp.to).toMatchObject({ kind: 'now', id: null });
    const row = cmp.techniques.find((t: { attackId: string }) => t.attackId === 'T1486');
    expect(row).toMatchObject({
      classification: 'improved',
      from: { status: 'untested' },
      to: { status: 'validated' },
    });
    expect(cmp.totals.improved).toBe(1);
    expect(cmp.techniques.every((t: { classification: string }) => t.classification !== 'unchanged')).toBe(
      true,
    );
    const all = (await call(lead, 'GET', `/snapshots/compare?from=${a.id}&all=true`)).json();
    expect(all.techniques).toHaveLength(a.techniqueCount);
    expect(all.totals.unchanged).toBe(a.techniqueCount - 1);

    // A second snapshot: same technique rows; compared with the first, T1486 improved.
    const b = (await call(lead, 'POST', '/snapshots', { name: 'After' })).json();
    expect(b.counts.validated).toBe(a.counts.validated + 1);
    const ab = (await call(lead, 'GET', `/snapshots/compare?from=${a.id}&to=${b.id}`)).json();
    expect(ab.totals).toMatchObject({ improved: 1, added: 0, removed: 0, moved: 0 });
    expect(ab.organizationDelta.value).toBeCloseTo(
      (b.organizationScore.value ?? 0) - (a.organizationScore.value ?? 0),
      9,
    );
    const trend = (await call(lead, 'GET', '/snapshots/trend')).json();
    expect(trend.points.map((p: { id: string }) => p.id)).toEqual([a.id, b.id]);
  });

  it('lets leads and admin read, admin delete; refuses bad input naming the field', async () => {
    expect((await call(viewer, 'GET', '/snapshots')).statusCode).toBe(403);
    expect((await call(viewer, 'POST', '/snapshots', { name: 'x' })).statusCode).toBe(403);
    const empty = await call(lead, 'POST', '/snapshots', { name: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(JSON.stringify(empty.json())).toContain('name');
    const extra = await call(lead, 'POST', '/snapshots', { name: 'x', colour: 'red' });
    expect(extra.statusCode).toBe(400);
    const list = (await call(lead, 'GET', '/snapshots?limit=1')).json();
    expect(list.total).toBeGreaterThanOrEqual(2);
    const id = list.items[0].id;
    const self = await call(lead, 'GET', `/snapshots/compare?from=${id}&to=${id}`);
    expect(self.statusCode).toBe(400);
    expect(JSON.stringify(self.json())).toContain('to');
    const bad = await call(lead, 'GET', '/snapshots/compare?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('from');
    expect(
      (await call(lead, 'GET', '/snapshots/compare?from=00000000-0000-4000-8000-000000000000')).statusCode,
    ).toBe(404);
    expect((await call(lead, 'DELETE', `/snapshots/${id}`)).statusCode).toBe(403);
    expect((await call(admin, 'DELETE', `/snapshots/${id}`)).statusCode).toBe(204);
    expect((await call(lead, 'GET', `/snapshots/${id}`)).statusCode).toBe(404);
    const gone = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from snapshot_techniques where snapshot_id = ${id}::uuid`,
    );
    expect(gone.rows[0]?.n).toBe(0);
    const audit = await db.execute<{ action: string }>(
      sql`select action from audit_logs where entity_type = 'snapshot' and entity_id = ${id} order by at`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['snapshot.create', 'snapshot.delete']);
  });

  it('takes one scheduled snapshot per local date and keeps what the retention says over 400 days', async () => {
    let clock = new Date('2025-01-01T00:30:00Z');
    const scores = createScoresService({ db, config: platform.config });
    const snapshots = createSnapshotsService({
      db,
      config: platform.config,
      organization: (conn) => scores.organization('enterprise-attack', conn),
      recomputeScores: async () => null,
      configVersion: async () => 1,
      attackRelease: async () => '18.1',
      clock: () => clock,
    });
    const first = await snapshots.takeScheduled();
    // 00:30 UTC on 1 January is 01:30 in Madrid: the local date.
    expect(first.periodKey).toBe('2025-01-01');
    expect(first.id).not.toBeNull();
    const retry = await snapshots.takeScheduled();
    expect(retry).toMatchObject({ id: null, periodKey: '2025-01-01', deleted: 0 });
    for (let day = 1; day < 400; day++) {
      clock = new Date(clock.getTime() + 86_400_000);
      await snapshots.takeScheduled();
    }
    const today = localDate(clock, 'Europe/Madrid');
    const kept = await db.execute<{ period_key: string }>(
      sql`select period_key from snapshots where kind = 'scheduled' order by period_key`,
    );
    // The rule, restated by date arithmetic: the last 90 days; of older ones the last of each ISO
    // week within 52 weeks; the last of each month always.
    const dates: string[] = [];
    for (let day = 0; day < 400; day++)
      dates.push(new Date(Date.UTC(2025, 0, 1 + day)).toISOString().slice(0, 10));
    const age = (d: string) => (Date.parse(today) - Date.parse(d)) / 86_400_000;
    const weekOf = (d: string) => isoWeek(+d.slice(0, 4), +d.slice(5, 7), +d.slice(8, 10)).join('-');
    const lastOf = (key: (d: string) => string) => {
      const last = new Map<string, string>();
      for (const d of dates) last.set(key(d), d);
      return new Set(last.values());
    };
    const weekLast = lastOf(weekOf);
    const monthLast = lastOf((d) => d.slice(0, 7));
    const expected = dates.filter(
      (d) => age(d) < 90 || (weekLast.has(d) && age(d) < 364) || monthLast.has(d),
    );
    expect(kept.rows.map((r) => r.period_key)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(90 + 30);
    expect(expected.length).toBeLessThan(90 + 52 + 14);
  });
});
