import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import {
  ATTACK_16,
  ATTACK_18,
  attackIdOf,
  importFile,
  independentCounts,
  rawObjects,
} from '../../../test/attack-data';
import { signedInAs, signIn } from '../../../test/factories';
import { ADMIN_PASSWORD, tempDir, testDbKind } from '../../../test/support';
import { CLI_ACTOR } from '../audit-logs';
import { ImportFailedError } from './attack.import';

describe(`ATT&CK 18.1 import on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  const viewer = await signedInAs(platform, app, 'viewer');
  const first = await importFile(platform, ATTACK_18);
  const expected = independentCounts(ATTACK_18);
  const get = async (url: string) => {
    const res = await app.inject({ url, headers: viewer.bearer });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  it('records a successful run with the release and counts', () => {
    expect(first).toMatchObject({ status: 'succeeded', domain: 'enterprise-attack', release: '18.1' });
    expect((first.counts as { unchanged: boolean }).unchanged).toBe(false);
  });

  it('does nothing when the job of a finished run is replayed (a restart after its completion was lost)', async () => {
    const imports = async () =>
      (
        await platform.database.db.execute<{ n: number }>(
          sql`select count(*)::int as n from audit_logs where action = 'attack.import'`,
        )
      ).rows[0]?.n;
    const before = await imports();
    const replayed = await platform.services.imports.runJob({ runId: first.id }, CLI_ACTOR);
    expect(replayed).toMatchObject({ id: first.id, status: 'succeeded' });
    expect(replayed.finishedAt).toEqual(first.finishedAt);
    expect(replayed.counts).toEqual(first.counts);
    expect(await imports()).toBe(before);
  });

  it('gives exactly the figures of an independent count of the bundle', async () => {
    const tactics = await get('/api/v1/tactics');
    expect(tactics.items.map((t: { name: string }) => t.name)).toEqual(expected.tacticsInOrder);
    expect(tactics.items).toHaveLength(14);
    expect((await get('/api/v1/techniques?subtechniques=exclude&limit=1')).total).toBe(expected.techniques);
    expect((await get('/api/v1/techniques?subtechniques=only&limit=1')).total).toBe(expected.subtechniques);
    expect((await get('/api/v1/threat-actors?limit=1')).total).toBe(expected.groups);
    expect((await get('/api/v1/software?limit=1')).total).toBe(expected.software);
    expect((await get('/api/v1/campaigns?limit=1')).total).toBe(expected.campaigns);
    const mitigations = await platform.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from attack_objects where type = 'course-of-action' and not revoked and not deprecated`,
    );
    expect(mitigations.rows[0]?.n).toBe(expected.mitigations);
    const rels = await platform.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from attack_relationships`,
    );
    // Every relationship of a kept kind (all of them in 18.1).
    expect(rels.rows[0]?.n).toBe(expected.relationships);
  });

  it('changes nothing when the same release is imported again', async () => {
    const before = await platform.database.db.execute<{ m: string }>(
      sql`select max(imported_at)::text as m from attack_objects`,
    );
    const again = await importFile(platform, ATTACK_18);
    expect(again.status).toBe('succeeded');
    expect((again.counts as { unchanged: boolean }).unchanged).toBe(true);
    const counts = (
      again.counts as { byType: Record<string, { added: number; changed: number; removed: number }> }
    ).byType;
    for (const c of Object.values(counts)) expect([c.added, c.changed, c.removed]).toEqual([0, 0, 0]);
    const after = await platform.database.db.execute<{ m: string }>(
      sql`select max(imported_at)::text as m from attack_objects`,
    );
    expect(after.rows[0]?.m).toBe(before.rows[0]?.m);
  });

  it('lists techniques with filters, search and sorting', async () => {
    const execution = await get('/api/v1/techniques?tactic=TA0002&subtechniques=exclude&limit=500');
    const bundleExecution = rawObjects(ATTACK_18).filter(
      (o) =>
        o.type === 'attack-pattern' &&
        o.revoked !== true &&
        o.x_mitre_deprecated !== true &&
        o.x_mitre_is_subtechnique !== true &&
        (o.kill_chain_phases as Array<{ phase_name: string }>).some((k) => k.phase_name === 'execution'),
    );
    expect(execution.total).toBe(bundleExecution.length);
    expect((await get('/api/v1/techniques?tactic=execution&subtechniques=exclude&limit=1')).total).toBe(
      bundleExecution.length,
    );
    const search = await get('/api/v1/techniques?q=T1059.00&sort=attackId');
    expect(search.items[0].attackId).toBe('T1059.001');
    expect(search.items.every((t: { attackId: string }) => t.attackId.startsWith('T1059.00'))).toBe(true);
    const byName = await get('/api/v1/techniques?q=powershell&limit=100');
    expect(byName.items.map((t: { attackId: string }) => t.attackId)).toContain('T1059.001');
    // By relevance: the technique named "PowerShell" first, though many ids sort before it.
    const relevant = await get('/api/v1/techniques?q=powershell&sort=relevance&limit=3');
    expect(relevant.items[0]).toMatchObject({ attackId: 'T1059.001', name: 'PowerShell' });
    expect(relevant.total).toBe(byName.total);
    expect(byName.items[0].attackId).not.toBe('T1059.001');
    // An exact id beats the ids it prefixes; a name match beats a description match.
    expect((await get('/api/v1/techniques?q=t1059&sort=relevance&limit=1')).items[0].attackId).toBe('T1059');
    const dcsync = await get('/api/v1/techniques?q=dcsync&sort=relevance&limit=1');
    expect(dcsync.items[0]).toMatchObject({ attackId: 'T1003.006', name: 'DCSync' });
    const macos = await get('/api/v1/techniques?platform=macos&limit=1');
    expect(macos.total).toBeGreaterThan(100);
    const untested = await get('/api/v1/techniques?coverage=untested&limit=1');
    expect(untested.total).toBe(expected.techniques + expected.subtechniques);
    expect((await get('/api/v1/techniques?reviewRequired=true')).total).toBe(0);
    // Sorting follows the database collation: the first item descending is the last ascending.
    const desc = await get('/api/v1/techniques?sort=name&order=desc&limit=1');
    const lastAsc = await get(`/api/v1/techniques?sort=name&order=asc&limit=1&offset=${desc.total - 1}`);
    expect(desc.items[0].id).toBe(lastAsc.items[0].id);
    const bad = await app.inject({
      url: '/api/v1/techniques?coverage=perfect&subtechniques=maybe',
      headers: viewer.bearer,
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['query.coverage', 'query.subtechniques']);
  });

  it('details a technique with sub-techniques, groups, mitigations and detection strategies', async () => {
    const t = await get('/api/v1/techniques/T1059');
    const raw = rawObjects(ATTACK_18);
    const stix = raw.find(
      (o) => o.type === 'attack-pattern' && attackIdOf(o) === 'T1059' && o.revoked !== true,
    );
    const subCount = raw.filter(
      (o) =>
        o.type === 'relationship' && o.relationship_type === 'subtechnique-of' && o.target_ref === stix?.id,
    ).length;
    expect(t).toMatchObject({
      attackId: 'T1059',
      name: 'Command and Scripting Interpreter',
      tactics: ['execution'],
    });
    expect(t.subtechniques.length).toBe(subCount);
    expect(t.subtechniques[0].attackId).toBe('T1059.001');
    expect(t.groups.length).toBeGreaterThan(10);
    expect(t.mitigations.length).toBeGreaterThan(2);
    expect(t.detectionStrategies.length).toBeGreaterThan(0);
    const sub = await get(`/api/v1/techniques/${t.subtechniques[0].id}`);
    expect(sub.parent).toMatchObject({ attackId: 'T1059' });
    expect((await app.inject({ url: '/api/v1/techniques/T9999', headers: viewer.bearer })).statusCode).toBe(
      404,
    );
  });

  it('shows threat actors with their techniques and coverage, and software and campaigns', async () => {
    const list = await get('/api/v1/threat-actors?q=APT29');
    expect(list.items[0]).toMatchObject({ attackId: 'G0016', name: 'APT29', validatedCount: 0 });
    const actor = await get(`/api/v1/threat-actors/${list.items[0].id}`);
    expect(actor.techniques.length).toBe(list.items[0].techniqueCount);
    expect(actor.coverage).toEqual({ untested: actor.techniques.length });
    expect(actor.software.length).toBeGreaterThan(5);
    const users = await get('/api/v1/threat-actors?technique=T1059.001&limit=500');
    expect(users.items.map((g: { attackId: string }) => g.attackId)).toContain('G0016');
    const mimikatz = await get('/api/v1/software?q=mimikatz');
    expect(mimikatz.items[0]).toMatchObject({ attackId: 'S0002', kind: 'tool', validatedCount: 0 });
    const software = await get('/api/v1/software/S0002');
    expect(software.techniques.length).toBe(mimikatz.items[0].techniqueCount);
    expect(software.techniques.length).toBeGreaterThan(5);
    expect(software.techniques[0]).toMatchObject({ coverageStatus: 'untested', tactics: expect.any(Array) });
    expect(software.coverage).toEqual({ untested: software.techniques.length });
    // Groups and campaigns using it come apart.
    expect(software.groups.map((g: { attackId: string }) => g.attackId)).toContain('G0016');
    expect(software.groups.every((g: { attackId: string }) => g.attackId.startsWith('G'))).toBe(true);
    expect(software.campaigns.map((c: { attackId: string }) => c.attackId)).toContain('C0024');
    expect(software.campaigns.every((c: { attackId: string }) => c.attackId.startsWith('C'))).toBe(true);

    const campaign = (await get('/api/v1/campaigns?limit=1')).items[0];
    expect(campaign.validatedCount).toBe(0);
    const detail = await get(`/api/v1/campaigns/${campaign.attackId}`);
    expect(detail.techniques.length).toBe(campaign.techniqueCount);
    expect(detail.coverage).toEqual(campaign.techniqueCount ? { untested: campaign.techniqueCount } : {});
  });

  it('filters software by kind, and the two kinds add up to all software', async () => {
    const tools = await get('/api/v1/software?kind=tool&limit=500');
    const malware = await get('/api/v1/software?kind=malware&limit=1');
    expect(tools.items.every((s: { kind: string }) => s.kind === 'tool')).toBe(true);
    expect(tools.total + malware.total).toBe(expected.software);
    expect(malware.items[0].kind).toBe('malware');
    const bad = await app.inject({ url: '/api/v1/software?kind=virus', headers: viewer.bearer });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('kind');
  });

  it('lets leads keep notes and refuses technicians', async () => {
    const lead = await signedInAs(platform, app, 'red_lead');
    const ok = await app.inject({
      method: 'PATCH',
      url: '/api/v1/techniques/T1003',
      headers: lead.bearer,
      payload: { notes: 'EDR covers LSASS' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().notes).toBe('EDR covers LSASS');
    const tech = await signedInAs(platform, app, 'red_tech');
    expect(
      (
        await app.inject({
          method: 'PATCH',
          url: '/api/v1/techniques/T1003',
          headers: tech.bearer,
          payload: { notes: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    const notFlagged = await app.inject({
      method: 'POST',
      url: '/api/v1/techniques/T1003/review',
      headers: lead.bearer,
      payload: {},
    });
    expect(notFlagged.statusCode).toBe(409);
  });

  it('fails cleanly on a corrupt or non-STIX file and leaves the data as it was', async () => {
    const dir = tempDir();
    const count = async () =>
      (await platform.database.db.execute<{ n: number }>(sql`select count(*)::int as n from attack_objects`))
        .rows[0]?.n;
    const before = await count();
    const cases: Array<[string, string, RegExp]> = [
      ['broken.json', '{"type": "bundle", "objects": [', /not JSON/],
      ['not-stix.json', '{"hello": "world"}', /not a STIX bundle/],
      [
        'empty.json',
        '{"type":"bundle","id":"bundle--0b3a2c4e-1b2c-4d5e-8f90-123456789abc","objects":[]}',
        /no ATT&CK/,
      ],
    ];
    for (const [name, content, message] of cases) {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      const err = await importFile(platform, file).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImportFailedError);
      expect((err as ImportFailedError).message).toMatch(message);
      expect((err as ImportFailedError).run.status).toBe('failed');
    }
    const missing = await importFile(platform, path.join(dir, 'nope.json')).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/no such file/);
    expect(await count()).toBe(before);
    const runs = await app.inject({ url: '/api/v1/system/import-runs?status=failed', headers: admin.bearer });
    expect(runs.json().total).toBe(4);
  });
});

describe(`ATT&CK release upgrade 16.1 → 18.1 on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const lead = await signedInAs(platform, app, 'blue_lead');
  await importFile(platform, ATTACK_16);
  const oldT = await app.inject({ url: '/api/v1/techniques/T1574.002', headers: lead.bearer });
  const oldId = oldT.json().id as string;
  await app.inject({
    method: 'PATCH',
    url: `/api/v1/techniques/${oldId}`,
    headers: lead.bearer,
    payload: { notes: 'Sysmon 7 catches side-loading' },
  });
  const redTech = await signedInAs(platform, app, 'red_tech');
  const testOnOld = (
    await app.inject({
      method: 'POST',
      url: '/api/v1/tests',
      headers: redTech.bearer,
      payload: { technique: 'T1574.002', title: 'Side-load a DLL next to a signed binary' },
    })
  ).json();
  const snapshot = async (name: string) =>
    (
      await app.inject({ method: 'POST', url: '/api/v1/snapshots', headers: lead.bearer, payload: { name } })
    ).json();
  const on16 = await snapshot('On ATT&CK 16.1');
  const run = await importFile(platform, ATTACK_18);
  const on18 = await snapshot('On ATT&CK 18.1');
  const diff = run.diff as {
    techniques: {
      renamed: Array<{ attackId: string }>;
      revoked: Array<{ attackId: string; by: { attackId: string } }>;
      added: unknown[];
    };
  };

  // The renamed set, computed independently from the two bundles (same STIX id, live in both, new name).
  const oldNames = new Map(
    rawObjects(ATTACK_16)
      .filter((o) => o.type === 'attack-pattern' && o.revoked !== true && o.x_mitre_deprecated !== true)
      .map((o) => [o.id, o.name]),
  );
  const renamed = rawObjects(ATTACK_18)
    .filter((o) => o.type === 'attack-pattern' && o.revoked !== true && o.x_mitre_deprecated !== true)
    .filter((o) => oldNames.has(o.id) && oldNames.get(o.id) !== o.name)
    .map((o) => attackIdOf(o) as string)
    .sort();

  it('moves a test record on the revoked technique to the revoking one, with its coverage', async () => {
    expect(testOnOld.technique.attackId).toBe('T1574.002');
    const moved = (await app.inject({ url: `/api/v1/tests/${testOnOld.id}`, headers: lead.bearer })).json();
    expect(moved.technique.attackId).toBe('T1574.001');
    expect(moved.coverageStatus).toBe('in_progress');
    const onNew = (
      await app.inject({ url: '/api/v1/tests?technique=T1574.001', headers: lead.bearer })
    ).json();
    expect(onNew.items.map((t: { id: string }) => t.id)).toEqual([testOnOld.id]);
    expect(
      (await app.inject({ url: `/api/v1/techniques/${oldId}`, headers: lead.bearer })).json().coverageStatus,
    ).toBe('untested');
    expect((run.counts as { movedWork: Array<{ what: string; moved: number }> }).movedWork).toContainEqual({
      what: 'tests',
      moved: 1,
    });
  });

  it('moves the work on a revoked technique to the technique that revokes it', async () => {
    expect(diff.techniques.revoked).toEqual([
      expect.objectContaining({
        attackId: 'T1574.002',
        by: expect.objectContaining({ attackId: 'T1574.001' }),
      }),
    ]);
    const target = (await app.inject({ url: '/api/v1/techniques/T1574.001', headers: lead.bearer })).json();
    expect(target.notes).toContain('Sysmon 7 catches side-loading');
    expect(target.reviewRequired).toBe(true);
    expect(target.reviewReasons.map((r: { kind: string }) => r.kind)).toContain('revoked_into');
    const old = (await app.inject({ url: `/api/v1/techniques/${oldId}`, headers: lead.bearer })).json();
    expect(old.revoked).toBe(true);
    expect(old.revokedBy).toMatchObject({ attackId: 'T1574.001' });
    const audit = await platform.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from audit_logs where action = 'technique.revoked_moved' and entity_id = ${target.id}`,
    );
    expect(audit.rows[0]?.n).toBe(1);
  });

  it('flags the renamed techniques with the reason and lists them in the diff', async () => {
    expect(renamed).toHaveLength(7);
    expect(diff.techniques.renamed.map((r) => r.attackId).sort()).toEqual(renamed);
    for (const attackId of renamed) {
      const t = (await app.inject({ url: `/api/v1/techniques/${attackId}`, headers: lead.bearer })).json();
      expect(t.reviewRequired).toBe(true);
      const reason = t.reviewReasons.find((r: { kind: string }) => r.kind === 'renamed');
      expect(reason).toMatchObject({ release: '18.1' });
      expect(reason.detail).toContain(`now ${attackId} ${t.name}`);
    }
    expect(diff.techniques.added).toHaveLength(36);
  });

  it('compares a 16.1 snapshot with an 18.1 one: moved, added, renamed unchanged (spec §4.5)', async () => {
    const list = (await app.inject({ url: '/api/v1/snapshots', headers: lead.bearer })).json();
    // The import took one itself before applying 18.1, with what 16.1 had.
    const pre = list.items.find((s: { kind: string }) => s.kind === 'pre-upgrade');
    expect(pre).toMatchObject({ attackRelease: '16.1', name: 'Before ATT&CK 18.1' });
    expect(on16.attackRelease).toBe('16.1');
    expect(on18.attackRelease).toBe('18.1');
    const cmp = (
      await app.inject({
        url: `/api/v1/snapshots/compare?from=${on16.id}&to=${on18.id}&all=true`,
        headers: lead.bearer,
      })
    ).json();
    const byId = new Map(cmp.techniques.map((t: { attackId: string }) => [t.attackId, t]));
    expect(byId.get('T1574.002')).toMatchObject({
      classification: 'moved',
      movedTo: { attackId: 'T1574.001' },
      from: { status: 'in_progress' },
      to: { status: 'in_progress' },
    });
    const added = cmp.techniques.filter((t: { classification: string }) => t.classification === 'added');
    expect(added).toHaveLength(diff.techniques.added.length);
    expect(added).toHaveLength(36);
    // Renamed techniques keep their STIX id: compared with themselves, under their new names. T1574.001
    // is one of them and received the moved test, so it was newly tested; the others did not change.
    for (const attackId of renamed) {
      const t = byId.get(attackId) as { classification: string; name: string; from: { name: string } };
      expect(t.classification).toBe(attackId === 'T1574.001' ? 'newly_tested' : 'unchanged');
      expect(t.name).not.toBe(t.from.name);
    }
    expect(renamed).toContain('T1574.001');
    const pre16 = (
      await app.inject({
        url: `/api/v1/snapshots/compare?from=${pre.id}&to=${on16.id}`,
        headers: lead.bearer,
      })
    ).json();
    expect(pre16.techniques).toEqual([]);
  });

  it('loses nothing: every live 16.1 technique is still there or revoked into a live one', async () => {
    const { rows } = await platform.database.db.execute<{ n: number }>(sql`
      select count(*)::int as n from attack_objects
       where type = 'attack-pattern' and stix_id in (select stix_id from attack_objects where first_release = '16.1')`);
    expect(rows[0]?.n).toBe(
      oldNames.size +
        (rawObjects(ATTACK_16).filter((o) => o.type === 'attack-pattern').length - oldNames.size),
    );
  });

  it('clears a review flag when a lead marks it reviewed, keeping the reasons', async () => {
    const attackId = renamed[0] ?? '';
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/techniques/${attackId}/review`,
      headers: lead.bearer,
      payload: { comment: 'checked' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ reviewRequired: false });
    expect(res.json().reviewReasons.length).toBeGreaterThan(0);
    expect(res.json().reviewedAt).not.toBeNull();
    const flagged = await app.inject({
      url: '/api/v1/techniques?reviewRequired=true&limit=1',
      headers: lead.bearer,
    });
    expect(flagged.json().total).toBe((run.counts as { flaggedForReview: number }).flaggedForReview - 1);
  });
});
