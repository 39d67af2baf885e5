import type { ScoreBreakdown, TacticScoreSummary } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { formatNumber, formatScore, notApplicableReason, rollupPhrase, tacticScoresCsv } from './format';
import { parseScoresSearch } from './search';

const none = { value: null, display: null };

/** A breakdown whose D3FEND and platform parts are as given; the others apply. */
function breakdown(
  d3fend: Partial<ScoreBreakdown['d3fend']>,
  relevant: string[] = ['Windows'],
): ScoreBreakdown {
  const applies = { value: 0, weight: 10, applicable: true, points: { value: 0, display: 0 } };
  return {
    tests: { ...applies, results: [] },
    rules: { ...applies, deployed: 0, catalog: 0, deployedSat: 3, catalogSat: 5, groups: [] },
    d3fend: {
      value: null,
      weight: 15,
      applicable: false,
      points: none,
      mode: 'inventory',
      mapped: 0,
      implemented: 0,
      partial: 0,
      saturation: 3,
      notAssessed: false,
      ...d3fend,
    },
    freshness: {
      ...applies,
      ageDays: null,
      newestSuccessAt: null,
      newestSuccessId: null,
      graceDays: 30,
      staleDays: 365,
    },
    platform:
      relevant.length === 0
        ? { value: null, weight: 10, applicable: false, points: none, relevant, covered: [] }
        : { ...applies, relevant, covered: [] },
  };
}

describe('why a component does not apply', () => {
  it('names an empty D3FEND inventory before a missing mapping', () => {
    expect(notApplicableReason('d3fend', breakdown({ mapped: 8, notAssessed: true }))).toBe(
      'no D3FEND inventory yet',
    );
    expect(notApplicableReason('d3fend', breakdown({ mapped: 0, notAssessed: true }))).toBe(
      'no D3FEND inventory yet',
    );
    expect(notApplicableReason('d3fend', breakdown({ mapped: 0 }))).toBe('no D3FEND mapping');
  });

  it('names a technique with no platform in scope', () => {
    expect(notApplicableReason('platform', breakdown({}, []))).toBe(
      'none of its platforms is in the organisation’s scope',
    );
  });

  it('gives no reason for a component that applies', () => {
    const parts = breakdown({ value: 0.5, applicable: true, mapped: 11, implemented: 1, partial: 1 });
    expect(notApplicableReason('d3fend', parts)).toBeNull();
    expect(notApplicableReason('tests', parts)).toBeNull();
  });
});

describe('figures', () => {
  it('shows one decimal, and a dash for an undefined score', () => {
    expect(formatScore({ value: 59.96, display: 60 })).toBe('60.0');
    expect(formatScore({ value: 11.764705, display: 11.8 })).toBe('11.8');
    expect(formatScore(none)).toBe('—');
    expect(formatScore(undefined)).toBe('—');
  });

  it('writes counts and weights as short as they are exact', () => {
    expect(formatNumber(3)).toBe('3');
    expect(formatNumber(128.7)).toBe('128.7');
    expect(formatNumber(0.6666666)).toBe('0.667');
  });

  it('says how a parent aggregates, per roll-up function', () => {
    expect(rollupPhrase('average', 13)).toBe('average of itself and its 13 sub-techniques');
    expect(rollupPhrase('min', 1)).toBe('lowest of itself and its 1 sub-technique');
    expect(rollupPhrase('sum', 2)).toBe('sum of itself and its 2 sub-techniques');
  });
});

describe('the tactic CSV', () => {
  const tactic = (name: string, score: number | null, threat: number | null, count: number) =>
    ({
      id: name,
      attackId: name === 'Execution' ? 'TA0002' : 'TA0043',
      name,
      shortname: name.toLowerCase(),
      score: { value: score, display: score === null ? null : Math.round(score * 10) / 10 },
      threatScore: { value: threat, display: threat === null ? null : Math.round(threat * 10) / 10 },
      techniqueCount: count,
      configVersion: 2,
      computedAt: '2026-12-03T14:05:39.694Z',
    }) as TacticScoreSummary;

  it('holds the numbers the table shows, one decimal, empty for a tactic without a score', () => {
    expect(
      tacticScoresCsv([tactic('Reconnaissance', null, null, 0), tactic('Execution', 31.0937, 29.1764, 17)]),
    ).toBe(
      'Tactic,ATT&CK id,Techniques in scope,Score,Threat-weighted score\r\n' +
        'Reconnaissance,TA0043,0,,\r\n' +
        'Execution,TA0002,17,31.1,29.2\r\n',
    );
  });

  it('quotes a name holding a comma or a quote', () => {
    const csv = tacticScoresCsv([tactic('Command, "and" Control', 10, 10, 1)]);
    expect(csv.split('\r\n')[1]).toBe('"Command, ""and"" Control",TA0043,1,10.0,10.0');
  });
});

describe('the Scores page URL', () => {
  it('keeps the filters it understands and drops defaults and nonsense', () => {
    expect(
      parseScoresSearch({
        tactic: 'execution',
        minScore: '50',
        maxScore: 120,
        status: 'validated',
        subtechniques: 'include',
        sort: 'ownScore',
        order: 'desc',
        page: 2,
      }),
    ).toEqual({
      tactic: 'execution',
      minScore: 50,
      status: 'validated',
      sort: 'ownScore',
      order: 'desc',
      page: 2,
    });
    expect(parseScoresSearch({ sort: 'attackId', order: 'asc', status: 'great', minScore: 'x' })).toEqual({});
    expect(parseScoresSearch({ minScore: 0, subtechniques: 'only' })).toEqual({
      minScore: 0,
      subtechniques: 'only',
    });
  });
});
