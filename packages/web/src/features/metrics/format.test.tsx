import type { MetricTrend, TrendPoint } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import {
  compareTrend,
  formatDuration,
  formatPercent,
  isLowSample,
  lastDays,
  oneDecimal,
  ratioBasis,
  tableCsv,
  toolRows,
  toolTable,
  trendWeeks,
  weekRows,
  weekTable,
} from './format';

const fig = (value: number | null) => ({ value, display: value });

describe('compareTrend', () => {
  it.each([
    // current, previous, lowerIsBetter, direction, better
    [300, 600, true, 'down', true], // MTTD fell: better
    [600, 300, true, 'up', false], // MTTD rose: worse
    [0.8, 0.6, false, 'up', true], // efficacy rose: better
    [0.6, 0.8, false, 'down', false], // efficacy fell: worse
    [410, 410, true, 'flat', null],
    [0.1 + 0.2, 0.3, false, 'flat', null], // float noise is not a move
  ] as const)(
    '%s against %s (lower is better: %s) is %s, better %s',
    (now, before, lowerIsBetter, direction, better) => {
      const trend = compareTrend(now, before, { lowerIsBetter, previousText: 'X' });
      expect(trend.direction).toBe(direction);
      expect(trend.better).toBe(better);
    },
  );

  it('says the previous value in words', () => {
    expect(compareTrend(300, 600, { lowerIsBetter: true, previousText: '10.0 min' }).words).toBe(
      'down from 10.0 min in the previous period (better)',
    );
    expect(compareTrend(410, 410, { lowerIsBetter: true, previousText: '6.8 min' }).words).toBe(
      'unchanged from 6.8 min',
    );
  });

  it('has no direction when either period has no value', () => {
    expect(compareTrend(300, null, { lowerIsBetter: true, previousText: '—' })).toEqual({
      direction: 'flat',
      better: null,
      words: 'no value in the previous period',
    });
    expect(compareTrend(null, 300, { lowerIsBetter: true, previousText: '5.0 min' }).words).toBe(
      'previous period 5.0 min',
    );
  });
});

describe('figures', () => {
  it('rounds half away from zero, as the API does', () => {
    expect([0.05, 0.15, -0.05, 2.25, 0].map(oneDecimal)).toEqual(['0.1', '0.2', '-0.1', '2.3', '0.0']);
  });

  it('shows a null ratio or duration as a dash, never 0', () => {
    expect(formatPercent(fig(null))).toBe('—');
    expect(formatDuration(null, 'seconds')).toBe('—');
    expect(formatPercent(fig(0))).toBe('0.0%');
  });

  it('says what a ratio counts, or that its denominator is empty', () => {
    const r = (numerator: number, denominator: number) => ({ value: fig(null), numerator, denominator });
    expect(ratioBasis(r(3, 4), 'results', 'prevented or detected')).toBe(
      '3 of 4 results prevented or detected',
    );
    expect(ratioBasis(r(0, 0), 'results', 'prevented or detected')).toBe('no results in the period');
  });

  it('reads a duration in its best unit (the worked example: 410 s)', () => {
    expect(formatDuration(60, 'seconds')).toBe('60.0 s');
    expect(formatDuration(410, 'seconds')).toBe('6.8 min');
    expect(formatDuration(3 * 3600, 'seconds')).toBe('3.0 h');
    expect(formatDuration(14, 'days')).toBe('14.0 d');
  });

  it('calls fewer than five samples a low sample', () => {
    expect([0, 4, 5].map(isLowSample)).toEqual([true, true, false]);
  });

  it('draws the weekly trend over the period, at least 12 weeks and at most what the server answers', () => {
    const days = (p: { from: string; to: string }) => (Date.parse(p.to) - Date.parse(p.from)) / 86_400_000;
    const now = new Date('2026-03-31T10:15:42.500Z');
    expect(trendWeeks(lastDays(90, now))).toEqual({ ...lastDays(90, now), bucket: 'week' });
    expect(days(trendWeeks(lastDays(365, now)))).toBe(365);
    // 30 days are four weeks and a bit: the trend goes back twelve weeks, to the same end.
    expect(trendWeeks(lastDays(30, now))).toEqual({ ...lastDays(84, now), bucket: 'week' });
    // Ten years would be 522 weeks: the server answers at most 260 buckets.
    expect(days(trendWeeks(lastDays(3650, now)))).toBe(258 * 7);
  });

  it('takes a period that ends at the end of the current hour', () => {
    expect(lastDays(30, new Date('2026-03-31T10:15:42.500Z'))).toEqual({
      from: '2026-03-01T11:00:00.000Z',
      to: '2026-03-31T11:00:00.000Z',
    });
  });
});

const point = (bucket: string, value: number | null, n: number): TrendPoint => ({
  bucket,
  start: `2026-03-${bucket === '2026-W12' ? '16' : '23'}T00:00:00.000Z`,
  end: '2026-03-30T00:00:00.000Z',
  value: fig(value),
  n,
});
const trend = (metric: 'mttd' | 'efficacy', points: TrendPoint[]): MetricTrend => ({
  metric,
  bucket: 'week',
  unit: metric === 'mttd' ? 'seconds' : 'ratio',
  timezone: 'UTC',
  from: '2026-03-16T00:00:00.000Z',
  to: '2026-03-30T00:00:00.000Z',
  filters: {},
  points,
  configVersion: 1,
  computedAt: '2026-03-30T00:00:00.000Z',
});

describe('chart CSVs', () => {
  it('holds the weekly trend as its table shows it: minutes and percent to one decimal, empty weeks empty', () => {
    const rows = weekRows(
      trend('mttd', [point('2026-W12', 410, 3), point('2026-W13', null, 0)]),
      trend('efficacy', [point('2026-W12', 0.75, 4), point('2026-W13', null, 0)]),
    );
    expect(tableCsv(weekTable(rows))).toBe(
      'Week,Week start,MTTD (minutes),Detections,Efficacy (%),Results\r\n' +
        '2026-W12,2026-03-16,6.8,3,75.0,4\r\n' +
        '2026-W13,2026-03-23,,0,,0\r\n',
    );
  });

  it('holds the per-tool MTTD, a tool name that looks like a formula defused', () => {
    const duration = (mean: number, median: number, n: number, tool: string) => ({
      tool,
      unit: 'seconds' as const,
      mean: fig(mean),
      median: fig(median),
      p90: fig(mean),
      n,
      excluded: { noTimestamp: 0, negative: 0, outlier: 0 },
    });
    const table = toolTable(toolRows([duration(270, 270, 1, 'Defender'), duration(720, 600, 6, '=cmd')]));
    expect(table.body).toEqual([
      ['Defender', '4.5', '4.5', 1],
      ['=cmd', '12.0', '10.0', 6],
    ]);
    expect(tableCsv(table)).toBe(
      "Tool,MTTD (minutes),Median (minutes),Detections\r\nDefender,4.5,4.5,1\r\n'=cmd,12.0,10.0,6\r\n",
    );
  });
});
