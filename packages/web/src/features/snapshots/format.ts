import type {
  Classification,
  ComparedTechnique,
  Figure,
  SnapshotComparison,
  SnapshotCounts,
  SnapshotKind,
  SnapshotTrend,
} from '@aegis/contracts';
import { type ChartTable, NONE, oneDecimal } from '../metrics/format';

export const CLASSIFICATION_LABELS: Record<Classification, string> = {
  regressed: 'Regressed',
  improved: 'Improved',
  newly_tested: 'Newly tested',
  moved: 'Moved',
  added: 'Added',
  removed: 'Removed',
  unchanged: 'Unchanged',
};

export const KIND_LABELS: Record<SnapshotKind, string> = {
  manual: 'Manual',
  scheduled: 'Daily',
  'pre-upgrade': 'Before upgrade',
};

/** A move with its sign, one decimal: "+2.2", "−1.0" (a real minus), "0.0"; "—" for null. */
export function signed(value: number | null | undefined): string {
  if (value === null || value === undefined) return NONE;
  const text = oneDecimal(value);
  if (text === '0.0') return text;
  return text.startsWith('-') ? `−${text.slice(1)}` : `+${text}`;
}

/** Why a typed threshold is not one the API takes (0 to 100 points), or null. */
export function thresholdError(text: string): string | null {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) return 'The threshold must be a number of points.';
  if (value < 0 || value > 100) return 'The threshold must be from 0 to 100 points.';
  return null;
}

/** A change of a count with its sign: "+3", "−2" (a real minus), "0". */
export const signedCount = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '0');

/** A score's display value as a table cell: one decimal, "" when undefined (the table shows "—"). */
const cell = (figure: Figure): string => (figure.display === null ? '' : figure.display.toFixed(1));

/**
 * A score's move as the page shows it: the two scores and the move at one decimal, and the working
 * with two decimals ("43.46 − 41.24 = +2.22"), so the move can be checked against the scores beside
 * it (the one-decimal values are each rounded, their difference may be 0.1 off the move).
 */
export function scoreMove(
  from: Figure,
  to: Figure,
  delta: Figure,
): { from: string; to: string; delta: string; working: string | null } {
  const shown = (f: Figure) => (f.display === null ? NONE : f.display.toFixed(1));
  const base = { from: shown(from), to: shown(to), delta: signed(delta.display) };
  if (from.value === null || to.value === null) return { ...base, working: null };
  // In hundredths, so the working's own subtraction is exact.
  const [a, b] = [Math.round(from.value * 100), Math.round(to.value * 100)];
  const diff = b - a;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '';
  return {
    ...base,
    working: `${(b / 100).toFixed(2)} − ${(a / 100).toFixed(2)} = ${sign}${(Math.abs(diff) / 100).toFixed(2)}`,
  };
}

/** The tactic deltas, as the bar chart, its table and its CSV show them (Δ as a plain number). */
export const tacticTable = (tactics: SnapshotComparison['tactics']): ChartTable => ({
  header: ['Tactic', 'Score from', 'Score to', 'Δ'],
  body: tactics.map((t) => [t.name, cell(t.scoreFrom), cell(t.scoreTo), cell(t.delta)]),
});

const COUNT_KEYS = [
  'validated',
  'partial',
  'not_covered',
  'in_progress',
  'untested',
] as const satisfies readonly (keyof SnapshotCounts)[];

/** The organisation score alone at each snapshot (the executive view's trend): the same first columns. */
export const scoreTrendTable = (
  points: ReadonlyArray<{
    takenAt: string;
    kind: keyof typeof KIND_LABELS;
    score: Figure;
    threatScore: Figure;
  }>,
): ChartTable => ({
  header: ['Taken at (UTC)', 'Kind', 'Score', 'Threat-weighted'],
  body: points.map((p) => [
    p.takenAt.slice(0, 19).replace('T', ' '),
    KIND_LABELS[p.kind],
    cell(p.score),
    cell(p.threatScore),
  ]),
});

/** The organisation score at each snapshot, oldest first: the trend chart's numbers. */
export const trendTable = (points: SnapshotTrend['points']): ChartTable => ({
  header: [
    'Taken at (UTC)',
    'Kind',
    'Score',
    'Threat-weighted',
    'Validated',
    'Partial',
    'Not covered',
    'In progress',
    'Untested',
  ],
  body: points.map((p) => [
    p.takenAt.slice(0, 19).replace('T', ' '),
    KIND_LABELS[p.kind],
    cell(p.organizationScore),
    cell(p.organizationThreatScore),
    ...COUNT_KEYS.map((k) => p.counts[k]),
  ]),
});

/** "12 validated · 3 partial · 640 untested": the counts that are not zero, in coverage order. */
export function countsPhrase(counts: SnapshotCounts): string {
  const words: Record<keyof SnapshotCounts, string> = {
    validated: 'validated',
    partial: 'partial',
    not_covered: 'not covered',
    in_progress: 'in progress',
    untested: 'untested',
  };
  const parts = COUNT_KEYS.filter((k) => counts[k] > 0).map((k) => `${counts[k]} ${words[k]}`);
  return parts.length > 0 ? parts.join(' · ') : 'no technique in scope';
}

/** The technique's ATT&CK id, and for a moved one where it went: "T1574.002 → T1574.001". */
export function techniqueRef(t: Pick<ComparedTechnique, 'attackId' | 'movedTo'>): string {
  const id = t.attackId ?? NONE;
  return t.movedTo ? `${id} → ${t.movedTo.attackId ?? t.movedTo.name}` : id;
}
