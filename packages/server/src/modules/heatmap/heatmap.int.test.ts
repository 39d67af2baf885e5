import path from 'node:path';
import { NAVIGATOR_EXPORT_SCHEMA } from '@aegis/contracts';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { sql } from 'drizzle-orm';
import tinycolor from 'tinycolor2';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { ATTACK_18, importFile, realSubset } from '../../../test/attack-data';
import { signedInAs } from '../../../test/factories';
import { tempDir, testDbKind } from '../../../test/support';
import { recomputeCoverage } from '../coverage';
import { createScoresService } from '../scores';
import { gradientColor, SCORE_GRADIENT } from './layers';

/**
 * Heatmap layers on a cut of ATT&CK 18.1 with APT29 (G0016): each layer's cells against what the
 * data says, the filters, and bad layer names.
 */
const SUBSET = {
  techniques: ['T1059', 'T1566.001', 'T1486', 'T1021.002', 'T1595'],
  withSubtechniques: ['T1059'],
  groups: ['G0016'],
};

type Cell = {
  attackId: string;
  value: number | null;
  category: string | null;
  color: string | null;
  label: string;
  tactics: string[];
  inScope: boolean;
  isSubtechnique: boolean;
  parentId: string | null;
  id: string;
  detail: string;
};

describe(`heatmap layers on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const db = platform.database.db;
  await importFile(platform, realSubset(ATTACK_18, SUBSET, path.join(tempDir(), 'heatmap-18.1.json')));
  const viewer = await signedInAs(platform, app, 'viewer');
  const lead = await signedInAs(platform, app, 'blue_lead');
  const get = (url: string, who = viewer) => app.inject({ url: `/api/v1${url}`, headers: who.bearer });
  const cells = async (query: string, who = viewer) => {
    const res = await get(`/heatmap?${query}`, who);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    return { body, by: new Map<string, Cell>(body.techniques.map((c: Cell) => [c.attackId, c])) };
  };
  const idOf = async (attackId: string) =>
    (
      await db.execute<{ id: string }>(
        sql`select id from attack_objects where attack_id = ${attackId} and type = 'attack-pattern'`,
      )
    ).rows[0]?.id as string;

  // One validated, detected test on T1486; T1059.001 has a test in progress.
  const t1486 = await idOf('T1486');
  const t1059001 = await idOf('T1059.001');
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into test_cases (technique_id, title, state, outcome, execution_started_at, validated_at)
      values (${t1486}::uuid, 'Encrypt a share', 'validated', 'detected', now() - interval '2 days', now() - interval '1 day'),
             (${t1059001}::uuid, 'PowerShell download cradle', 'red_executing', null, null, null)`);
    await recomputeCoverage(tx, [t1486, t1059001], null);
  });
  await createScoresService({ db, config: platform.config }).recompute();

  it('gives the coverage layer of the whole matrix: statuses, colours, tactics in matrix order', async () => {
    const { body, by } = await cells('layer=coverage');
    const active = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from attack_objects where type = 'attack-pattern' and not revoked and not deprecated`,
    );
    expect(body.techniques).toHaveLength(active.rows[0]?.n as number);
    expect(body.counts).toMatchObject({ total: active.rows[0]?.n, shown: active.rows[0]?.n });
    expect(body.layer).toMatchObject({ name: 'coverage', kind: 'categorical', gradient: null });
    expect(by.get('T1486')).toMatchObject({ category: 'validated', color: '#8ec843', label: 'Validated' });
    expect(by.get('T1059.001')).toMatchObject({ category: 'in_progress', color: '#66b1ff' });
    expect(by.get('T1021.002')).toMatchObject({
      category: 'untested',
      color: '#d9d9d9',
      isSubtechnique: true,
    });
    expect(by.get('T1059')?.isSubtechnique).toBe(false);
    expect(by.get('T1059.001')?.parentId).toBe(by.get('T1059')?.id);
    // The validated status ranks highest (what sorting and the Navigator's score read).
    expect((by.get('T1486')?.value ?? 0) > (by.get('T1059.001')?.value ?? 0)).toBe(true);
    const order = await db.execute<{ shortname: string }>(
      sql`select shortname from attack_objects where type = 'x-mitre-tactic' and not deprecated order by matrix_order`,
    );
    expect(body.tactics.map((t: { shortname: string }) => t.shortname)).toEqual(
      order.rows.map((r) => r.shortname),
    );
    // Every technique sits in at least one tactic column of the matrix.
    const columns = new Set(body.tactics.map((t: { shortname: string }) => t.shortname));
    for (const c of body.techniques as Cell[]) expect(c.tactics.some((t) => columns.has(t))).toBe(true);
  });

  it('gives the score layer: parents their aggregate, sub-techniques their own, on the gradient', async () => {
    const { body, by } = await cells('layer=score');
    expect(body.layer.gradient).toEqual({ colors: [...SCORE_GRADIENT], minValue: 0, maxValue: 100 });
    const parent = (await get('/scores/techniques/T1059')).json();
    expect(by.get('T1059')?.value).toBeCloseTo(parent.aggregateScore.value, 9);
    const sub = (await get('/scores/techniques/T1059.001')).json();
    expect(by.get('T1059.001')?.value).toBeCloseTo(sub.ownScore.value, 9);
    const t = by.get('T1486') as Cell;
    expect(t.color).toBe(gradientColor(t.value as number, SCORE_GRADIENT));
    expect(t.detail).toMatch(/T \d\.\d\d · R/);
  });

  it('marks the techniques a threat actor uses; the others are empty', async () => {
    const used = await db.execute<{ attack_id: string }>(sql`
      select o.attack_id from attack_technique_uses u
        join attack_objects o on o.id = u.technique_id
        join attack_objects g on g.id = u.source_id and g.attack_id = 'G0016'`);
    const usedIds = new Set(used.rows.map((r) => r.attack_id));
    expect(usedIds.size).toBeGreaterThan(0);
    const { body, by } = await cells('layer=actor:G0016');
    expect(body.layer.title).toContain('APT29');
    for (const [attackId, c] of by) {
      if (!c.inScope) expect(c).toMatchObject({ value: null, label: 'Out of scope' });
      else if (usedIds.has(attackId)) expect(c.value).not.toBeNull();
      else expect(c).toMatchObject({ value: null, color: null, label: 'Not used by this actor' });
    }
    // The actor filter keeps only those techniques, on any layer.
    const filtered = await cells('layer=coverage&actor=G0016');
    expect(new Set(filtered.by.keys())).toEqual(usedIds);
    expect((await get('/heatmap?layer=actor:G9999')).statusCode).toBe(404);
  });

  it('colours the techniques a control maps by their coverage', async () => {
    await db.execute(sql`
      with c as (
        insert into compliance_controls (framework, control_id, name, content_hash)
        values ('nist-800-53-r5', 'CP-9', 'System Backup', 'x') returning id)
      insert into control_techniques (control_id, technique_id) select c.id, ${t1486}::uuid from c`);
    const { body, by } = await cells('layer=compliance:nist-800-53-r5:cp-9');
    expect(body.layer.title).toBe('Compliance: nist-800-53-r5 CP-9');
    expect(by.get('T1486')).toMatchObject({ category: 'validated', color: '#8ec843' });
    expect(by.get('T1486')?.detail).toContain('mapped by 1 control');
    expect(by.get('T1059')).toMatchObject({ value: null, label: 'Not mapped to the selected controls' });
    expect((await get('/heatmap?layer=compliance:cis-v8')).statusCode).toBe(404);
  });

  it('filters by tactic, status, tests and platform', async () => {
    const impact = await cells('layer=coverage&tactic=impact');
    expect(impact.body.tactics.map((t: { shortname: string }) => t.shortname)).toEqual(['impact']);
    for (const c of impact.body.techniques as Cell[]) expect(c.tactics).toContain('impact');
    expect(
      (await cells('layer=coverage&status=validated')).body.techniques.map((c: Cell) => c.attackId),
    ).toEqual(['T1486']);
    expect(
      (await cells('layer=coverage&hasTests=true')).body.techniques.map((c: Cell) => c.attackId).sort(),
    ).toEqual(['T1059.001', 'T1486']);
    const none = (await cells('layer=coverage&hasTests=false')).body;
    expect(none.counts.shown).toBe(none.counts.total - 2);
    const linux = (await cells('layer=coverage&platform=linux')).body.techniques as Cell[];
    expect(linux.length).toBeGreaterThan(0);
    expect(linux.length).toBeLessThan(none.counts.total);
  });

  it('shows what changed since a snapshot, to leads only', async () => {
    const snap = (
      await app.inject({
        method: 'POST',
        url: '/api/v1/snapshots',
        headers: lead.bearer,
        payload: { name: 'Base' },
      })
    ).json();
    const t1566 = await idOf('T1566.001');
    await db.transaction(async (tx) => {
      await tx.execute(sql`
        insert into test_cases (technique_id, title, state, outcome, execution_started_at, validated_at)
        values (${t1566}::uuid, 'Phish with a macro', 'validated', 'prevented', now() - interval '2 hours', now())`);
      await recomputeCoverage(tx, [t1566], null);
    });
    const layer = `snapshot-delta:${snap.id}:now`;
    expect((await get(`/heatmap?layer=${layer}`)).statusCode).toBe(403);
    const { body, by } = await cells(`layer=${layer}`, lead);
    expect(body.layer.title).toBe('Change: Base → Now');
    expect(by.get('T1566.001')).toMatchObject({ category: 'improved', color: '#8ec843' });
    expect(by.get('T1486')).toMatchObject({ category: 'unchanged' });
  });

  it('refuses unknown layers and missing arguments, naming the parameter', async () => {
    for (const layer of ['bogus', 'actor', 'score:extra', 'snapshot-delta:now', 'compliance:']) {
      const res = await get(`/heatmap?layer=${encodeURIComponent(layer)}`);
      expect(res.statusCode, layer).toBe(400);
      expect(JSON.stringify(res.json()), layer).toContain('layer');
    }
    expect((await get('/heatmap?domain=pre-attack')).statusCode).toBe(400);
    expect((await get('/heatmap?hasTests=yes')).statusCode).toBe(400);
    const catalog = (await get('/heatmap/layers')).json();
    expect(catalog.layers.map((l: { name: string }) => l.name)).toEqual([
      'coverage',
      'score',
      'actor',
      'compliance',
      'snapshot-delta',
      'snapshot',
      'claimed',
      'claimed-vs-validated',
    ]);
  });

  it('exports every kind of layer as Navigator 4.5 that passes the schema and the semantic checks', async () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    const validate = ajv.compile(NAVIGATOR_EXPORT_SCHEMA);
    const live = await db.execute<{ attack_id: string; tactics: string[]; platforms: string[] }>(sql`
      select attack_id, tactics, platforms from attack_objects
       where type = 'attack-pattern' and domain = 'enterprise-attack' and not revoked and not deprecated`);
    const tacticsOf = new Map(live.rows.map((r) => [r.attack_id, new Set(r.tactics)]));
    const domainPlatforms = new Set(live.rows.flatMap((r) => r.platforms));
    const snap = (await get('/snapshots?limit=1', lead)).json().items[0].id;
    const names = [
      'coverage',
      'score',
      'actor:G0016',
      'compliance:nist-800-53-r5:CP-9',
      `snapshot-delta:${snap}:now`,
    ];
    const res = await get(`/heatmap/export/navigator?layers=${encodeURIComponent(names.join(','))}`, lead);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="aegis-layers-\d{8}\.json"$/);
    const layers = res.json() as Array<
      Record<string, unknown> & { techniques: Array<Record<string, unknown>> }
    >;
    expect(layers).toHaveLength(names.length);
    for (const [i, layer] of layers.entries()) {
      const ok = validate(layer);
      expect(ok, `${names[i]}: ${JSON.stringify(validate.errors)}`).toBe(true);
      const g = layer.gradient as { minValue: number; maxValue: number; colors: string[] };
      expect(g.maxValue).toBeGreaterThan(g.minValue);
      expect(layer.versions).toEqual({ attack: '18', navigator: '5.1.0', layer: '4.5' });
      const seen = new Set<string>();
      for (const t of layer.techniques) {
        const id = t.techniqueID as string;
        expect(tacticsOf.get(id)?.has(t.tactic as string), `${id} in ${t.tactic}`).toBe(true);
        const key = `${id}^${t.tactic}`;
        expect(seen.has(key), key).toBe(false);
        seen.add(key);
        if (t.color) expect(tinycolor(t.color as string).isValid()).toBe(true);
      }
      for (const c of [
        ...g.colors,
        ...((layer.legendItems as Array<{ color: string }>) ?? []).map((l) => l.color),
      ])
        expect(tinycolor(c).isValid()).toBe(true);
      for (const p of (layer.filters as { platforms: string[] }).platforms)
        expect(domainPlatforms.has(p)).toBe(true);
      expect((layer.filters as { platforms: string[] }).platforms).not.toContain('PRE');
    }
    // One entry per in-scope technique and tactic of the matrix: the out-of-scope ones are left out.
    const matrix = (await get('/heatmap?layer=coverage')).json();
    const entries = (matrix.techniques as Cell[])
      .filter((c) => c.inScope)
      .reduce((n, c) => n + c.tactics.length, 0);
    expect(layers[0]?.techniques).toHaveLength(entries);
    const byId = (layer: (typeof layers)[number], id: string) =>
      layer.techniques.find((t) => t.techniqueID === id);
    // Categorical: the status colour; gradient: the own score with one decimal and no colour.
    expect(byId(layers[0] as never, 'T1486')).toMatchObject({ color: '#8ec843', tactic: 'impact' });
    const own = (await get('/scores/techniques/T1059')).json().ownScore.value as number;
    expect(byId(layers[1] as never, 'T1059')).toMatchObject({ score: Math.round(own * 10) / 10 });
    expect(byId(layers[1] as never, 'T1059')).not.toHaveProperty('color');
    expect(byId(layers[1] as never, 'T1059')?.links).toContainEqual({
      label: 'ATT&CK',
      url: 'https://attack.mitre.org/techniques/T1059/',
    });
    const one = await get('/heatmap/export/navigator?layers=score');
    expect(one.json()).toHaveProperty('name', 'Aegis — Score');
    expect(one.headers['content-disposition']).toMatch(/filename="aegis-score-\d{8}\.json"/);
    expect((await get('/heatmap/export/navigator?layers=score,,coverage')).statusCode).toBe(400);

    // A comparison as three layers: scores at the snapshot, scores now, and what changed.
    await createScoresService({ db, config: platform.config }).recompute();
    expect((await get(`/snapshots/compare/export/navigator?from=${snap}`)).statusCode).toBe(403);
    const cmp = await get(`/snapshots/compare/export/navigator?from=${snap}&to=now`, lead);
    expect(cmp.statusCode, cmp.body).toBe(200);
    expect(cmp.headers['content-disposition']).toMatch(/aegis-comparison-\d{8}\.json/);
    const [then, current, delta] = cmp.json() as Array<{
      name: string;
      techniques: Array<Record<string, unknown>>;
    }>;
    for (const layer of [then, current, delta])
      expect(validate(layer), JSON.stringify(validate.errors)).toBe(true);
    expect(then?.name).toBe('Aegis — Scores at Base');
    expect(delta?.name).toBe('Aegis — Change: Base → Now');
    // The snapshot layer holds the scores the snapshot froze, not today's.
    const compared = (await get(`/snapshots/compare?from=${snap}&to=now&all=true`, lead)).json();
    const t = compared.techniques.find((x: { attackId: string }) => x.attackId === 'T1566.001');
    const ownThen = (
      await db.execute<{ own_score: number }>(
        sql`select own_score from snapshot_techniques where snapshot_id = ${snap}::uuid and attack_id = 'T1566.001'`,
      )
    ).rows[0]?.own_score as number;
    expect(then?.techniques.find((x) => x.techniqueID === 'T1566.001')?.score).toBe(
      Math.round(ownThen * 10) / 10,
    );
    expect(t.from.score).not.toBe(t.to.score);
    const snapCells = await cells(`layer=snapshot:${snap}`, lead);
    expect(snapCells.by.get('T1566.001')?.value).toBeCloseTo(t.from.score, 9);
    expect((await get(`/heatmap?layer=snapshot:${snap}`)).statusCode).toBe(403);
    expect((await get('/heatmap?layer=snapshot:00000000-0000-4000-8000-000000000000', lead)).statusCode).toBe(
      404,
    );
  });
});
