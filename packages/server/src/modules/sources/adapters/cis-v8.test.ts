import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SourceFile } from '../types';
import { parseCisV8 } from './cis-v8';

// The corpus sits beside the repository (never copied into it): <repo>/../shared/data.
const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../../..');
const CIS = resolve(REPO_ROOT, '../shared/data/compliance/cis-v8');
const TECHNIQUES_PATH = 'ctid-top-attack-techniques-Techniques.json';
const ATTACK_ID = /^T\d{4}(\.\d{3})?$/;

const techniquesFile: SourceFile = {
  path: TECHNIQUES_PATH,
  content: readFileSync(resolve(CIS, TECHNIQUES_PATH)),
};
const licence: SourceFile = { path: 'LICENSE', content: readFileSync(resolve(CIS, 'LICENSE')) };
const result = parseCisV8([techniquesFile, licence]);

const records = JSON.parse(techniquesFile.content.toString('utf8')) as Array<{
  tid: string;
  cis_controls: string[];
}>;

describe('parseCisV8 on CTID Top ATT&CK Techniques', () => {
  it('inverts 625 technique records into one item per safeguard', () => {
    expect(records).toHaveLength(625);
    const safeguards = new Set(records.flatMap((r) => r.cis_controls));
    expect(safeguards.size).toBe(105);
    expect(result.errors).toEqual([]);
    expect(result.items.map((i) => i.controlId).sort()).toEqual(
      [...safeguards].map((s) => `CIS ${s}`).sort(),
    );
  });

  it('keeps every technique ↔ safeguard pair, with well-formed ids', () => {
    const pairs = records.reduce((n, r) => n + new Set(r.cis_controls).size, 0);
    expect(pairs).toBe(2918);
    expect(result.items.reduce((n, i) => n + i.attackIds.length, 0)).toBe(pairs);
    expect(new Set(result.attackIds)).toEqual(
      new Set(records.filter((r) => r.cis_controls.length).map((r) => r.tid)),
    );
    expect(result.attackIds).toHaveLength(377);
    for (const item of result.items) for (const id of item.attackIds) expect(id).toMatch(ATTACK_ID);
  });

  it('maps a known safeguard', () => {
    const expected = records.filter((r) => r.cis_controls.includes('13.3')).map((r) => r.tid);
    const item = result.items.find((i) => i.controlId === 'CIS 13.3');
    expect(item).toMatchObject({
      framework: 'cis-v8',
      name: 'CIS Safeguard 13.3',
      family: 'CIS 13',
      description: '',
    });
    expect(item?.attackIds).toEqual(expected.sort());
    expect(item?.attackIds).toHaveLength(53);
    expect(item?.attackIds.slice(0, 3)).toEqual(['T1001', 'T1001.001', 'T1001.002']);
    expect(result.items.find((i) => i.controlId === 'CIS 1.1')?.attackIds).toEqual(['T1200']);
  });

  it('orders safeguards numerically', () => {
    const ids = result.items.map((i) => i.controlId);
    expect(ids.indexOf('CIS 3.3')).toBeLessThan(ids.indexOf('CIS 3.10'));
    expect(ids[0]).toBe('CIS 1.1');
  });
});

describe('parseCisV8 on hand-written input', () => {
  const file = (path: string, value: unknown): SourceFile => ({
    path,
    content: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  });

  it('reports broken records and files, and parses the rest', () => {
    const result = parseCisV8([
      file('a/Techniques.json', [
        { tid: 'T1078', name: 'Valid Accounts', cis_controls: ['5.2', '6.1'] },
        { tid: 'T1110.001', name: 'Password Guessing', cis_controls: ['5.2'] },
        { tid: 'T1110.1', name: 'Bad id', cis_controls: ['5.2'] },
        { tid: 'T1200', name: 'Bad safeguard', cis_controls: ['IG1'] },
        { tid: 'T1201', name: 'No safeguards', cis_controls: [] },
      ]),
      file('b/Techniques.json', '[{"tid": '),
      file('c/Techniques.json', { tid: 'T1078' }),
    ]);
    expect(result.items.map((i) => [i.controlId, i.attackIds])).toEqual([
      ['CIS 5.2', ['T1078', 'T1110.001']],
      ['CIS 6.1', ['T1078']],
    ]);
    expect(result.errors.map((e) => e.path)).toEqual([
      'a/Techniques.json#/2',
      'a/Techniques.json#/3',
      'b/Techniques.json',
      'c/Techniques.json',
    ]);
    expect(result.errors[0]?.message).toBe('tid: not an ATT&CK technique id');
    expect(result.errors[1]?.message).toBe('cis_controls.0: not a CIS v8 safeguard id');
  });
});
