import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SourceFile } from '../types';
import { attackIdFromSigmaTag, parseSigma } from './sigma';

// The corpus sits beside the repository (never copied into it): <repo>/../shared/data.
const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../..');
const SIGMA = resolve(REPO_ROOT, '../shared/data/sigma');
const ATTACK_ID = /^T\d{4}(\.\d{3})?$/;

/** Regular files of a .tar.gz as SourceFile[]; the production reader (archive.ts) is tested on its own. */
async function readTarGz(path: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  const tar = extract();
  const collect = (async () => {
    for await (const entry of tar) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
      if (entry.header.type === 'file')
        files.push({ path: entry.header.name, content: Buffer.concat(chunks) });
    }
  })();
  await Promise.all([pipeline(createReadStream(path), createGunzip(), tar), collect]);
  return files;
}

const file = (path: string, text: string): SourceFile => ({ path, content: Buffer.from(text) });

describe('parseSigma on the SigmaHQ archives', () => {
  const archives = {
    'rules.tar.gz': 3141,
    'rules-emerging-threats.tar.gz': 473,
    'rules-threat-hunting.tar.gz': 140,
  };
  const trees = new Map<string, SourceFile[]>();
  const results = new Map<string, ReturnType<typeof parseSigma>>();

  beforeAll(async () => {
    for (const name of Object.keys(archives)) {
      const files = await readTarGz(resolve(SIGMA, name));
      trees.set(name, files);
      results.set(name, parseSigma(files));
    }
  });

  it.each(Object.entries(archives))(
    '%s: one rule per .yml entry, READMEs skipped silently',
    (name, expected) => {
      const files = trees.get(name) ?? [];
      const ymlCount = files.filter((f) => f.path.endsWith('.yml')).length;
      // Every .yml in these trees is a rule (the upstream repo keeps configs and tests elsewhere), and the
      // MANIFEST count agrees with the archive listing.
      expect(ymlCount).toBe(expected);
      expect(files.length).toBeGreaterThan(ymlCount);

      const result = results.get(name);
      if (!result) throw new Error(`${name} was not parsed`);
      expect(result.errors).toEqual([]);
      expect(result.items).toHaveLength(ymlCount);
      expect(new Set(result.items.map((i) => i.sourceId)).size).toBe(ymlCount);
      for (const item of result.items) {
        expect(item.author).toBeTruthy();
        for (const id of item.attackIds) expect(id).toMatch(ATTACK_ID);
      }
      for (const id of result.attackIds) expect(id).toMatch(ATTACK_ID);
    },
  );

  it('maps a known rule, keeping author, tags, raw text and the sub-technique id', () => {
    const rule = results
      .get('rules.tar.gz')
      ?.items.find((i) => i.sourceId === 'ca2092a1-c273-4878-9b4b-0d60115bf5ea');
    expect(rule).toMatchObject({
      source: 'sigma',
      title: 'Suspicious Encoded PowerShell Command Line',
      status: 'test',
      level: 'high',
      logSource: { category: 'process_creation', product: 'windows' },
      author:
        'Florian Roth (Nextron Systems), Markus Neis, Jonhnathan Ribeiro, Daniil Yugoslavskiy, Anton Kutepov, oscd.community',
      attackIds: ['T1059.001'],
      tags: ['attack.execution', 'attack.t1059.001'],
      references: ['https://app.any.run/tasks/6217d77d-3189-4db2-a957-8ab239f3e01e'],
      rawFormat: 'yaml',
      path: 'rules/windows/process_creation/proc_creation_win_powershell_base64_encoded_cmd.yml',
      modified: '2023-04-06',
    });
    expect(rule?.raw).toContain("CommandLine|contains: ' -e' # covers -en and -enc");
    expect(rule?.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('parseSigma on hand-written input', () => {
  const rule = (extra: string) =>
    `title: Test rule\n${extra}status: experimental\nlogsource:\n  product: linux\ndetection:\n  sel:\n    a: b\n  condition: sel\nlevel: low\n`;

  it('reports a rule without id and a file that is not YAML, and parses the rest', () => {
    const result = parseSigma([
      file('rules/good.yml', rule('id: 11111111-1111-4111-8111-111111111111\ntags:\n  - attack.T1003\n')),
      file('rules/no-id.yml', rule('')),
      file('rules/broken.yml', 'title: [unclosed\n'),
      file('rules/README.md', '# not a rule'),
      file('config/mapping.yml', 'fieldmappings:\n  a: b\n'),
    ]);
    expect(result.items.map((i) => i.sourceId)).toEqual(['11111111-1111-4111-8111-111111111111']);
    expect(result.items[0]?.attackIds).toEqual(['T1003']);
    expect(result.items[0]?.modified).toBeNull();
    expect(result.errors.map((e) => e.path)).toEqual(['rules/no-id.yml', 'rules/broken.yml']);
    expect(result.errors[0]?.message).toMatch(/^id: /);
    expect(result.attackIds).toEqual(['T1003']);
  });

  it('reads each detection document of a multi-document file and skips correlation documents', () => {
    const text = `${rule('id: a\n')}---\n${rule('id: b\n')}---\ntitle: Many\nid: c\ncorrelation:\n  type: event_count\n`;
    const result = parseSigma([file('rules/multi.yml', text)]);
    expect(result.items.map((i) => i.sourceId)).toEqual(['a', 'b']);
    expect(result.errors).toEqual([]);
  });

  it('turns ATT&CK technique tags into upper-case ids and ignores the other namespaces', () => {
    expect(attackIdFromSigmaTag('attack.t1059.001')).toBe('T1059.001');
    expect(attackIdFromSigmaTag('attack.t1110')).toBe('T1110');
    expect(attackIdFromSigmaTag('attack.execution')).toBeNull();
    expect(attackIdFromSigmaTag('attack.g0032')).toBeNull();
    expect(attackIdFromSigmaTag('attack.t1059.1')).toBeNull();
    expect(attackIdFromSigmaTag('car.2016-04-005')).toBeNull();
  });
});
