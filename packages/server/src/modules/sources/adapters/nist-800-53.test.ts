import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../types';
import { nistControlId, parseNist80053 } from './nist-800-53';

// The corpus sits beside the repository (never copied into it): <repo>/../shared/data.
const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../..');
const COMPLIANCE = resolve(REPO_ROOT, '../shared/data/compliance');
const MAPPING_PATH = 'nist-800-53/nist_800_53-rev5_attack-16.1-enterprise.json';
const ATTACK_ID = /^T\d{4}(\.\d{3})?$/;

const source = (path: string): SourceFile => ({ path, content: readFileSync(resolve(COMPLIANCE, path)) });
const mappingFile = source(MAPPING_PATH);
const result = parseNist80053([mappingFile, source('mapex-unified-data-schema.json')]);

interface Row {
  capability_id: string | null;
  attack_object_id: string | null;
  status: string;
}
const upstream = JSON.parse(mappingFile.content.toString('utf8')) as { mapping_objects: Row[] };
const complete = upstream.mapping_objects.filter((r) => r.status === 'complete');

describe('parseNist80053 on the Mappings Explorer 800-53 rev5 → ATT&CK 16.1 file', () => {
  it('yields one item per mapped control and skips the non-mappable rows', () => {
    expect(upstream.mapping_objects).toHaveLength(5410);
    expect(upstream.mapping_objects.length - complete.length).toBe(96);
    const controls = new Set(complete.map((r) => r.capability_id));
    expect(controls.size).toBe(109);
    expect(result.errors).toEqual([]);
    expect(result.items).toHaveLength(controls.size);
    expect(new Set(result.items.map((i) => i.controlId)).size).toBe(controls.size);
  });

  it('keeps every mapped technique, once, and only well-formed ids', () => {
    const techniques = new Set(complete.map((r) => r.attack_object_id));
    expect(new Set(result.attackIds)).toEqual(techniques);
    // 5,314 complete rows hold 50 verbatim repeats: 5,264 distinct control ↔ technique pairs.
    expect(result.items.reduce((n, i) => n + i.attackIds.length, 0)).toBe(5264);
    for (const item of result.items) for (const id of item.attackIds) expect(id).toMatch(ATTACK_ID);
  });

  it('maps a known control with NIST spelling and its family', () => {
    const ac2 = result.items.find((i) => i.controlId === 'AC-2');
    const expected = new Set(
      complete.filter((r) => r.capability_id === 'AC-02').map((r) => r.attack_object_id),
    );
    expect(ac2).toMatchObject({ framework: 'nist-800-53-r5', name: 'Account Management', family: 'AC' });
    expect(ac2?.attackIds).toHaveLength(220);
    expect(new Set(ac2?.attackIds)).toEqual(expected);
    expect(ac2?.attackIds).toContain('T1078.004');
    expect(new Set(result.items.map((i) => i.family))).toEqual(
      new Set(['AC', 'CA', 'CM', 'CP', 'IA', 'MP', 'RA', 'SA', 'SC', 'SI', 'SR']),
    );
  });

  it('hashes the same rows the same way whatever their order', () => {
    const reordered = JSON.parse(mappingFile.content.toString('utf8')) as { mapping_objects: Row[] };
    reordered.mapping_objects.reverse();
    const again = parseNist80053([{ path: MAPPING_PATH, content: Buffer.from(JSON.stringify(reordered)) }]);
    const hashes = (items: typeof result.items) => new Map(items.map((i) => [i.controlId, i.contentHash]));
    expect(hashes(again.items)).toEqual(hashes(result.items));
  });
});

describe('parseNist80053 on hand-written input', () => {
  const metadata = {
    mapping_version: '',
    attack_version: '16.1',
    technology_domain: 'enterprise',
    creation_date: '01/13/2022',
    mapping_framework: 'nist_800_53',
    mapping_framework_version: 'rev5',
    mapping_types: { mitigates: { name: 'mitigates', description: '' } },
    capability_groups: { AC: 'Access Control' },
  };
  const row = (capability_id: string | null, attack_object_id: string, status = 'complete') => ({
    capability_id,
    capability_description: capability_id ? 'Some Control' : null,
    capability_group: capability_id ? 'AC' : null,
    mapping_type: capability_id ? 'mitigates' : null,
    attack_object_id,
    attack_object_name: 'x',
    references: [],
    status,
  });
  const file = (path: string, value: unknown): SourceFile => ({
    path,
    content: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  });

  it('reports broken rows and files, and parses the rest', () => {
    const mapping_objects = [
      row('AC-02', 'T1078'),
      row('AC-02(01)', 'T1078.001'),
      row('AC-2x', 'T1078'),
      row('AC-03', 'T1078.1'),
      row(null, 'T1496.002', 'non_mappable'),
      'not an object',
    ];
    const result = parseNist80053([
      file('nist_800_53-rev5_attack-16.1-enterprise.json', { metadata, mapping_objects }),
      file('nist_800_53-rev5_attack-15.1-enterprise.json', '{"metadata": '),
      file('nist_800_53-rev4_attack-12.1-enterprise.json', {
        metadata: { ...metadata, mapping_framework_version: 'rev4' },
        mapping_objects,
      }),
      file('README.md', '# not a mapping'),
    ]);
    expect(result.items.map((i) => [i.controlId, i.family, i.attackIds])).toEqual([
      ['AC-2', 'AC', ['T1078']],
      ['AC-2(1)', 'AC', ['T1078.001']],
    ]);
    expect(result.errors.map((e) => e.path)).toEqual([
      'nist_800_53-rev5_attack-16.1-enterprise.json#mapping_objects/2',
      'nist_800_53-rev5_attack-16.1-enterprise.json#mapping_objects/3',
      'nist_800_53-rev5_attack-16.1-enterprise.json#mapping_objects/5',
      'nist_800_53-rev5_attack-15.1-enterprise.json',
      'nist_800_53-rev4_attack-12.1-enterprise.json',
    ]);
    expect(result.errors[0]?.message).toBe('capability_id: not an 800-53 control id');
    expect(result.errors[1]?.message).toBe('attack_object_id: not an ATT&CK technique id');
    expect(result.errors[4]?.message).toMatch(/^metadata\.mapping_framework_version: /);
  });

  it('writes control ids as NIST does', () => {
    expect(nistControlId('AC-02')).toBe('AC-2');
    expect(nistControlId('SC-07(05)')).toBe('SC-7(5)');
    expect(nistControlId('SI-10')).toBe('SI-10');
  });
});
