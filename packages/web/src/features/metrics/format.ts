import type { DurationFigure, Figure, MetricTrend, OperationalMetrics, RatioFigure } from '@aegis/contracts';
import { toCsv } from '../../components/csv';
import type { Period } from './api';

/** Below this many samples a figure is shown greyed as a "low sample" (analysis spec §2.3). */
export const LOW_SAMPLE = 5;
export const isLowSample = (n: number): boolean => n < LOW_SAMPLE;

/** What every empty figure shows (spec §0.8: an empty denominator is null, never 0). */
export const NONE = '—';

/** One decimal, half away from zero, as the API's `display` values are rounded (spec §0.7). */
export function oneDecimal(value: number): string {
  const rounded = Math.round(Math.abs(value) * 10 + 1e-9) / 10;
  return (rounded === 0 ? 0 : Math.sign(value) * rounded).toFixed(1);
}

/** A ratio as a percentage with one decimal ("75.0%"), "—" for null. */
export function formatPercent(figure: Figure | null | undefined): string {
  const v = figure?.value;
  return v === null || v === undefined ? NONE : `${oneDecimal(v * 100)}%`;
}

/**
 * A duration in the unit that reads best: seconds under two minutes, then minutes, hours and days
 * (one decimal). `unit` is the unit of the raw value (MTTD in seconds, MTTR in days).
 */
export function formatDuration(value: number | null | undefined, unit: 'seconds' | 'days'): string {
  if (value === null || value === undefined) return NONE;
  const seconds = unit === 'days' ? value * 86_400 : value;
  if (Math.abs(seconds) < 120) return `${oneDecimal(seconds)} s`;
  if (Math.abs(seconds) < 7_200) return `${oneDecimal(seconds / 60)} min`;
  if (Math.abs(seconds) < 172_800) return `${oneDecimal(seconds / 3_600)} h`;
  return `${oneDecimal(seconds / 86_400)} d`;
}

export const formatMean = (figure: DurationFigure): string => formatDuration(figure.mean.value, figure.unit);

export type Direction = 'up' | 'down' | 'flat';

export interface Trend {
  direction: Direction;
  /** Whether the move is good news; null when flat or when either period has no value. */
  better: boolean | null;
  /** What a screen reader says: the direction and the previous value in words. */
  words: string;
}

/**
 * The arrow beside a figure, comparing it with the previous period. Equal at the shown precision
 * is flat; `lowerIsBetter` for times (MTTD, MTTR, undetected share), not for efficacy.
 */
export function compareTrend(
  current: number | null,
  previous: number | null,
  { lowerIsBetter, previousText }: { lowerIsBetter: boolean; previousText: string },
): Trend {
  if (current === null || previous === null)
    return {
      direction: 'flat',
      better: null,
      words: previous === null ? 'no value in the previous period' : `previous period ${previousText}`,
    };
  // Compared at a precision finer than any display, so float noise is not a move.
  const delta = Math.round((current - previous) * 1e6) / 1e6;
  if (delta === 0) return { direction: 'flat', better: null, words: `unchanged from ${previousText}` };
  const direction: Direction = delta > 0 ? 'up' : 'down';
  const better = lowerIsBetter ? delta < 0 : delta > 0;
  return {
    direction,
    better,
    words: `${direction} from ${previousText} in the previous period (${better ? 'better' : 'worse'})`,
  };
}

/**
 * The last `days` days up to the end of the current hour, as the server's default period (ADR 25):
 * nothing recent is left out, and the question stays the same for an hour, so the server reuses
 * its answer until the data changes.
 */
export function lastDays(days: number, now = new Date()): { from: string; to: string } {
  const to = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000);
  return { from: new Date(to.getTime() - days * 86_400_000).toISOString(), to: to.toISOString() };
}

/** The weekly trend spans at least this many weeks, so a short period still draws a line. */
export const MIN_TREND_WEEKS = 12;
/** The server answers at most 260 buckets; a part week at either end is a bucket of its own. */
const MAX_TREND_WEEKS = 258;
const WEEK_MS = 7 * 86_400_000;

/**
 * The weekly trend of a period: the same end, the same start unless that leaves fewer than
 * `MIN_TREND_WEEKS` weeks (then that many weeks back) or more buckets than the server answers.
 */
export function trendWeeks(period: Period): Period & { bucket: 'week' } {
  const to = Date.parse(period.to);
  const span = Math.min(
    Math.max(to - Date.parse(period.from), MIN_TREND_WEEKS * WEEK_MS),
    MAX_TREND_WEEKS * WEEK_MS,
  );
  return { from: new Date(to - span).toISOString(), to: period.to, bucket: 'week' };
}

// --------------------------------------------------------------------------------- charts' numbers

/** A chart table's number: one decimal after `scale`, "" (shown as "—") for null. */
export const tableCell = (value: number | null, scale = 1): string =>
  value === null ? '' : oneDecimal(value * scale);

/** One week of the trend chart, as the chart, its table and its CSV show it. */
export interface WeekRow {
  bucket: string;
  start: string;
  /** MTTD in minutes, one decimal; "" when no detection that week. */
  mttdMinutes: string;
  mttdN: number;
  /** Efficacy in percent, one decimal; "" when no result that week. */
  efficacyPercent: string;
  efficacyN: number;
}

/** The MTTD and efficacy trends joined by week (both asked for the same weeks). */
export function weekRows(mttd: MetricTrend, efficacy: MetricTrend): WeekRow[] {
  const byBucket = new Map(efficacy.points.map((p) => [p.bucket, p]));
  return mttd.points.map((p) => {
    const e = byBucket.get(p.bucket);
    return {
      bucket: p.bucket,
      start: p.start,
      mttdMinutes: tableCell(p.value.value, 1 / 60),
      mttdN: p.n,
      efficacyPercent: tableCell(e?.value.value ?? null, 100),
      efficacyN: e?.n ?? 0,
    };
  });
}

/**
 * The numbers behind a chart, once: its table shows them (an empty cell as "—") and its CSV holds
 * them (an empty cell empty), so the two cannot disagree.
 */
export interface ChartTable {
  header: string[];
  body: (string | number)[][];
  /**
   * Per body row: whether its ratio or median rests on fewer than `LOW_SAMPLE` records. The table
   * greys such a row and says "low sample"; the CSV holds the numbers only (the sample is a column).
   */
  lowSample?: boolean[];
}

export const tableCsv = (table: ChartTable): string => toCsv([table.header, ...table.body]);

export const weekTable = (rows: readonly WeekRow[]): ChartTable => ({
  header: ['Week', 'Week start', 'MTTD (minutes)', 'Detections', 'Efficacy (%)', 'Results'],
  body: rows.map((r) => [
    r.bucket,
    r.start.slice(0, 10),
    r.mttdMinutes,
    r.mttdN,
    r.efficacyPercent,
    r.efficacyN,
  ]),
});

/** One tool of the per-tool MTTD bars. */
export interface ToolRow {
  tool: string;
  mttdMinutes: string;
  medianMinutes: string;
  n: number;
}

export function toolRows(byTool: OperationalMetrics['mttdByTool']): ToolRow[] {
  return byTool.map((t) => ({
    tool: t.tool,
    mttdMinutes: tableCell(t.mean.value, 1 / 60),
    medianMinutes: tableCell(t.median.value, 1 / 60),
    n: t.n,
  }));
}

export const toolTable = (rows: readonly ToolRow[]): ChartTable => ({
  header: ['Tool', 'MTTD (minutes)', 'Median (minutes)', 'Detections'],
  body: rows.map((r) => [r.tool, r.mttdMinutes, r.medianMinutes, r.n]),
});

/** "1 detection", "2 detections", "0 fixes". */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** "3 of 4 results" (then `which`, when given) under a ratio, or why there is no value. */
export const ratioBasis = (r: RatioFigure, of: string, which = ''): string =>
  r.denominator === 0
    ? `no ${of} in the period`
    : `${r.numerator} of ${r.denominator} ${of}${which ? ` ${which}` : ''}`;
