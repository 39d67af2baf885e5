import { describe, expect, it } from 'vitest';
import { classify, compareRows } from './compare';
import type { ComparedRow } from './snapshots.queries';

const row = (over: Partial<ComparedRow>): ComparedRow => ({
  stix_id: 'attack-pattern--1',
  attack_id: 'T1059.001',
  name: 'PowerShell',
  tactics: ['execution'],
  is_subtechnique: true,
  in_scope: true,
  status: 'untested',
  own_score: 0,
  aggregate_score: 0,
  c_tests: null,
  c_rules: null,
  c_d3fend: null,
  c_fresh: null,
  c_platform: null,
  current_results: 0,
  ...over,
});

describe('classify (spec §4.4)', () => {
  // The worked example of the spec, and the edges of the threshold.
  it.each([
    ['validated 72.5 → validated 60.1', 'validated', 72.5, 'validated', 60.1, 1, 'regressed'],
    ['untested 11.8 → not_covered 11.8', 'untested', 11.8, 'not_covered', 11.8, 1, 'newly_tested'],
    ['partial 40 → validated 60', 'partial', 40, 'validated', 60, 1, 'improved'],
    ['validated → partial with a higher score', 'validated', 50, 'partial', 70, 1, 'regressed'],
    ['same rank, Δ exactly −threshold', 'partial', 41, 'partial', 40, 1, 'regressed'],
    ['same rank, Δ just under the threshold', 'partial', 40, 'partial', 40.99, 1, 'unchanged'],
    ['same rank, Δ exactly +threshold', 'partial', 40, 'partial', 41, 1, 'improved'],
    ['threshold 0: any fall regresses', 'partial', 40, 'partial', 39.99, 0, 'regressed'],
    ['threshold 0: no move is unchanged', 'partial', 40, 'partial', 40, 0, 'unchanged'],
    [
      'in_progress → not_covered (both rank 0, both tested)',
      'in_progress',
      5,
      'not_covered',
      5,
      1,
      'unchanged',
    ],
    ['untested → in_progress with a score rise ≥ threshold', 'untested', 0, 'in_progress', 5, 1, 'improved'],
  ] as const)('%s', (_label, s1, v1, s2, v2, threshold, expected) => {
    const r = classify(
      row({ status: s1, aggregate_score: v1 }),
      row({ status: s2, aggregate_score: v2 }),
      threshold,
    );
    expect(r.classification).toBe(expected);
    expect(r.delta).toBeCloseTo(v2 - v1, 9);
  });

  it('is added without a from side and removed without a to side', () => {
    expect(classify(null, row({}), 1)).toEqual({ classification: 'added', delta: null });
    expect(classify(row({}), null, 1)).toEqual({ classification: 'removed', delta: null });
  });
});

describe('compareRows', () => {
  it('joins by STIX id and follows a revocation to the replacement the newer side holds', () => {
    const old = row({
      stix_id: 'attack-pattern--old',
      attack_id: 'T1574.002',
      name: 'DLL Side-Loading',
      status: 'partial',
      aggregate_score: 30,
    });
    const target = row({
      stix_id: 'attack-pattern--new',
      attack_id: 'T1574.001',
      name: 'DLL',
      status: 'partial',
      aggregate_score: 35,
    });
    const gone = row({ stix_id: 'attack-pattern--gone', attack_id: 'T1000' });
    const fresh = row({ stix_id: 'attack-pattern--fresh', attack_id: 'T1685' });
    const out = compareRows(
      [old, { ...target, name: 'DLL Search Order Hijacking', aggregate_score: 20 }, gone],
      [target, fresh],
      new Map([['attack-pattern--old', 'attack-pattern--new']]),
      1,
    );
    const by = new Map(out.map((t) => [t.attackId, t]));
    expect(by.get('T1574.002')).toMatchObject({
      classification: 'moved',
      movedTo: { attackId: 'T1574.001', name: 'DLL' },
      delta: 5,
    });
    expect(by.get('T1574.001')).toMatchObject({ classification: 'improved', name: 'DLL', delta: 15 });
    expect(by.get('T1000')?.classification).toBe('removed');
    expect(by.get('T1685')?.classification).toBe('added');
    expect(out.map((t) => t.classification)).toEqual(['improved', 'moved', 'added', 'removed']);
  });
});
