import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../types';
import { parseElastic } from './elastic';

// The corpus sits beside the repository (never copied into it): <repo>/../shared/data.
const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../..');
const ELASTIC = resolve(REPO_ROOT, '../shared/data/elastic-rules');
const ATTACK_ID = /^T\d{4}(\.\d{3})?$/;

/** The source tree as the sync service hands it over: every file, paths relative to the root. */
function readTree(root: string): SourceFile[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const abs = join(e.parentPath, e.name);
      return {
        path: abs
          .slice(root.length + 1)
          .split('\\')
          .join('/'),
        content: readFileSync(abs),
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

const tree = readTree(ELASTIC);
const result = parseElastic(tree);

describe('parseElastic on the elastic/detection-rules subset', () => {
  it('parses every rule file and ignores the licence files beside them', () => {
    const tomlPaths = tree.filter((f) => f.path.startsWith('rules/') && f.path.endsWith('.toml'));
    expect(tomlPaths).toHaveLength(306);
    expect(tree.length).toBe(308);
    expect(result.errors).toEqual([]);
    expect(result.items).toHaveLength(tomlPaths.length);
    expect(new Set(result.items.map((i) => i.sourceId)).size).toBe(306);
  });

  it('marks the _deprecated folder as deprecated and keeps the other maturities', () => {
    const inDeprecatedFolder = tree.filter((f) => f.path.startsWith('rules/_deprecated/')).length;
    const deprecated = result.items.filter((i) => i.status === 'deprecated');
    expect(inDeprecatedFolder).toBe(10);
    expect(deprecated).toHaveLength(inDeprecatedFolder);
    expect(new Set(result.items.map((i) => i.status))).toEqual(new Set(['production', 'deprecated']));
  });

  it('extracts technique and sub-technique ids, all well-formed', () => {
    // Independent count: every `id = "T…"` line sits in a [[rule.threat.technique…]] table of these files.
    const techniqueLine = /^\s*id = "(T\d{4}(?:\.\d{3})?)"$/gm;
    const idsInText = (f: SourceFile) =>
      [...f.content.toString('utf8').matchAll(techniqueLine)].map((m) => m[1]);
    expect(new Set(result.attackIds)).toEqual(new Set(tree.flatMap(idsInText)));
    for (const item of result.items) for (const id of item.attackIds) expect(id).toMatch(ATTACK_ID);
    // Machine-learning rules carry no threat table; a few others name a tactic without a technique.
    const withoutTechnique = tree.filter((f) => f.path.endsWith('.toml') && idsInText(f).length === 0);
    expect(result.items.filter((i) => i.attackIds.length === 0)).toHaveLength(withoutTechnique.length);
    expect(withoutTechnique.length).toBe(24);
  });

  it('maps a known rule', () => {
    const rule = result.items.find((i) => i.sourceId === '1dee0500-4aeb-44ca-b24b-4a285d7b6ba1');
    expect(rule).toMatchObject({
      source: 'elastic',
      title: 'Suspicious Inter-Process Communication via Outlook',
      status: 'production',
      level: 'medium',
      logSource: {
        type: 'eql',
        language: 'eql',
        index: 'logs-endpoint.events.process-*',
        integration: 'endpoint',
      },
      author: 'Elastic',
      attackIds: ['T1114', 'T1114.001', 'T1559', 'T1559.001'],
      rawFormat: 'toml',
      path: 'rules/windows/collection_email_outlook_mailbox_via_com.toml',
      modified: '2026-07-28',
    });
    expect(rule?.description.startsWith('Detects Inter-Process Communication with Outlook')).toBe(true);
    expect(rule?.tags).toContain('Tactic: Collection');
    expect(rule?.raw.startsWith('[metadata]')).toBe(true);
  });

  it('joins several authors', () => {
    const rule = result.items.find(
      (i) => i.path === 'rules/integrations/aws/impact_efs_filesystem_deleted.toml',
    );
    expect(rule?.author).toMatch(/^[^,]+, [^,]+$/);
  });

  it('reports a broken file and a rule that breaks the format, and parses the rest', () => {
    const good = tree.find((f) => f.path === 'rules/windows/collection_email_outlook_mailbox_via_com.toml');
    if (!good) throw new Error('fixture rule missing');
    const text = good.content.toString('utf8');
    const out = parseElastic([
      good,
      { path: 'rules/linux/broken.toml', content: Buffer.from('[metadata\nmaturity = "production"\n') },
      { path: 'rules/linux/bad-severity.toml', content: Buffer.from(text.replace('"medium"', '"urgent"')) },
      { path: 'rules/linux/bad-id.toml', content: Buffer.from(text.replace('"T1114.001"', '"T1114.1"')) },
      { path: 'rules_building_block/x.toml', content: Buffer.from('not toml at all [') },
    ]);
    expect(out.items.map((i) => i.path)).toEqual([good.path]);
    expect(out.errors.map((e) => e.path)).toEqual([
      'rules/linux/broken.toml',
      'rules/linux/bad-severity.toml',
      'rules/linux/bad-id.toml',
    ]);
    expect(out.errors[0]?.message).toMatch(/^invalid TOML/);
    expect(out.errors[1]?.message).toMatch(/^rule\.severity: /);
    expect(out.errors[2]?.message).toMatch(/subtechnique.*T1114\.1/);
  });
});
