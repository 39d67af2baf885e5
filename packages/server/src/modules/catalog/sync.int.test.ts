import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ListTestTemplatesQuery } from '@aegis/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACK_18, importFile, SHARED_DATA } from '../../../test/attack-data';
import { startTestPlatform, tempDir, testDbKind } from '../../../test/support';
import type { Platform } from '../../platform';
import { readArchive } from '../sources/archive';
import { moveCatalogMappings } from './catalog.movers';
import { dataSources } from './catalog.schema';
import { ensureDataSources } from './data-sources.service';
import { type AdapterOutput, definitionOf, runAdapter } from './registry';
import { loadSourceFiles, SOURCE_ARCHIVE_LIMITS, SyncFailedError, syncSource } from './sync';
import { findSourceByKey, type SyncRunRow, updateSource } from './sync.queries';

const SIGMA = path.join(SHARED_DATA, 'sigma');
const actor = { userId: null, username: 'test', ip: null, requestId: null };
const ref = { stixId: 'attack-pattern--x', attackId: null, name: 'x' };
const timings: string[] = [];
const templatesOf = (o: AdapterOutput) => (o.kind === 'templates' ? o.result.items : []);

/** A local web server handing out the real Sigma archives (the "public URL" source, on 127.0.0.1). */
async function archiveServer(): Promise<string> {
  const server = createServer((req, res) => {
    const name = path.basename(req.url ?? '');
    if (!/^rules[a-z-]*\.tar\.gz$/.test(name)) {
      res.writeHead(404).end();
      return;
    }
    const body = readFileSync(path.join(SIGMA, name));
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe(`catalog sync from the real shared data on ${testDbKind}`, () => {
  let platform: Platform;
  let base: string;

  beforeAll(async () => {
    platform = await startTestPlatform();
    await importFile(platform, ATTACK_18);
    // The platform seeded the 11 sources at start; seeding again adds nothing.
    expect(await ensureDataSources(platform.database.db)).toBe(0);
    const seeded = await platform.database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from data_sources`,
    );
    expect(seeded.rows[0]?.n).toBe(11);
    base = await archiveServer();
  }, 120_000);

  afterAll(() => {
    // Sync times per source, printed on demand (CATALOG_TIMINGS=1) for benchmarks and reports.
    if (process.env.CATALOG_TIMINGS) process.stdout.write(`${timings.join('\n')}\n`);
  });

  const db = () => platform.database.db;
  const deps = () => ({ db: db(), storage: platform.storage, logger: platform.logger });

  async function pointAt(key: string, locationType: 'url' | 'folder', location: string) {
    const source = await findSourceByKey(db(), key);
    if (!source) throw new Error(`no source ${key}`);
    await updateSource(db(), source.id, { locationType, location });
    return source;
  }

  /** A source of its own (same adapter as a seeded one), so a fixture never disturbs the real data's rows. */
  async function addSource(key: string, adapter: string, folder: string) {
    await db()
      .insert(dataSources)
      .values({ key, name: key, kind: 'templates', adapter, locationType: 'folder', location: folder });
  }

  async function sync(key: string): Promise<SyncRunRow> {
    const source = await findSourceByKey(db(), key);
    if (!source) throw new Error(`no source ${key}`);
    const started = Date.now();
    const run = await syncSource(deps(), { sourceId: source.id, actor });
    timings.push(
      `${testDbKind} ${key}: ${Date.now() - started} ms (${run.itemCount} items, ${JSON.stringify(run.counts)})`,
    );
    return run;
  }

  /** What the adapter alone makes of the same location: the independent figure the stored rows must match. */
  async function adapterOutput(
    key: string,
    type: 'url' | 'folder',
    location: string,
  ): Promise<AdapterOutput> {
    const source = await findSourceByKey(db(), key);
    const def = source && definitionOf(source);
    if (!source || !def) throw new Error(`no source ${key}`);
    return runAdapter(source.adapter, await loadSourceFiles(deps(), def, { type, value: location }));
  }

  const rowsOf = async (table: string, where: string) =>
    Number(
      (await db().execute<{ n: number }>(sql.raw(`select count(*)::int as n from ${table} where ${where}`)))
        .rows[0]?.n,
    );

  it.each([
    ['atomic-red-team', 'atomic-red-team', 'test_templates', "source = 'atomic-red-team'"],
    ['caldera', 'caldera', 'test_templates', "source = 'caldera'"],
    ['gtfobins', 'gtfobins', 'test_templates', "source = 'gtfobins'"],
    ['lolbas', 'lolbas', 'test_templates', "source = 'lolbas'"],
    ['elastic', 'elastic-rules', 'detection_rules', "source = 'elastic'"],
    ['d3fend', 'd3fend', 'd3fend_techniques', 'true'],
    ['nist-800-53-r5', 'compliance/nist-800-53', 'compliance_controls', "framework = 'nist-800-53-r5'"],
    ['cis-v8', 'compliance/cis-v8', 'compliance_controls', "framework = 'cis-v8'"],
  ])(
    'syncs %s from its shared folder: every adapter item stored, files reported, re-sync all unchanged',
    async (key, folder, table, where) => {
      const location = path.join(SHARED_DATA, folder);
      await pointAt(key, 'folder', location);
      const expected = await adapterOutput(key, 'folder', location);
      const items = expected.result.items.length;
      expect(items).toBeGreaterThan(0);

      const first = await sync(key);
      expect(first.status).toBe('succeeded');
      expect(first.counts).toEqual({ added: items, updated: 0, removed: 0, unchanged: 0 });
      expect(first.errors).toEqual(expected.result.errors);
      expect(await rowsOf(table, `${where} and removed_at is null`)).toBe(items);

      const again = await sync(key);
      expect(again.counts).toEqual({ added: 0, updated: 0, removed: 0, unchanged: items });

      const source = await findSourceByKey(db(), key);
      expect(source).toMatchObject({ status: 'succeeded', lastError: null });
      expect(source?.counts).toMatchObject({ items, unchanged: items });
    },
    180_000,
  );

  it('stores what MANIFEST.md counts independently: atomic tests, CALDERA abilities, CIS safeguards', async () => {
    const manifest: Array<[string, string, string, number]> = [
      ['atomic-red-team', 'atomic-red-team', "source = 'atomic-red-team'", 1819],
      ['caldera', 'caldera', "source = 'caldera'", 209],
      ['cis-v8', 'compliance/cis-v8', "framework = 'cis-v8'", 105],
    ];
    for (const [key, folder, where, expected] of manifest) {
      await pointAt(key, 'folder', path.join(SHARED_DATA, folder));
      await sync(key);
      const table = key === 'cis-v8' ? 'compliance_controls' : 'test_templates';
      expect(await rowsOf(table, `${where} and removed_at is null`), key).toBe(expected);
    }
    expect(await rowsOf('audit_logs', "action = 'data_source.sync'")).toBeGreaterThanOrEqual(3);
    const pairs = await db().execute<{ n: number }>(sql`
      select count(*)::int as n from control_techniques m join compliance_controls c on c.id = m.control_id
       where c.framework = 'cis-v8'`);
    // 2,918 technique↔safeguard pairs upstream (v14-era ids): ids revoked since collapse onto their successors.
    expect(Number(pairs.rows[0]?.n)).toBeGreaterThan(2500);
    expect(Number(pairs.rows[0]?.n)).toBeLessThanOrEqual(2918);
  }, 120_000);

  it.each([
    ['sigma', 'rules.tar.gz', 3141],
    ['sigma-emerging-threats', 'rules-emerging-threats.tar.gz', 473],
    ['sigma-threat-hunting', 'rules-threat-hunting.tar.gz', 140],
  ])(
    'syncs %s from an archive URL on a local server, authors kept',
    async (key, archive, files) => {
      const url = `${base}/${archive}`;
      await pointAt(key, 'url', url);
      const tree = await readArchive(readFileSync(path.join(SIGMA, archive)), SOURCE_ARCHIVE_LIMITS);
      expect(tree.filter((f) => f.path.endsWith('.yml'))).toHaveLength(files);
      const expected = await adapterOutput(key, 'url', url);

      const run = await sync(key);
      expect(run.status).toBe('succeeded');
      expect(run.counts?.added).toBe(expected.result.items.length);
      expect(run.errors).toHaveLength(expected.result.errors.length);
      const authored = await rowsOf('detection_rules', `source = '${key}' and author is not null`);
      const withAuthor =
        expected.kind === 'rules' ? expected.result.items.filter((i) => i.author).length : -1;
      expect(authored).toBe(withAuthor);
      // Every rule with an ATT&CK tag is linked, or names the ids the release does not know.
      const tagged = await rowsOf(
        'detection_rules r',
        `source = '${key}' and not exists (select 1 from rule_techniques m where m.rule_id = r.id) and unresolved_attack_ids = '{}' and exists (select 1 from unnest(tags) t where t ~* '^attack\\.t[0-9]{4}')`,
      );
      expect(tagged).toBe(0);
    },
    180_000,
  );

  it('re-syncs the core Sigma archive unchanged (it is synced by the test above when run alone too)', async () => {
    await pointAt('sigma', 'url', `${base}/rules.tar.gz`);
    const first = await sync('sigma');
    const again = await sync('sigma');
    const total = (first.counts?.added ?? 0) + (first.counts?.unchanged ?? 0);
    expect(total).toBeGreaterThan(3000);
    expect(again.counts).toEqual({ added: 0, updated: 0, removed: 0, unchanged: total });
  }, 180_000);

  it('updates an edited entry, marks a removed one, reports a broken file and imports the rest', async () => {
    const dir = tempDir('aegis-lolbas-');
    const src = path.join(SHARED_DATA, 'lolbas/yml/OSBinaries');
    const names = readdirSync(src).sort().slice(0, 6);
    mkdirSync(path.join(dir, 'yml/OSBinaries'), { recursive: true });
    for (const name of names) cpSync(path.join(src, name), path.join(dir, 'yml/OSBinaries', name));
    await addSource('lolbas-fixture', 'lolbas', dir);
    const expected = await adapterOutput('lolbas-fixture', 'folder', dir);
    const first = await sync('lolbas-fixture');
    expect(first.counts).toMatchObject({ added: expected.result.items.length, removed: 0 });

    const [edited, removed] = names as [string, string];
    const editedPath = path.join(dir, 'yml/OSBinaries', edited);
    writeFileSync(
      editedPath,
      readFileSync(editedPath, 'utf8').replace(/^Description: (.*)$/m, 'Description: $1 (edited locally)'),
    );
    const removedTemplates = templatesOf(expected).filter((i) => i.path.endsWith(removed)).length;
    rmSync(path.join(dir, 'yml/OSBinaries', removed));
    writeFileSync(path.join(dir, 'yml/OSBinaries/Broken.yml'), 'Name: Broken\nCommands: [unclosed\n');

    const second = await sync('lolbas-fixture');
    expect(second.status).toBe('succeeded');
    // The entry's description is part of every one of its commands' templates.
    const editedCommands = templatesOf(expected).filter((i) => i.path.endsWith(edited)).length;
    expect(second.counts).toEqual({
      added: 0,
      updated: editedCommands,
      removed: removedTemplates,
      unchanged: expected.result.items.length - editedCommands - removedTemplates,
    });
    expect(second.errors.map((e) => e.path)).toEqual(['yml/OSBinaries/Broken.yml']);
    expect(await rowsOf('test_templates', `source = 'lolbas-fixture' and removed_at is not null`)).toBe(
      removedTemplates,
    );

    // Back upstream: the removed entry is restored (counted as updated), the broken file still reported.
    cpSync(path.join(src, removed), path.join(dir, 'yml/OSBinaries', removed));
    const third = await sync('lolbas-fixture');
    expect(third.counts).toMatchObject({ added: 0, updated: removedTemplates, removed: 0 });
    expect(await rowsOf('test_templates', `source = 'lolbas-fixture' and removed_at is not null`)).toBe(0);
  }, 120_000);

  it('resolves a revoked ATT&CK id to the revoking technique and keeps (and reports) unknown ids', async () => {
    const dir = tempDir('aegis-art-');
    const original = readFileSync(
      path.join(SHARED_DATA, 'atomic-red-team/atomics/T1574.001/T1574.001.yaml'),
      'utf8',
    );
    const copy = (attackId: string) => {
      mkdirSync(path.join(dir, 'atomics', attackId), { recursive: true });
      const text = original
        .replace(/^attack_technique: .*$/m, `attack_technique: ${attackId}`)
        .replace(/auto_generated_guid: [0-9a-f-]+/g, () => `auto_generated_guid: ${randomUUID()}`);
      writeFileSync(path.join(dir, 'atomics', attackId, `${attackId}.yaml`), text);
    };
    copy('T1574.002');
    copy('T9999');
    await addSource('art-fixture', 'atomic-red-team', dir);
    const run = await sync('art-fixture');
    expect(run.unresolvedAttackIds).toEqual(['T9999']);
    const mapped = await db().execute<{ attack_id: string; unresolved: string[]; n: number }>(sql`
      select o.attack_id, t.unresolved_attack_ids as unresolved, count(*)::int as n
        from test_templates t
        left join template_techniques m on m.template_id = t.id
        left join attack_objects o on o.id = m.technique_id
       where t.source = 'art-fixture' group by 1, 2 order by 1 nulls last`);
    expect(mapped.rows.map((r) => [r.attack_id, r.unresolved])).toEqual([
      ['T1574.001', []],
      [null, ['T9999']],
    ]);
    // List rows say which ids the loaded release lacks (the web explains them instead of a bare "—").
    const listed = await platform.services.catalog.templates.list(
      ListTestTemplatesQuery.parse({ source: 'art-fixture', limit: 10 }),
    );
    expect(listed.items.map((t) => [t.techniques.map((x) => x.attackId), t.unresolvedAttackIds])).toEqual(
      expect.arrayContaining([
        [['T1574.001'], []],
        [[], ['T9999']],
      ]),
    );
  }, 60_000);

  it('moves catalog mappings from a revoked technique to its successor without duplicate pairs', async () => {
    // Two techniques of its own, so no other test's rows are moved.
    const ids = await db().execute<{ id: string; attack_id: string }>(sql`
      insert into attack_objects (domain, stix_id, type, attack_id, name, content_hash)
      values ('enterprise-attack', ${`attack-pattern--${randomUUID()}`}, 'attack-pattern', 'T0001', 'Old', 'x'),
             ('enterprise-attack', ${`attack-pattern--${randomUUID()}`}, 'attack-pattern', 'T0002', 'New', 'x')
      returning id, attack_id`);
    const from = ids.rows.find((r) => r.attack_id === 'T0001')?.id;
    const to = ids.rows.find((r) => r.attack_id === 'T0002')?.id;
    if (!from || !to) throw new Error('techniques missing');
    await addSource('mover-fixture', 'atomic-red-team', tempDir());
    const templates = await db().execute<{ id: string }>(sql`
      insert into test_templates (source, source_id, name, content_hash)
      values ('mover-fixture', 'both', 'mapped to both', 'x'), ('mover-fixture', 'one', 'mapped to one', 'x')
      returning id`);
    const [both, one] = templates.rows.map((r) => r.id) as [string, string];
    await db().execute(sql`
      insert into template_techniques (template_id, technique_id)
      values (${both}::uuid, ${from}::uuid), (${both}::uuid, ${to}::uuid), (${one}::uuid, ${from}::uuid)`);

    const result = await db().transaction((tx) =>
      moveCatalogMappings(tx, [{ fromId: from, toId: to, from: ref, to: ref }]),
    );
    expect(result).toEqual({ what: 'catalog mappings', moved: 2 });
    const after = await db().execute<{ template_id: string; technique_id: string }>(sql`
      select template_id, technique_id from template_techniques
       where template_id in (${both}::uuid, ${one}::uuid) order by template_id`);
    expect(after.rows.map((r) => r.technique_id)).toEqual([to, to]);
  });

  it('fails a sync whose location is gone, marks the source failed and keeps its rows', async () => {
    await pointAt('caldera', 'folder', path.join(SHARED_DATA, 'caldera'));
    await sync('caldera');
    const before = await rowsOf('test_templates', "source = 'caldera' and removed_at is null");
    const missing = path.join(tempDir(), 'nowhere');
    const source = await pointAt('caldera', 'folder', missing);
    const error = await syncSource(deps(), { sourceId: source.id, actor }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncFailedError);
    expect((error as SyncFailedError).run).toMatchObject({ status: 'failed' });
    expect(await findSourceByKey(db(), 'caldera')).toMatchObject({ status: 'failed' });
    expect((await findSourceByKey(db(), 'caldera'))?.lastError).toContain('nowhere');
    expect(await rowsOf('test_templates', "source = 'caldera' and removed_at is null")).toBe(before);
  }, 120_000);
});
