import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { ATTACK_18, importFile, SHARED_DATA } from '../../../test/attack-data';
import { signedInAs } from '../../../test/factories';
import { testDbKind } from '../../../test/support';
import { recomputeCoverage } from '../coverage';

/**
 * Navigator layers imported as claimed coverage, on the whole of ATT&CK 18.1: the real layers of
 * shared/data/navigator against the expectations of analysis spec §3.6, entry by entry where the
 * spec names them; the edge files; the claimed layers on the heatmap; the round trip of our exports.
 */
const NAV = path.join(SHARED_DATA, 'navigator');
const file = (rel: string) => readFileSync(path.join(NAV, rel));

type Item = {
  originalTechniqueId: string;
  attackId: string | null;
  resolution: string;
  via: string[];
  originalTactic: string | null;
  tactic: string | null;
  score: number | null;
  normalisedScore: number | null;
  color: string | null;
  claimed: boolean;
  warnings: string[];
};
type Layer = {
  id: string | null;
  name: string;
  counts: Record<string, number>;
  warnings: Array<{ code: string; entry?: number }>;
  items: Item[];
  sourceFilename: string;
};

describe(`claimed layers on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const db = platform.database.db;
  await importFile(platform, ATTACK_18);
  const lead = await signedInAs(platform, app, 'red_lead');
  const viewer = await signedInAs(platform, app, 'viewer');
  const upload = (body: Buffer | string, query: string, who = lead) =>
    app.inject({
      method: 'POST',
      url: `/api/v1/layers/import?${query}`,
      headers: { ...who.bearer, 'content-type': 'application/json' },
      payload: body,
    });
  const preview = async (rel: string): Promise<Layer[]> => {
    const res = await upload(file(rel), `dryRun=true&filename=${encodeURIComponent(path.basename(rel))}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().layers;
  };

  // Spec §3.6: entries, active, revoked → resolved, deprecated, unknown, tactic dropped, collisions.
  it.each([
    ['samples/Bear_APT.json', 126, 126, 0, 0, 0, 0, 0],
    ['samples/heatmap_layer.json', 428, 424, 3, 1, 0, 0, 2],
    ['samples/ATTACKcon 2018/Black_Pins.json', 22, 8, 14, 0, 0, 1, 0],
    ['samples/ATTACKcon 2018/Blue_Pins.json', 32, 16, 13, 3, 0, 4, 0],
    ['samples/ATTACKcon 2018/Gold_Pins.json', 27, 18, 9, 0, 0, 2, 0],
    ['samples/ATTACKcon 2018/Red_Pins.json', 24, 13, 10, 1, 0, 2, 1],
    ['samples/ATTACKcon 2018/Submitter_Responses.json', 47, 16, 30, 1, 0, 9, 0],
    ['atomic-red-team-layers/art-navigator-layer-windows.json', 304, 296, 0, 0, 8, 0, 0],
    ['atomic-red-team-layers/art-navigator-layer.json', 380, 369, 0, 0, 11, 0, 0],
    ['atomic-red-team-layers/art-navigator-layer-esxi.json', 0, 0, 0, 0, 0, 0, 0],
  ] as const)(
    'resolves %s as the spec expects',
    async (rel, entries, active, revoked, deprecated, unknown, dropped, collisions) => {
      const [layer] = await preview(rel);
      expect(layer?.counts).toMatchObject({
        entries,
        active,
        revoked,
        deprecated,
        unknown,
        tacticDropped: dropped,
        collisions,
      });
      // Each count is the entries that carry it.
      const items = layer?.items ?? [];
      expect(
        items.filter((i) => i.resolution === 'revoked').every((i) => i.attackId && i.via.length >= 2),
      ).toBe(true);
      expect(items.filter((i) => i.warnings.includes('TACTIC_NOT_APPLICABLE'))).toHaveLength(dropped);
      expect(items.filter((i) => i.warnings.includes('DUPLICATE_AFTER_RESOLUTION'))).toHaveLength(collisions);
    },
  );

  it('follows revocation chains and names the ids the spec names', async () => {
    const [heat] = await preview('samples/heatmap_layer.json');
    const by = (id: string) => heat?.items.find((i) => i.originalTechniqueId === id);
    expect(by('T1053.001')).toMatchObject({ resolution: 'revoked', attackId: 'T1053.002' });
    expect(by('T1574.002')).toMatchObject({ resolution: 'revoked', attackId: 'T1574.001' });
    expect(by('T1547.011')).toMatchObject({ resolution: 'revoked', attackId: 'T1647' });
    expect(by('T1053.004')).toMatchObject({ resolution: 'deprecated', attackId: null, claimed: false });
    // heatmap_layer.json has no gradient: 0–100, so a score is its own normalised score.
    expect(heat?.items.every((i) => i.score === null || i.normalisedScore === i.score)).toBe(true);
    const [submitters] = await preview('samples/ATTACKcon 2018/Submitter_Responses.json');
    expect(submitters?.items.find((i) => i.originalTechniqueId === 'T1073')).toMatchObject({
      resolution: 'revoked',
      via: ['T1073', 'T1574.002', 'T1574.001'],
      attackId: 'T1574.001',
    });
    const [red] = await preview('samples/ATTACKcon 2018/Red_Pins.json');
    for (const id of ['T1024', 'T1079'])
      expect(red?.items.find((i) => i.originalTechniqueId === id)).toMatchObject({ attackId: 'T1573' });
    expect(red?.items.find((i) => i.originalTechniqueId === 'T1062')?.resolution).toBe('deprecated');
    const [windows] = await preview('atomic-red-team-layers/art-navigator-layer-windows.json');
    expect(
      windows?.items
        .filter((i) => i.resolution === 'unknown')
        .map((i) => i.originalTechniqueId)
        .sort(),
    ).toEqual(['T1027.018', 'T1685', 'T1685.001', 'T1685.005', 'T1686', 'T1688', 'T1689', 'T1690']);
    // ART layers declare ATT&CK 18: not newer than what is loaded.
    expect(windows?.warnings.map((w) => w.code)).not.toContain('LAYER_NEWER_THAN_KNOWLEDGE_BASE');
  });

  it('reads the edge files: an array of two, a text score, a bad colour, a missing name, not JSON', async () => {
    const two = [
      {
        name: 'One',
        domain: 'enterprise-attack',
        versions: { layer: '4.5', attack: '19' },
        techniques: [{ techniqueID: 'T1059', score: '50' }],
      },
      {
        name: 'Two',
        domain: 'mitre-enterprise',
        version: '3.0',
        techniques: [{ techniqueID: 't1486', color: '#defa217' }],
      },
    ];
    const res = await upload(JSON.stringify(two), 'dryRun=true');
    expect(res.statusCode, res.body).toBe(200);
    const [one, second] = res.json().layers as Layer[];
    expect(one?.items[0]).toMatchObject({ score: 50, normalisedScore: 50, warnings: ['SCORE_COERCED'] });
    expect(one?.warnings.map((w) => w.code)).toEqual(['SCORE_COERCED', 'LAYER_NEWER_THAN_KNOWLEDGE_BASE']);
    expect(second?.items[0]).toMatchObject({
      originalTechniqueId: 'T1486',
      color: null,
      resolution: 'active',
    });
    expect(second?.warnings.map((w) => w.code).sort()).toEqual(['COLOR_INVALID', 'TECHNIQUE_ID_LOWERCASE']);
    const nameless = await upload(JSON.stringify([two[0], { domain: 'enterprise-attack' }]), '');
    expect(nameless.statusCode).toBe(400);
    expect(JSON.stringify(nameless.json())).toContain('file[1].name');
    const domainless = await upload(JSON.stringify({ name: 'x' }), '');
    expect(JSON.stringify(domainless.json())).toContain('domain');
    const notJson = await upload('<html>not a layer</html>', '');
    expect(notJson.statusCode).toBe(400);
    expect(JSON.stringify(notJson.json())).toContain('not JSON');
    const many = {
      name: 'Huge',
      domain: 'enterprise-attack',
      techniques: Array.from({ length: 100_000 }, () => ({ techniqueID: 'T1059' })),
    };
    const huge = await upload(JSON.stringify(many), '');
    expect(huge.statusCode).toBe(400);
    expect(JSON.stringify(huge.json())).toContain('at most 10000');
    const big = await upload(Buffer.alloc(50 * 1024 * 1024, 32), '');
    expect(big.statusCode).toBe(413);
    const count = await db.execute<{ n: number }>(sql`select count(*)::int as n from claimed_layers`);
    expect(count.rows[0]?.n).toBe(0);
  });

  it('applies a layer in one transaction; claims feed the heatmap and never coverage or scores', async () => {
    const before = (await app.inject({ url: '/api/v1/coverage', headers: lead.bearer })).json();
    expect((await upload(file('samples/Bear_APT.json'), 'filename=Bear_APT.json', viewer)).statusCode).toBe(
      403,
    );
    const res = await upload(
      file('samples/ATTACKcon 2018/Red_Pins.json'),
      `filename=${encodeURIComponent('ATTACKcon 2018/Red_Pins.json')}`,
    );
    expect(res.statusCode, res.body).toBe(201);
    const [layer] = res.json().layers as Layer[];
    expect(layer).toMatchObject({ name: 'Red Pins', sourceFilename: 'ATTACKcon 2018/Red_Pins.json' });
    expect(layer?.id).toBeTruthy();
    const list = (await app.inject({ url: '/api/v1/layers', headers: viewer.bearer })).json();
    expect(list.items.map((l: Layer) => l.id)).toEqual([layer?.id]);
    // Red Pins: gradient 1–8 (scores normalised on it); T1024 and T1079 both claim T1573 (the highest wins).
    const t1573 = layer?.items.filter((i) => i.attackId === 'T1573') ?? [];
    expect(t1573).toHaveLength(2);
    const heat = (
      await app.inject({ url: `/api/v1/heatmap?layer=claimed:${layer?.id}`, headers: viewer.bearer })
    ).json();
    const cell = heat.techniques.find((t: { attackId: string }) => t.attackId === 'T1573');
    expect(cell.value).toBe(
      Math.max(...t1573.filter((i) => i.claimed).map((i) => i.normalisedScore as number)),
    );
    expect(heat.techniques.find((t: { attackId: string }) => t.attackId === 'T1486')).toMatchObject({
      label: 'Not claimed',
    });
    // A claimed technique that is validated too, one that is only claimed, one only validated.
    const ids = await db.execute<{ id: string; attack_id: string }>(
      sql`select id, attack_id from attack_objects where attack_id in ('T1573', 'T1486') and type = 'attack-pattern' and not revoked`,
    );
    const idOf = (a: string) => ids.rows.find((r) => r.attack_id === a)?.id as string;
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into test_cases (technique_id, title, state, outcome, execution_started_at, validated_at)
        values (${idOf('T1573')}::uuid, 'C2 over TLS', 'validated', 'detected', now() - interval '1 day', now()),
               (${idOf('T1486')}::uuid, 'Encrypt a share', 'validated', 'detected', now() - interval '1 day', now())`);
      await recomputeCoverage(tx, [idOf('T1573'), idOf('T1486')], null);
    });
    const cv = (
      await app.inject({ url: '/api/v1/heatmap?layer=claimed-vs-validated', headers: viewer.bearer })
    ).json();
    const cat = (a: string) => cv.techniques.find((t: { attackId: string }) => t.attackId === a)?.category;
    expect(cat('T1573')).toBe('both');
    expect(cat('T1486')).toBe('unclaimed');
    const gap = layer?.items.find((i) => i.claimed && i.attackId !== 'T1573')?.attackId as string;
    expect(cat(gap)).toBe('evidence_gap');
    // Claims changed no coverage: the only moves are the two validations above.
    const after = (await app.inject({ url: '/api/v1/coverage', headers: lead.bearer })).json();
    expect(after.total).toBe(before.total);
    // Delete: the layer and its items go, audited.
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/layers/${layer?.id}`, headers: viewer.bearer }))
        .statusCode,
    ).toBe(403);
    expect(
      (await app.inject({ method: 'DELETE', url: `/api/v1/layers/${layer?.id}`, headers: lead.bearer }))
        .statusCode,
    ).toBe(204);
    const left = await db.execute<{ n: number }>(sql`select count(*)::int as n from claimed_layer_items`);
    expect(left.rows[0]?.n).toBe(0);
  });

  it('resolves an entry again once the knowledge base knows it', async () => {
    const res = await upload(
      JSON.stringify({
        name: 'v19 ids',
        domain: 'enterprise-attack',
        techniques: [{ techniqueID: 'T1685', score: 80 }],
      }),
      'filename=v19.json',
    );
    const [layer] = res.json().layers as Layer[];
    expect(layer?.items[0]).toMatchObject({ resolution: 'unknown', claimed: false });
    // As an ATT&CK import would add it.
    await db.execute(sql`
      insert into attack_objects (domain, stix_id, type, attack_id, name, tactics, platforms, content_hash)
      values ('enterprise-attack', 'attack-pattern--0000aaaa-0000-4000-8000-000000001685', 'attack-pattern', 'T1685',
              'Disable or Modify Tools', '{defense-impairment}', '{Windows}', 'x')`);
    const again = await app.inject({
      method: 'POST',
      url: `/api/v1/layers/${layer?.id}/reresolve`,
      headers: lead.bearer,
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().items[0]).toMatchObject({ resolution: 'active', attackId: 'T1685', claimed: true });
    expect(again.json().counts).toMatchObject({ unknown: 0, active: 1, claimed: 1 });
  });

  it('round-trips every exported layer: active entries, no warnings, the scores it exported', async () => {
    const snap = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/snapshots',
        headers: lead.bearer,
        payload: { name: 'Round trip' },
      })
    ).json().id as string;
    const kinds = [
      'coverage',
      'score',
      'actor:G0016',
      `snapshot:${snap}`,
      `snapshot-delta:${snap}:now`,
      'claimed-vs-validated',
    ];
    for (const name of kinds) {
      const exported = await app.inject({
        url: `/api/v1/heatmap/export/navigator?layers=${encodeURIComponent(name)}`,
        headers: lead.bearer,
      });
      expect(exported.statusCode, exported.body).toBe(200);
      const layer = exported.json() as {
        techniques: Array<{ techniqueID: string; tactic: string; score?: number }>;
        gradient: { minValue: number; maxValue: number };
      };
      const res = await upload(exported.body, `dryRun=true&filename=aegis-${name}.json`);
      expect(res.statusCode, res.body).toBe(200);
      const [back] = res.json().layers as Layer[];
      expect(back?.warnings, name).toEqual([]);
      expect(back?.counts.entries).toBe(layer.techniques.length);
      expect(back?.counts.active).toBe(layer.techniques.length);
      const { minValue: min, maxValue: max } = layer.gradient;
      for (const [i, t] of layer.techniques.entries()) {
        const item = back?.items[i] as Item;
        expect(item).toMatchObject({ attackId: t.techniqueID, tactic: t.tactic, resolution: 'active' });
        expect(item.normalisedScore).toBe(
          t.score === undefined ? null : ((t.score - min) * 100) / (max - min),
        );
      }
    }
  });
});
