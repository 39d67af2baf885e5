import type { CoverageStatus } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { coverageCounts } from './TechniqueCoverage';

const use = (n: number, coverageStatus: CoverageStatus) => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  attackId: `T100${n}`,
  name: `Technique ${n}`,
  coverageStatus,
  tactics: ['execution'],
});

describe('coverageCounts', () => {
  it('counts each coverage status, zero for the ones no technique is in', () => {
    expect(
      coverageCounts([use(1, 'validated'), use(2, 'validated'), use(3, 'not_covered'), use(4, 'untested')]),
    ).toEqual({ validated: 2, partial: 0, not_covered: 1, in_progress: 0, untested: 1 });
    expect(coverageCounts([])).toEqual({
      validated: 0,
      partial: 0,
      not_covered: 0,
      in_progress: 0,
      untested: 0,
    });
  });
});
