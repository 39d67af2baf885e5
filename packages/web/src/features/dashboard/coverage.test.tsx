import type { Tactic, TechniqueSummary } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { chartScale, coverageByTactic } from './coverage';

const tactic = (shortname: string, matrixOrder: number): Tactic => ({
  id: crypto.randomUUID(),
  attackId: null,
  stixId: `x-mitre-tactic--${shortname}`,
  name: shortname,
  shortname,
  description: '',
  matrixOrder,
  domain: 'enterprise-attack',
  techniqueCount: 0,
  subtechniqueCount: 0,
});

const technique = (
  tactics: string[],
  coverageStatus: TechniqueSummary['coverageStatus'],
  isSubtechnique = false,
): TechniqueSummary => ({
  id: crypto.randomUUID(),
  attackId: null,
  stixId: 'attack-pattern--x',
  domain: 'enterprise-attack',
  name: 'x',
  tactics,
  platforms: [],
  isSubtechnique,
  parent: null,
  subtechniqueCount: 0,
  deprecated: false,
  revoked: false,
  version: null,
  modified: null,
  coverageStatus,
  reviewRequired: false,
});

describe('coverageByTactic', () => {
  it('counts each top-level technique under every tactic it belongs to, in matrix order', () => {
    const rows = coverageByTactic(
      [tactic('execution', 2), tactic('discovery', 1)],
      [
        technique(['execution', 'discovery'], 'validated'),
        technique(['execution'], 'untested'),
        technique(['execution'], 'validated', true),
        technique(['unknown'], 'partial'),
      ],
    );
    expect(rows.map((r) => r.shortname)).toEqual(['discovery', 'execution']);
    expect(rows[1]).toMatchObject({ total: 2, validated: 1, untested: 1, partial: 0 });
    expect(rows[0]).toMatchObject({ total: 1, validated: 1 });
  });
});

describe('chartScale', () => {
  it.each([
    [0, 1, [0, 1]],
    [3, 3, [0, 1, 2, 3]],
    [5, 5, [0, 1, 2, 3, 4, 5]],
    [6, 6, [0, 2, 4, 6]],
    [11, 15, [0, 5, 10, 15]],
    [47, 50, [0, 10, 20, 30, 40, 50]],
    [51, 60, [0, 20, 40, 60]],
    [230, 250, [0, 50, 100, 150, 200, 250]],
  ])('max %i → top %i with ticks %j', (max, top, ticks) => {
    expect(chartScale(max)).toEqual({ top, ticks });
  });
});
