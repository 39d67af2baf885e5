import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFolder } from '../archive';
import type { AdapterResult, SourceFile, TestTemplateItem } from '../types';
import { parseAtomicRedTeam, parseCsv } from './atomic-red-team';
import { ATTACK_ID } from './upstream';

const ROOT = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../../../../../shared/data/atomic-red-team',
);

/** Counted straight from the files, without YAML: every test has exactly one generated GUID line. */
function countTestsByGuidLines(): { files: number; tests: number } {
  let files = 0;
  let tests = 0;
  for (const technique of readdirSync(join(ROOT, 'atomics'))) {
    const text = readFileSync(join(ROOT, 'atomics', technique, `${technique}.yaml`), 'utf8');
    files += 1;
    tests += text.match(/^\s*auto_generated_guid:/gm)?.length ?? 0;
  }
  return { files, tests };
}

const yamlFile = (path: string, text: string): SourceFile => ({ path, content: Buffer.from(text) });

describe('parseAtomicRedTeam on the real corpus', () => {
  let files: SourceFile[];
  let result: AdapterResult<TestTemplateItem>;

  beforeAll(async () => {
    files = await readFolder(ROOT);
    result = parseAtomicRedTeam(files);
  });

  it('makes one template per atomic test, as many as the files hold', () => {
    const expected = countTestsByGuidLines();
    expect(expected).toEqual({ files: 341, tests: 1819 });
    expect(result.errors).toEqual([]);
    expect(result.items).toHaveLength(expected.tests);
    expect(new Set(result.items.map((i) => i.sourceId)).size).toBe(expected.tests);
    expect(result.attackIds).toHaveLength(expected.files);
  });

  it('gives every template a valid ATT&CK id and the tactics of the index', () => {
    for (const item of result.items) {
      expect(item.attackIds.length).toBeGreaterThan(0);
      for (const id of item.attackIds) expect(id).toMatch(ATTACK_ID);
      expect(item.platforms.length).toBeGreaterThan(0);
      expect(item.command).toBeTruthy();
    }
    const indexed = new Set(parseCsv(readFileSync(join(ROOT, 'index.csv'), 'utf8')).map((row) => row[5]));
    const withTactics = result.items.filter((i) => i.tactics.length > 0);
    expect(withTactics.length).toBe(result.items.filter((i) => indexed.has(i.sourceId)).length);
  });

  it('maps a known test field by field (T1003.001, ProcDump)', () => {
    const item = result.items.find((i) => i.sourceId === '0be2230c-9ab3-4ac2-8826-3199b9a0ebf8');
    expect(item).toMatchObject({
      source: 'atomic-red-team',
      name: 'Dump LSASS.exe Memory using ProcDump',
      attackIds: ['T1003.001'],
      tactics: ['credential-access'],
      platforms: ['windows'],
      executor: 'command_prompt',
      command: '"#{procdump_exe}" -accepteula -ma lsass.exe #{output_file}',
      cleanupCommand: 'del "#{output_file}" >nul 2> nul',
      elevationRequired: true,
      path: 'atomics/T1003.001/T1003.001.yaml',
      url: 'https://github.com/redcanaryco/atomic-red-team/blob/master/atomics/T1003.001/T1003.001.yaml',
    });
    expect(item?.description).toMatch(/^The memory of lsass\.exe is often dumped/);
    expect(item?.inputArguments).toEqual([
      {
        name: 'output_file',
        description: 'Path where resulting dump should be placed',
        type: 'path',
        default: 'C:\\Windows\\Temp\\lsass_dump.dmp',
      },
      {
        name: 'procdump_exe',
        description: 'Path of Procdump executable',
        type: 'path',
        default: 'PathToAtomicsFolder\\..\\ExternalPayloads\\procdump.exe',
      },
    ]);
    expect(item?.dependencies).toHaveLength(1);
    expect(item?.dependencies[0]?.prereqCommand).toBe(
      'if (Test-Path "#{procdump_exe}") {exit 0} else {exit 1}',
    );
    expect(item?.dependencies[0]?.getPrereqCommand).toContain('Procdump.zip');
    expect(item?.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the steps of manual tests as their command', () => {
    const manual = result.items.filter((i) => i.executor === 'manual');
    expect(manual.length).toBeGreaterThan(0);
    for (const item of manual) expect(item.command?.length).toBeGreaterThan(0);
  });

  it('hashes the same content the same way, whatever the key order', () => {
    const a = yamlFile(
      'atomics/T1059/T1059.yaml',
      `attack_technique: T1059
atomic_tests:
- name: t
  auto_generated_guid: 11111111-2222-3333-4444-555555555555
  description: d
  supported_platforms: [linux]
  executor: {name: sh, command: id}
`,
    );
    const b = yamlFile(
      'atomics/T1059/T1059.yaml',
      `atomic_tests:
- executor: {command: id, name: sh}
  supported_platforms: [linux]
  description: d
  auto_generated_guid: 11111111-2222-3333-4444-555555555555
  name: t
attack_technique: T1059
`,
    );
    const hashA = parseAtomicRedTeam([a]).items[0]?.contentHash;
    expect(hashA).toBeDefined();
    expect(parseAtomicRedTeam([b]).items[0]?.contentHash).toBe(hashA);
    const changed = yamlFile(
      'atomics/T1059/T1059.yaml',
      a.content.toString().replace('command: id', 'command: whoami'),
    );
    expect(parseAtomicRedTeam([changed]).items[0]?.contentHash).not.toBe(hashA);
  });
});

describe('parseAtomicRedTeam with broken files', () => {
  it('reports a broken file or test and carries on with the rest', async () => {
    const real = (await readFolder(ROOT)).filter((f) => f.path.startsWith('atomics/T1003.001/'));
    const realCount = parseAtomicRedTeam(real).items.length;
    const result = parseAtomicRedTeam([
      yamlFile('atomics/T9990/T9990.yaml', 'attack_technique: T9990\natomic_tests: [\n'),
      yamlFile('atomics/T9991/T9991.yaml', 'attack_technique: not-a-technique\natomic_tests: []\n'),
      yamlFile(
        'atomics/T9992/T9992.yaml',
        `attack_technique: T9992
atomic_tests:
- name: no executor
  auto_generated_guid: 0be2230c-0000-4000-8000-000000000001
  description: d
  supported_platforms: [windows]
- name: fine
  auto_generated_guid: 0be2230c-0000-4000-8000-000000000002
  description: d
  supported_platforms: [windows]
  executor: {name: powershell, command: Get-Process}
`,
      ),
      yamlFile('atomics/T9993/T9993.yaml', 'attack_technique: T9993\natomic_tests:\n- !!js/function "x"\n'),
      ...real,
    ]);
    expect(result.items).toHaveLength(realCount + 1);
    expect(result.items.some((i) => i.name === 'fine')).toBe(true);
    expect(result.errors.map((e) => e.path)).toEqual([
      'atomics/T9990/T9990.yaml',
      'atomics/T9991/T9991.yaml',
      'atomics/T9992/T9992.yaml',
      'atomics/T9993/T9993.yaml',
    ]);
    expect(result.errors[0]?.message).toMatch(/^invalid YAML/);
    expect(result.errors[1]?.message).toMatch(/^attack_technique: not an ATT&CK technique id/);
    expect(result.errors[2]?.message).toMatch(/^atomic_tests\.0\.executor: /);
    expect(result.errors[3]?.message).toMatch(/^invalid YAML/);
  });

  it('reports a GUID used twice and keeps the first', () => {
    const test = `- name: t
  auto_generated_guid: 0be2230c-0000-4000-8000-000000000003
  description: d
  supported_platforms: [linux]
  executor: {name: sh, command: id}
`;
    const result = parseAtomicRedTeam([
      yamlFile('atomics/T1001/T1001.yaml', `attack_technique: T1001\natomic_tests:\n${test}`),
      yamlFile('atomics/T1002/T1002.yaml', `attack_technique: T1002\natomic_tests:\n${test}`),
    ]);
    expect(result.items.map((i) => i.attackIds)).toEqual([['T1001']]);
    expect(result.errors).toEqual([
      {
        path: 'atomics/T1002/T1002.yaml',
        message: 'duplicate id 0be2230c-0000-4000-8000-000000000003 (first in atomics/T1001/T1001.yaml)',
      },
    ]);
  });

  it('reads quoted CSV fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
    ]);
  });
});
