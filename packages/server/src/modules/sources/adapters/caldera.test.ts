import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFolder } from '../archive';
import type { AdapterResult, SourceFile, TestTemplateItem } from '../types';
import { parseCaldera } from './caldera';
import { ATTACK_ID } from './upstream';

const ROOT = resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../../../../../../../shared/data/caldera',
);

function abilityFiles(): string[] {
  const base = join(ROOT, 'abilities');
  return readdirSync(base).flatMap((tactic) =>
    readdirSync(join(base, tactic)).map((f) => join(base, tactic, f)),
  );
}

/** Each file is a YAML list; its items start at column 0 with `- `. */
const countAbilitiesByListItems = () =>
  abilityFiles().reduce((n, f) => n + (readFileSync(f, 'utf8').match(/^- /gm)?.length ?? 0), 0);

/** Every command string upstream wrote, read with a plain YAML load of the two layouts. */
function allCommands(): string[] {
  const commands: string[] = [];
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'command' && typeof v === 'string') commands.push(v.trimEnd());
        else collect(v);
      }
    }
  };
  for (const f of abilityFiles()) collect(load(readFileSync(f, 'utf8')));
  return commands;
}

const yamlFile = (path: string, text: string): SourceFile => ({ path, content: Buffer.from(text) });

describe('parseCaldera on the real corpus', () => {
  let result: AdapterResult<TestTemplateItem>;

  beforeAll(async () => {
    const files = await readFolder(ROOT);
    result = parseCaldera(files);
  });

  it('makes one template per ability, as many as the files list', () => {
    const expected = countAbilitiesByListItems();
    expect(expected).toBe(209);
    expect(result.errors).toEqual([]);
    expect(result.items).toHaveLength(expected);
    expect(new Set(result.items.map((i) => i.sourceId)).size).toBe(expected);
  });

  it('gives every template a valid ATT&CK id, its tactic and a command', () => {
    for (const item of result.items) {
      expect(item.attackIds).toHaveLength(1);
      expect(item.attackIds[0]).toMatch(ATTACK_ID);
      expect(item.tactics).toHaveLength(1);
      expect(item.path.split('/')[1]).toBe(item.tactics[0]);
      expect(item.platforms.length).toBeGreaterThan(0);
      // One upstream ability ("Delete payload") only has cleanup commands.
      expect(item.command ?? item.cleanupCommand).toBeTruthy();
    }
    const cleanupOnly = result.items.filter((i) => i.command === null);
    expect(cleanupOnly.map((i) => i.name)).toEqual(['Delete payload']);
  });

  it('loses no command: each one is the main command or one of the variants', () => {
    const kept = new Set(
      result.items.flatMap((i) => [i.command, ...(i.variants ?? []).map((v) => v.command)]),
    );
    const missing = allCommands().filter((c) => !kept.has(c));
    expect(missing).toEqual([]);
  });

  it('maps a hand-written multi-platform ability', () => {
    const item = result.items.find((i) => i.sourceId === 'e7bf5dc7-62e4-48b2-acf8-abaf8734c19c');
    expect(item).toMatchObject({
      source: 'caldera',
      name: 'Exfil Compressed Archive to S3 via AWS CLI',
      attackIds: ['T1567.002'],
      tactics: ['exfiltration'],
      platforms: ['linux', 'windows'],
      executor: 'sh',
      elevationRequired: false,
      path: 'abilities/exfiltration/e7bf5dc7-62e4-48b2-acf8-abaf8734c19c.yml',
      url: 'https://github.com/mitre/stockpile/blob/master/data/abilities/exfiltration/e7bf5dc7-62e4-48b2-acf8-abaf8734c19c.yml',
    });
    expect(item?.command).toContain('aws s3 cp #{host.dir.compress}');
    expect(item?.cleanupCommand).toContain('aws s3 rm');
    expect(item?.variants?.map((v) => v.label)).toEqual(['linux/sh', 'windows/powershell']);
    expect(item?.inputArguments.map((a) => a.name)).toEqual(['host.dir.compress', 'paw', 's3.source.name']);
  });

  it('maps an ability in the exported layout, trimming its technique id', () => {
    const raw = readFileSync(
      join(ROOT, 'abilities/defense-evasion/0d2f63ff-6b77-46b3-83e5-080e445fa651.yml'),
      'utf8',
    );
    expect(raw).toContain("technique_id: ' T1564.001'");
    const item = result.items.find((i) => i.sourceId === '0d2f63ff-6b77-46b3-83e5-080e445fa651');
    expect(item).toMatchObject({
      name: 'Hide Agent Executable',
      attackIds: ['T1564.001'],
      tactics: ['defense-evasion'],
      platforms: ['windows'],
      executor: 'powershell',
      command: 'attrib +h "#{location}"',
      cleanupCommand: null,
    });
    expect(item?.variants).toBeUndefined();
  });

  it('marks abilities that need an elevated agent', () => {
    const elevated = result.items.find((i) => i.sourceId === '49470433-30ce-4714-a44b-bea9dbbeca9a');
    expect(elevated?.elevationRequired).toBe(true);
    const expected = abilityFiles().filter((f) =>
      /^\s*privilege: Elevated\s*$/m.test(readFileSync(f, 'utf8')),
    );
    expect(result.items.filter((i) => i.elevationRequired)).toHaveLength(expected.length);
  });
});

describe('parseCaldera with broken files', () => {
  const ability = (id: string, technique: string) => `- id: ${id}
  name: Ability ${id}
  description: d
  tactic: discovery
  technique:
    attack_id: ${technique}
    name: t
  platforms:
    linux:
      sh:
        command: whoami
`;

  it('reports a broken ability or file and carries on with the rest', () => {
    const result = parseCaldera([
      yamlFile('abilities/discovery/a.yml', ability('a', 'T1033')),
      yamlFile('abilities/discovery/b.yml', `${ability('b1', 'nope')}${ability('b2', 'T1082')}`),
      yamlFile('abilities/discovery/c.yml', 'id: c\nname: not a list\n'),
      yamlFile('abilities/discovery/d.yml', '- id: d\n  name: [unclosed\n'),
      yamlFile(
        'abilities/discovery/e.yml',
        '- id: e\n  name: no technique\n  tactic: discovery\n  platforms: {}\n',
      ),
      yamlFile('adversaries/x.yml', 'not: an ability'),
    ]);
    expect(result.items.map((i) => i.sourceId)).toEqual(['a', 'b2']);
    expect(result.errors.map((e) => e.path)).toEqual([
      'abilities/discovery/b.yml',
      'abilities/discovery/c.yml',
      'abilities/discovery/d.yml',
      'abilities/discovery/e.yml',
    ]);
    expect(result.errors[0]?.message).toMatch(/^0\.technique\.attack_id: not an ATT&CK technique id/);
    expect(result.attackIds).toEqual(['T1033', 'T1082']);
  });
});
