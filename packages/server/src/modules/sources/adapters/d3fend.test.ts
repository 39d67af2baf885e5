import { createReadStream, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AdapterResult, D3fendTechniqueItem, SourceFile } from '../types';
import { parseD3fend } from './d3fend';

// The corpus sits beside the repository (never copied into it): <repo>/../shared/data.
const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../..');
const D3FEND = resolve(REPO_ROOT, '../shared/data/d3fend');
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

const local = (name: string): SourceFile => ({ path: name, content: readFileSync(resolve(D3FEND, name)) });
const json = (f: SourceFile): unknown => JSON.parse(f.content.toString('utf8'));

interface Binding {
  off_tech_id: { value: string };
  def_tech?: { value: string };
}
const bindingsOf = (f: SourceFile) =>
  (json(f) as { off_to_def: { results: { bindings: Binding[] } } }).off_to_def.results.bindings;

describe('parseD3fend on the D3FEND 0.14.0 site files', () => {
  const siteFiles = [
    'matrix.json',
    'technique-all.json',
    'd3fend.csv',
    'attack-mitigations.json',
    'offensive-technique-all.json',
    'version.json',
  ].map(local);
  let attackFiles: SourceFile[] = [];
  let answers: Binding[][] = [];
  let result: AdapterResult<D3fendTechniqueItem>;

  beforeAll(async () => {
    attackFiles = await readTarGz(resolve(D3FEND, 'offensive-technique-attack.tar.gz'));
    answers = attackFiles.map(bindingsOf);
    result = parseD3fend([...siteFiles, ...attackFiles]);
  });

  it('yields one item per D3FEND technique, both techniques that share D3-RC included', () => {
    // Independent count: technique-all.json lists the same classes as the matrix, flat.
    const classes = (
      json(siteFiles[1] as SourceFile) as { '@graph': Array<{ '@id': string; 'd3f:d3fend-id': string }> }
    )['@graph'];
    expect(classes).toHaveLength(193);
    expect(new Set(classes.map((c) => c['d3f:d3fend-id'])).size).toBe(192);
    expect(result.errors).toEqual([]);
    expect(result.items).toHaveLength(193);
    expect(new Set(result.items.map((i) => i.iri))).toEqual(new Set(classes.map((c) => c['@id'])));
    const rc = result.items.filter((i) => i.d3fendId === 'D3-RC');
    expect(rc.map((i) => [i.iri, i.name, i.tactic])).toEqual([
      ['d3f:RestoreConfiguration', 'Restore Configuration', 'Restore'],
      ['d3f:ReissueCredential', 'Reissue Credential', 'Restore'],
    ]);
    expect(rc.map((i) => i.attackIds.length)).toEqual([expect.any(Number), 33]);
  });

  it('gives the 3,754 distinct (ATT&CK technique, countermeasure) pairs of the API answers', () => {
    // Independent count straight from the SPARQL bindings.
    const raw = new Set(
      answers.flatMap((bindings) =>
        bindings.filter((b) => b.def_tech).map((b) => `${b.off_tech_id.value} ${b.def_tech?.value}`),
      ),
    );
    expect(raw.size).toBe(3754);
    const parsed = result.items.flatMap((i) => i.attackIds.map((a) => `${a} ${i.iri}`));
    expect(parsed).toHaveLength(3754);
    expect(new Set(parsed).size).toBe(3754);
  });

  it('covers all seven tactics, including Restore that d3fend.csv leaves out', () => {
    const perTactic = new Map<string | null, number>();
    for (const i of result.items) perTactic.set(i.tactic, (perTactic.get(i.tactic) ?? 0) + 1);
    expect(Object.fromEntries(perTactic)).toEqual({
      Model: 27,
      Harden: 33,
      Detect: 77,
      Isolate: 23,
      Deceive: 11,
      Evict: 10,
      Restore: 12,
    });
    expect(result.items.every((i) => i.definition.length > 0)).toBe(true);
  });

  it('maps countermeasures to exactly the ATT&CK techniques of the API answers', () => {
    expect(attackFiles).toHaveLength(707);
    // Independent count: techniques whose answer pairs them with at least one countermeasure.
    const mapped = new Set(
      answers.flatMap((bindings) => bindings.filter((b) => b.def_tech).map((b) => b.off_tech_id.value)),
    );
    expect(mapped.size).toBe(387);
    expect(new Set(result.attackIds)).toEqual(mapped);
    for (const id of result.attackIds) expect(id).toMatch(ATTACK_ID);
    for (const item of result.items) for (const id of item.attackIds) expect(id).toMatch(ATTACK_ID);
  });

  it('maps a known countermeasure', () => {
    const pt = result.items.find((i) => i.d3fendId === 'D3-PT');
    expect(pt).toMatchObject({
      name: 'Process Termination',
      tactic: 'Evict',
      definition: 'Terminating a running application process on a computer system.',
    });
    expect(pt?.attackIds).toContain('T1003.001');
    expect(pt?.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // Upstream writes two definitions for this one; both are kept.
    expect(result.items.find((i) => i.d3fendId === 'D3-PCA')?.definition.split('\n\n')).toHaveLength(2);
  });
});

describe('parseD3fend on hand-written input', () => {
  const matrix = [
    {
      '@id': 'd3f:Evict',
      'rdfs:label': 'Evict',
      children: [
        {
          '@id': 'd3f:ProcessEviction',
          'd3f:d3fend-id': 'D3-PE',
          'd3f:definition': 'Process eviction.',
          'rdfs:label': 'Process Eviction',
          children: [
            {
              '@id': 'd3f:ProcessTermination',
              'd3f:d3fend-id': 'D3-PT',
              'd3f:definition': 'Terminating a process.',
              'rdfs:label': 'Process Termination',
            },
            { '@id': 'd3f:NoId', 'rdfs:label': 'Broken' },
          ],
        },
      ],
    },
  ];
  const answer = (off: string, def?: string) => ({
    off_to_def: {
      results: {
        bindings: [
          {
            off_tech_id: { value: off },
            ...(def ? { def_tech: { value: `http://d3fend.mitre.org/ontologies/d3fend.owl#${def}` } } : {}),
          },
        ],
      },
    },
  });
  const file = (path: string, value: unknown): SourceFile => ({
    path,
    content: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  });

  it('reports a broken node and broken answers, and parses the rest', () => {
    const result = parseD3fend([
      file('matrix.json', matrix),
      file('attack/T1003.001.json', answer('T1003.001', 'ProcessTermination')),
      file('attack/T1005.json', answer('T1005')),
      file('attack/T9.json', answer('T9', 'ProcessTermination')),
      file('attack/T1006.json', '{"off_to_def": '),
    ]);
    expect(result.items.map((i) => [i.d3fendId, i.tactic, i.attackIds])).toEqual([
      ['D3-PE', 'Evict', []],
      ['D3-PT', 'Evict', ['T1003.001']],
    ]);
    expect(result.errors.map((e) => e.path)).toEqual([
      'matrix.json#/0/children/0/children/1',
      'attack/T9.json',
      'attack/T1006.json',
    ]);
    expect(result.errors[0]?.message).toMatch(/d3fend-id/);
    expect(result.attackIds).toEqual(['T1003.001']);
  });

  it('says so when the matrix or the mapping is missing', () => {
    expect(parseD3fend([]).errors).toEqual([{ path: 'matrix.json', message: 'missing from the source' }]);
    const noMapping = parseD3fend([file('matrix.json', matrix)]);
    expect(noMapping.items).toHaveLength(2);
    expect(noMapping.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/d3fend-id/),
      expect.stringMatching(/^no ATT&CK mapping files/),
    ]);
  });
});
