import type { SnapshotComparison, SnapshotTrend } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { tableCsv } from '../metrics/format';
import {
  countsPhrase,
  scoreMove,
  signed,
  signedCount,
  tacticTable,
  techniqueRef,
  thresholdError,
  trendTable,
} from './format';

const fig = (value: number | null) => ({
  value,
  display: value === null ? null : (Math.sign(value) * Math.round(Math.abs(value) * 10)) / 10,
});
const counts = { validated: 12, partial: 3, not_covered: 0, in_progress: 1, untested: 640 };

describe('signed', () => {
  it.each([
    [2.25, '+2.3'], // half away from zero, as the API's display values
    [-2.25, '−2.3'],
    [0.04, '0.0'],
    [-0.04, '0.0'], // no "−0.0"
    [12, '+12.0'],
    [null, '—'],
  ] as const)('%s reads %s', (value, text) => {
    expect(signed(value)).toBe(text);
  });

  it('gives counts their sign too', () => {
    expect([signedCount(3), signedCount(-2), signedCount(0)]).toEqual(['+3', '−2', '0']);
  });
});

describe('scoreMove', () => {
  it('shows both scores, the move and the unrounded working that gives it', () => {
    expect(scoreMove(fig(41.244), fig(43.456), fig(2.212))).toEqual({
      from: '41.2',
      to: '43.5',
      delta: '+2.2',
      working: '43.46 − 41.24 = +2.22',
    });
  });

  it('says a fall with a minus and subtracts exactly in hundredths', () => {
    expect(scoreMove(fig(0.3), fig(0.1), fig(0.1 - 0.3)).working).toBe('0.10 − 0.30 = −0.20');
  });

  it('has no working when either end has no score', () => {
    expect(scoreMove(fig(null), fig(12), fig(null))).toEqual({
      from: '—',
      to: '12.0',
      delta: '—',
      working: null,
    });
  });
});

describe('tacticTable', () => {
  const tactics: SnapshotComparison['tactics'] = [
    { shortname: 'execution', name: 'Execution', scoreFrom: fig(10), scoreTo: fig(12.5), delta: fig(2.5) },
    { shortname: 'impact', name: 'Impact', scoreFrom: fig(8), scoreTo: fig(6.75), delta: fig(-1.25) },
    { shortname: 'new', name: 'New tactic', scoreFrom: fig(null), scoreTo: fig(4), delta: fig(null) },
  ];

  it('holds one row per tactic with the move as a plain number', () => {
    expect(tacticTable(tactics)).toEqual({
      header: ['Tactic', 'Score from', 'Score to', 'Δ'],
      body: [
        ['Execution', '10.0', '12.5', '2.5'],
        ['Impact', '8.0', '6.8', '-1.3'],
        ['New tactic', '', '4.0', ''],
      ],
    });
  });

  it('writes negative moves as numbers in its CSV, not as text a spreadsheet would guard', () => {
    expect(tableCsv(tacticTable(tactics))).toBe(
      'Tactic,Score from,Score to,Δ\r\nExecution,10.0,12.5,2.5\r\nImpact,8.0,6.8,-1.3\r\nNew tactic,,4.0,\r\n',
    );
  });
});

describe('trendTable', () => {
  it('lists each snapshot with its scores and counts, to the second in UTC', () => {
    const points: SnapshotTrend['points'] = [
      {
        id: '00000000-0000-4000-8000-000000000001',
        kind: 'scheduled',
        takenAt: '2026-12-01T01:00:03.512Z',
        organizationScore: fig(21.04),
        organizationThreatScore: fig(null),
        counts,
      },
    ];
    expect(trendTable(points).body).toEqual([['2026-12-01 01:00:03', 'Daily', '21.0', '', 12, 3, 0, 1, 640]]);
    expect(trendTable(points).header).toHaveLength(9);
  });
});

describe('countsPhrase', () => {
  it('names the statuses that have techniques, in coverage order', () => {
    expect(countsPhrase(counts)).toBe('12 validated · 3 partial · 1 in progress · 640 untested');
    expect(countsPhrase({ validated: 0, partial: 0, not_covered: 0, in_progress: 0, untested: 0 })).toBe(
      'no technique in scope',
    );
  });
});

describe('techniqueRef', () => {
  it('shows where a moved technique went', () => {
    expect(
      techniqueRef({ attackId: 'T1574.002', movedTo: { stixId: 's', attackId: 'T1574.001', name: 'x' } }),
    ).toBe('T1574.002 → T1574.001');
    expect(techniqueRef({ attackId: 'T1059.001', movedTo: null })).toBe('T1059.001');
  });
});

describe('thresholdError', () => {
  it.each([
    ['1', null],
    ['0', null],
    ['2.5', null],
    ['100', null],
    ['', 'The threshold must be a number of points.'],
    ['abc', 'The threshold must be a number of points.'],
    ['-1', 'The threshold must be from 0 to 100 points.'],
    ['101', 'The threshold must be from 0 to 100 points.'],
  ])('%j: %s', (text, problem) => {
    expect(thresholdError(text)).toBe(problem);
  });
});
