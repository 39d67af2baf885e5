import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { importFile } from '../../../test/attack-data';
import { signedInAs } from '../../../test/factories';
import { bundle, matrix, relationship, sid, tactic, technique } from '../../../test/stix-builder';
import { tempDir, testDbKind } from '../../../test/support';

/**
 * ATT&CK v19 split Defense Evasion into Stealth and Defense Impairment and renumbered techniques.
 * v19 is not in the shared data, so this builds a small v18-shaped and v19-shaped pair.
 */
function releases(dir: string) {
  const execution = tactic('TA0002', 'Execution', 'execution');
  const evasion = tactic('TA0005', 'Defense Evasion', 'defense-evasion');
  const impact = tactic('TA0040', 'Impact', 'impact');
  const group = {
    type: 'intrusion-set',
    id: sid('intrusion-set', 'G9999'),
    created: '2020-01-01T00:00:00.000Z',
    modified: '2025-01-01T00:00:00.000Z',
    name: 'Synthetic Group',
    aliases: ['Synthetic Group', 'SYNTH'],
    external_references: [{ source_name: 'mitre-attack', external_id: 'G9999' }],
  };
  const t1059 = technique('T1059', 'Command and Scripting Interpreter', ['execution']);
  const t1027 = technique('T1027', 'Obfuscated Files or Information', ['defense-evasion']);
  const t1070 = technique('T1070', 'Indicator Removal', ['defense-evasion']);
  const t1562 = technique('T1562', 'Impair Defenses', ['defense-evasion']);
  const t1562001 = technique('T1562.001', 'Disable or Modify Tools', ['defense-evasion']);
  const v18 = bundle([
    execution,
    evasion,
    impact,
    matrix([execution.id, evasion.id, impact.id]),
    t1059,
    t1027,
    t1070,
    t1562,
    t1562001,
    group,
    relationship('subtechnique-of', t1562001.id, t1562.id),
    relationship('uses', group.id, t1562001.id),
  ]);

  const stealth = tactic('TA0112', 'Stealth', 'stealth');
  const impairment = tactic('TA0113', 'Defense Impairment', 'defense-impairment');
  const t1685 = technique('T1685', 'Impair Defenses', ['defense-impairment']);
  const t1685001 = technique('T1685.001', 'Disable or Modify Tools', ['defense-impairment']);
  const later = { modified: '2026-04-28T00:00:00.000Z' };
  const v19 = bundle([
    execution,
    { ...evasion, ...later, x_mitre_deprecated: true },
    stealth,
    impairment,
    impact,
    { ...matrix([execution.id, stealth.id, impairment.id, impact.id]), ...later },
    t1059,
    technique('T1027', 'Obfuscated Files or Information', ['stealth'], later),
    technique('T1070', 'Indicator Removal', ['stealth'], later),
    { ...t1562, ...later, revoked: true },
    { ...t1562001, ...later, revoked: true },
    t1685,
    t1685001,
    group,
    relationship('revoked-by', t1562.id, t1685.id),
    relationship('revoked-by', t1562001.id, t1685001.id),
    relationship('subtechnique-of', t1685001.id, t1685.id),
    relationship('uses', group.id, t1685001.id),
  ]);
  const v18File = path.join(dir, 'enterprise-attack-18.0.json');
  const v19File = path.join(dir, 'enterprise-attack-19.0.json');
  writeFileSync(v18File, JSON.stringify(v18));
  writeFileSync(v19File, JSON.stringify(v19));
  return { v18File, v19File };
}

describe(`a v19-style release upgrade on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const lead = await signedInAs(platform, app, 'red_lead');
  const { v18File, v19File } = releases(tempDir());
  await importFile(platform, v18File);
  const get = async (url: string) => (await app.inject({ url, headers: lead.bearer })).json();
  await app.inject({
    method: 'PATCH',
    url: '/api/v1/techniques/T1562.001',
    headers: lead.bearer,
    payload: { notes: 'Tamper protection on; EDR alerts on service stop' },
  });
  const run = await importFile(platform, v19File);
  const diff = run.diff as {
    tactics: { added: Array<{ attackId: string }>; deprecated: Array<{ attackId: string }> };
    techniques: {
      moved: Array<{ attackId: string; from: string[]; to: string[] }>;
      revoked: Array<{ attackId: string; by: { attackId: string } }>;
    };
  };

  it('reports the tactic split in the diff and shows the new matrix order', async () => {
    expect(run.release).toBe('19.0');
    expect(diff.tactics.added.map((t) => t.attackId).sort()).toEqual(['TA0112', 'TA0113']);
    expect(diff.tactics.deprecated.map((t) => t.attackId)).toEqual(['TA0005']);
    expect((await get('/api/v1/tactics')).items.map((t: { name: string }) => t.name)).toEqual([
      'Execution',
      'Stealth',
      'Defense Impairment',
      'Impact',
    ]);
    expect((await get('/api/v1/techniques?tactic=TA0005')).total).toBe(0);
    expect(
      (await get('/api/v1/techniques?tactic=stealth')).items.map((t: { attackId: string }) => t.attackId),
    ).toEqual(['T1027', 'T1070']);
  });

  it('flags techniques moved to the new tactics, with the reason', async () => {
    expect(diff.techniques.moved.map((m) => [m.attackId, m.from, m.to])).toEqual([
      ['T1027', ['defense-evasion'], ['stealth']],
      ['T1070', ['defense-evasion'], ['stealth']],
    ]);
    const t = await get('/api/v1/techniques/T1027');
    expect(t.reviewRequired).toBe(true);
    expect(t.reviewReasons).toEqual([
      expect.objectContaining({
        kind: 'moved',
        release: '19.0',
        detail: 'tactics were defense-evasion, now stealth',
      }),
    ]);
    expect((await get('/api/v1/techniques/T1059')).reviewRequired).toBe(false);
  });

  it('carries work on renumbered techniques to their new ids', async () => {
    expect(diff.techniques.revoked.map((r) => [r.attackId, r.by.attackId]).sort()).toEqual([
      ['T1562', 'T1685'],
      ['T1562.001', 'T1685.001'],
    ]);
    const moved = await get('/api/v1/techniques/T1685.001');
    expect(moved.notes).toBe('Tamper protection on; EDR alerts on service stop');
    expect(moved.parent).toMatchObject({ attackId: 'T1685' });
    expect(moved.reviewReasons[0]).toMatchObject({
      kind: 'revoked_into',
      detail: expect.stringContaining('T1562.001'),
    });
    const old = await get('/api/v1/techniques/T1562.001');
    expect(old).toMatchObject({ revoked: true, revokedBy: { attackId: 'T1685.001' } });
    const actor = await get('/api/v1/threat-actors/G9999');
    expect(actor.techniques.map((x: { attackId: string }) => x.attackId)).toEqual(['T1685.001']);
    // The list's counts and technique filter follow the new release too (derived at import).
    const listed = (await get('/api/v1/threat-actors?q=G9999')).items[0];
    expect(listed).toMatchObject({ attackId: 'G9999', techniqueCount: 1 });
    const usersOf = async (technique: string) =>
      (await get(`/api/v1/threat-actors?technique=${technique}`)).items.map(
        (g: { attackId: string }) => g.attackId,
      );
    expect(await usersOf('T1685.001')).toContain('G9999');
    expect(await usersOf('T1562.001')).not.toContain('G9999');
  });

  it('hides revoked and deprecated techniques unless asked', async () => {
    const visible = (await get('/api/v1/techniques?limit=100')).items.map(
      (t: { attackId: string }) => t.attackId,
    );
    expect(visible).toEqual(['T1027', 'T1059', 'T1070', 'T1685', 'T1685.001']);
    expect((await get('/api/v1/techniques?includeDeprecated=true')).total).toBe(7);
  });
});
