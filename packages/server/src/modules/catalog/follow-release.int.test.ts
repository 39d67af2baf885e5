import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ATTACK_16,
  ATTACK_18,
  attackIdOf,
  importFile,
  rawObjects,
  SHARED_DATA,
} from '../../../test/attack-data';
import { startTestPlatform, testDbKind } from '../../../test/support';
import type { Platform } from '../../platform';
import { type AdapterOutput, definitionOf, runAdapter } from './registry';
import { loadSourceFiles, syncSource } from './sync';
import { findSourceByKey, resolveAttackIds, updateSource } from './sync.queries';
import { templateStats } from './templates.queries';

const actor = { userId: null, username: 'test', ip: null, requestId: null };

/** Technique ids (live or revoked) a bundle knows, straight from its objects. */
const techniqueIdsOf = (file: string) =>
  new Set(
    rawObjects(file)
      .filter((o) => o.type === 'attack-pattern')
      .map((o) => attackIdOf(o)?.toUpperCase())
      .filter((id): id is string => id !== undefined),
  );
/** Tactic shortnames of a bundle. */
const tacticsOf = (file: string) =>
  new Set(
    rawObjects(file).flatMap((o) => (o.type === 'x-mitre-tactic' ? [o.x_mitre_shortname as string] : [])),
  );

/**
 * The catalog follows the loaded ATT&CK release (ADR 12): synced while 16.1 was loaded, it resolves the
 * ids 18.1 adds, and its template tactics become 18.1's, as soon as 18.1 is imported — no re-sync.
 */
describe(`the catalog follows an ATT&CK upgrade on ${testDbKind}`, () => {
  let platform: Platform;
  const outputs = new Map<string, AdapterOutput>();
  /** Per source: rows that kept ids 18.1 adds, and how many rows each such id is on. */
  const before = new Map<string, { rows: number; ids: Record<string, number> }>();
  let followed: unknown;

  const db = () => platform.database.db;
  const deps = () => ({ db: db(), storage: platform.storage, logger: platform.logger });
  const unresolvedRows = async (table: string, source: string) =>
    (
      await db().execute<{ source_id: string; ids: string[] }>(
        sql`select source_id, unresolved_attack_ids as ids from ${sql.raw(table)}
             where source = ${source} and cardinality(unresolved_attack_ids) > 0`,
      )
    ).rows;

  /** Points a source at a location (a folder, or an archive kept as an upload) and syncs it. */
  async function sync(key: string, location: { type: 'folder' | 'upload'; value: string }) {
    const source = await findSourceByKey(db(), key);
    const def = source && definitionOf(source);
    if (!source || !def) throw new Error(`no source ${key}`);
    await updateSource(db(), source.id, { locationType: location.type, location: location.value });
    outputs.set(key, runAdapter(source.adapter, await loadSourceFiles(deps(), def, location)));
    const run = await syncSource(deps(), { sourceId: source.id, actor });
    expect(run.status).toBe('succeeded');
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    await importFile(platform, ATTACK_16);
    await sync('atomic-red-team', { type: 'folder', value: path.join(SHARED_DATA, 'atomic-red-team') });
    await platform.storage.put(
      'catalog/sigma-rules.tar.gz',
      Readable.from([readFileSync(path.join(SHARED_DATA, 'sigma', 'rules.tar.gz'))]),
      { contentType: 'application/gzip' },
    );
    await sync('sigma', { type: 'upload', value: 'catalog/sigma-rules.tar.gz' });
    const newIn18 = techniqueIdsOf(ATTACK_18);
    for (const id of techniqueIdsOf(ATTACK_16)) newIn18.delete(id);
    for (const [table, source] of [
      ['test_templates', 'atomic-red-team'],
      ['detection_rules', 'sigma'],
    ] as const) {
      const rows = await unresolvedRows(table, source);
      const waiting = rows.filter((r) => r.ids.some((id) => newIn18.has(id.toUpperCase())));
      const ids: Record<string, number> = {};
      for (const r of waiting)
        for (const id of r.ids) if (newIn18.has(id.toUpperCase())) ids[id] = (ids[id] ?? 0) + 1;
      before.set(source, { rows: waiting.length, ids });
    }
    followed = (await importFile(platform, ATTACK_18)).counts.followed;
  }, 240_000);

  it('resolves the ids 18.1 adds that rows synced on 16.1 kept unresolved (16 Atomic tests, 60 Sigma rules)', async () => {
    expect(before.get('atomic-red-team')).toEqual({
      rows: 16,
      ids: { 'T1569.003': 8, 'T1546.018': 5, 'T1204.004': 1, T1680: 2 },
    });
    // The audit's 43 are the rules tagged T1219.002; the core rule set has 60 such rules in all.
    expect(before.get('sigma')).toEqual({
      rows: 60,
      ids: { 'T1219.002': 43, 'T1059.012': 9, 'T1176.001': 2, 'T1204.004': 6 },
    });
    expect(followed).toEqual([
      { what: 'catalog', counts: expect.objectContaining({ resolvedRows: 16 + 60, movedMappings: 0 }) },
      { what: 'claimed layers', counts: { reresolved: 0 } },
    ]);
    const known18 = techniqueIdsOf(ATTACK_18);
    for (const [table, source] of [
      ['test_templates', 'atomic-red-team'],
      ['detection_rules', 'sigma'],
    ] as const) {
      const still = (await unresolvedRows(table, source)).filter((r) =>
        r.ids.some((id) => known18.has(id.toUpperCase())),
      );
      expect(still, source).toEqual([]);
    }
    const mapped = await db().execute<{ attack_id: string; n: number }>(sql`
      select o.attack_id, count(*)::int as n from template_techniques m
        join attack_objects o on o.id = m.technique_id
       where o.attack_id in ('T1569.003', 'T1680') group by 1 order by 1`);
    expect(mapped.rows.map((r) => r.attack_id)).toEqual(['T1569.003', 'T1680']);
  });

  it('leaves every mapping as a fresh sync on 18.1 would', async () => {
    for (const [key, table, mapping, owner] of [
      ['atomic-red-team', 'test_templates', 'template_techniques', 'template_id'],
      ['sigma', 'detection_rules', 'rule_techniques', 'rule_id'],
    ] as const) {
      const output = outputs.get(key);
      const items = output?.result.items as Array<{ sourceId: string; attackIds: string[] }>;
      const resolutions = await resolveAttackIds(db(), [...new Set(items.flatMap((i) => i.attackIds))]);
      const techniqueOf = new Map(resolutions.map((r) => [r.attackId, r.techniqueId]));
      const expected = new Set(
        items.flatMap((i) =>
          i.attackIds.flatMap((id) => {
            const t = techniqueOf.get(id.toUpperCase());
            return t ? [`${i.sourceId} ${t}`] : [];
          }),
        ),
      );
      const stored = await db().execute<{ pair: string }>(sql`
        select x.source_id || ' ' || m.technique_id as pair
          from ${sql.raw(mapping)} m join ${sql.raw(table)} x on x.id = m.${sql.raw(owner)}
         where x.source = ${key}`);
      expect(new Set(stored.rows.map((r) => r.pair)), key).toEqual(expected);
    }
  });

  it("gives templates 18.1's tactics of their techniques and keeps upstream's as source tactics", async () => {
    const tactics18 = tacticsOf(ATTACK_18);
    expect(tactics18.has('stealth')).toBe(false);
    const rows = (
      await db().execute<{
        tactics: string[];
        source_tactics: string[];
        technique_tactics: string[] | null;
      }>(sql`
        select t.tactics, t.source_tactics,
               (select array_agg(distinct x) from template_techniques m join attack_objects o on o.id = m.technique_id
                  cross join unnest(o.tactics) x where m.template_id = t.id) as technique_tactics
          from test_templates t where t.source = 'atomic-red-team'`)
    ).rows;
    // Atomic Red Team's index speaks ATT&CK v19 (stealth, defense-impairment): kept as data only.
    const v19 = rows.filter((r) => r.source_tactics.some((x) => !tactics18.has(x)));
    expect(v19.length).toBeGreaterThan(100);
    for (const r of rows) {
      if (r.technique_tactics) expect(new Set(r.tactics)).toEqual(new Set(r.technique_tactics));
      else expect(r.tactics).toEqual(r.source_tactics);
    }

    // Statistics and the tactic filter count those tests under 18.1's tactics (defense-evasion).
    const stats = await templateStats(db());
    const unplaced = new Set(rows.filter((r) => !r.technique_tactics).flatMap((r) => r.source_tactics));
    for (const b of stats.byTactic) expect(tactics18.has(b.key) || unplaced.has(b.key), b.key).toBe(true);
    const evasion = stats.byTactic.find((b) => b.key === 'defense-evasion');
    expect(evasion?.total).toBe(rows.filter((r) => r.tactics.includes('defense-evasion')).length);
    expect(
      rows.filter((r) => r.tactics.includes('defense-evasion') && r.source_tactics.includes('stealth'))
        .length,
    ).toBeGreaterThan(50);
  });

  it('is idempotent: a second import of the same release changes nothing in the catalog', async () => {
    const run = await importFile(platform, ATTACK_18);
    expect(run.counts.followed).toEqual([
      { what: 'catalog', counts: { resolvedRows: 0, movedMappings: 0, templateTactics: 0 } },
      { what: 'claimed layers', counts: { reresolved: 0 } },
    ]);
  });
});
