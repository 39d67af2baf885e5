/**
 * The definitions every analysis shares (analysis spec §0), pure and table-tested, so that scores,
 * metrics, snapshots, reports and compliance agree on their numbers. No database, no clock: callers
 * pass what they read and the instant they compute at.
 */

// ── 0.1 Outcomes ────────────────────────────────────────────────────────────────────────────────

/** Blue outcomes, best first. */
export const OUTCOME_ORDER = ['prevented', 'detected', 'logged', 'not_detected'] as const;
export type AnalysisOutcome = (typeof OUTCOME_ORDER)[number];

/** PurpleOps' 3/2/1/0 normalised to 0–1: the default value of each outcome (configurable). */
export const DEFAULT_OUTCOME_VALUES: Readonly<Record<AnalysisOutcome, number>> = Object.freeze({
  prevented: 1,
  detected: 2 / 3,
  logged: 1 / 3,
  not_detected: 0,
});

/** Position in OUTCOME_ORDER: lower is better. */
export const outcomeRank = (o: AnalysisOutcome): number => OUTCOME_ORDER.indexOf(o);

/** The best of some per-tool outcomes (VECTR's "Blocked > Alerted > Logged > None"); null for none. */
export function bestOutcome(outcomes: readonly AnalysisOutcome[]): AnalysisOutcome | null {
  let best: AnalysisOutcome | null = null;
  for (const o of outcomes) if (best === null || outcomeRank(o) < outcomeRank(best)) best = o;
  return best;
}

/** A test's overall outcome: blue's own choice when made by hand, else the best per-tool outcome. */
export function overallOutcome(test: {
  outcome: AnalysisOutcome | null;
  outcomeExplicit: boolean;
  toolOutcomes: readonly AnalysisOutcome[];
}): AnalysisOutcome | null {
  if (test.outcomeExplicit && test.outcome) return test.outcome;
  return bestOutcome(test.toolOutcomes) ?? test.outcome;
}

// ── 0.2 Current result set CR(t) ──────────────────────────────────────────────────────────────────

export interface ResultCandidate {
  id: string;
  state: string;
  templateId: string | null;
  chainRootId: string | null;
  platform: string | null;
  executionStartedAt: Date | null;
  validatedAt: Date | null;
}

/** The procedure a test runs: its template, or without one the first test of its re-test chain. */
export const procedureKey = (t: Pick<ResultCandidate, 'id' | 'templateId' | 'chainRootId'>): string =>
  t.templateId ? `template:${t.templateId}` : `chain:${t.chainRootId ?? t.id}`;

const time = (d: Date | null) => (d ? d.getTime() : Number.NEGATIVE_INFINITY);

/** True when `a` is the later run of the same procedure and platform than `b`. */
function laterRun(a: ResultCandidate, b: ResultCandidate): boolean {
  if (time(a.executionStartedAt) !== time(b.executionStartedAt))
    return time(a.executionStartedAt) > time(b.executionStartedAt);
  if (time(a.validatedAt) !== time(b.validatedAt)) return time(a.validatedAt) > time(b.validatedAt);
  return a.id > b.id;
}

/**
 * CR(t) for the tests of one technique: the validated ones, one per procedure × target platform —
 * the latest by execution start (then validation time, then id). Re-runs replace, never add.
 */
export function currentResultSet<T extends ResultCandidate>(tests: readonly T[]): T[] {
  const kept = new Map<string, T>();
  for (const t of tests) {
    if (t.state !== 'validated') continue;
    const key = `${procedureKey(t)}|${(t.platform ?? '').toLowerCase()}`;
    const held = kept.get(key);
    if (!held || laterRun(t, held)) kept.set(key, t);
  }
  return [...kept.values()];
}

// ── 0.4 Scope ─────────────────────────────────────────────────────────────────────────────────────

/** ATT&CK 18 Enterprise platform names. */
export const ENTERPRISE_PLATFORMS = [
  'Windows',
  'macOS',
  'Linux',
  'ESXi',
  'IaaS',
  'Network Devices',
  'PRE',
  'Office Suite',
  'SaaS',
  'Identity Provider',
  'Containers',
] as const;

/** The default platform scope: every platform but PRE. `null` in a scope means "every platform but PRE". */
export type PlatformScope = readonly string[] | null;

/** Whether a technique with these platforms is in the organisation's scope (case-insensitive). */
export function inScope(platforms: readonly string[], scope: PlatformScope): boolean {
  const wanted = scope ? new Set(scope.map((p) => p.toLowerCase())) : null;
  return platforms.some((p) => (wanted ? wanted.has(p.toLowerCase()) : p.toLowerCase() !== 'pre'));
}

/** An active technique of the domain in scope: not revoked, not deprecated, a platform in scope. */
export const techniqueInScope = (
  t: { revoked: boolean; deprecated: boolean; platforms: readonly string[] },
  scope: PlatformScope,
): boolean => !t.revoked && !t.deprecated && inScope(t.platforms, scope);

// ── 0.5 Coverage orderings ────────────────────────────────────────────────────────────────────────

export type CoverageLevel = 'validated' | 'partial' | 'not_covered' | 'in_progress' | 'untested';

/** validated 2, partial 1, anything else 0. */
export const coverageRank = (s: CoverageLevel): number => (s === 'validated' ? 2 : s === 'partial' ? 1 : 0);

/** `untested`: no validated test ever; every other status is knowledge. */
export const isTested = (s: CoverageLevel): boolean => s !== 'untested';

// ── 0.6 Time buckets in the organisation's zone ──────────────────────────────────────────────────

export type BucketUnit = 'week' | 'month' | 'quarter';

export interface Bucket {
  /** `2026-W09`, `2026-03`, `2026-Q1`. */
  key: string;
  /** Half-open: [start, end), UTC instants of local midnights. */
  start: Date;
  end: Date;
}

const partsFormatter = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatter.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormatter.set(timeZone, f);
  }
  return f;
}

/** Throws a RangeError naming the zone when it is not an IANA time zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
  formatter(timeZone);
}

/** The wall-clock date and time of an instant in a zone. */
function wallClock(instant: number, timeZone: string) {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(instant)))
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  return {
    year: p.year ?? 0,
    month: p.month ?? 1,
    day: p.day ?? 1,
    ms: Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0),
  };
}

/** The local date (YYYY-MM-DD) of an instant in a zone. */
export function localDate(instant: Date, timeZone: string): string {
  const w = wallClock(instant.getTime(), timeZone);
  return `${String(w.year).padStart(4, '0')}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
}

/** The UTC instant at which a local date begins in a zone (the first instant of that date). */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const offset = wallClock(guess, timeZone).ms - guess;
    const next = wall - offset;
    if (next === guess) break;
    guess = next;
  }
  // Where midnight does not exist (a DST jump at 00:00), the day starts at the first instant after.
  while (wallClock(guess, timeZone).day !== new Date(wall).getUTCDate()) guess += 15 * 60_000;
  return new Date(guess);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local calendar arithmetic on plain dates (no zone): add days/months to a Y-M-D. */
function addDays(y: number, m: number, d: number, days: number): [number, number, number] {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
}

/** ISO-8601 week of a local date: [ISO year, week number]. */
export function isoWeek(y: number, m: number, d: number): [number, number] {
  const date = new Date(Date.UTC(y, m - 1, d));
  const dow = (date.getUTCDay() + 6) % 7; // Monday 0
  const thursday = new Date(Date.UTC(y, m - 1, d - dow + 3));
  const isoYear = thursday.getUTCFullYear();
  // The week's Thursday decides: its day of the year, in sevens.
  const dayOfYear = Math.round((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000);
  const week = Math.floor(dayOfYear / 7) + 1;
  return [isoYear, week];
}

/** The bucket (in the organisation's zone) that holds an instant. */
export function bucketOf(instant: Date, unit: BucketUnit, timeZone: string): Bucket {
  const { year, month, day } = wallClock(instant.getTime(), timeZone);
  let from: [number, number, number];
  let to: [number, number, number];
  let key: string;
  if (unit === 'week') {
    const dow = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
    from = addDays(year, month, day, -dow);
    to = addDays(...from, 7);
    const [wy, w] = isoWeek(...from);
    key = `${wy}-W${pad(w)}`;
  } else if (unit === 'month') {
    from = [year, month, 1];
    to = month === 12 ? [year + 1, 1, 1] : [year, month + 1, 1];
    key = `${year}-${pad(month)}`;
  } else {
    const q = Math.floor((month - 1) / 3);
    from = [year, q * 3 + 1, 1];
    to = q === 3 ? [year + 1, 1, 1] : [year, q * 3 + 4, 1];
    key = `${year}-Q${q + 1}`;
  }
  return { key, start: startOfLocalDay(...from, timeZone), end: startOfLocalDay(...to, timeZone) };
}

/** Every bucket that meets [from, to), in order — empty ones included (their values are null). */
export function bucketsBetween(from: Date, to: Date, unit: BucketUnit, timeZone: string): Bucket[] {
  const out: Bucket[] = [];
  if (to.getTime() <= from.getTime()) return out;
  let b = bucketOf(from, unit, timeZone);
  while (b.start.getTime() < to.getTime()) {
    out.push(b);
    b = bucketOf(b.end, unit, timeZone);
  }
  return out;
}

// ── 0.7 / 0.8 Numbers ─────────────────────────────────────────────────────────────────────────────

/** A ratio, or null when its denominator is empty (never 0 for "no data"). */
export const ratio = (numerator: number, denominator: number): number | null =>
  denominator === 0 ? null : numerator / denominator;

/** One decimal, half away from zero (0.05 → 0.1, -0.05 → -0.1); null stays null. */
export function display(value: number | null): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const scaled = Math.abs(value) * 10;
  // Nudge by a relative epsilon so binary representations of x.x5 round as written.
  const rounded = Math.floor(scaled + 0.5 + Number.EPSILON * Math.max(1, scaled) * 4) / 10;
  return rounded === 0 ? 0 : Math.sign(value) * rounded;
}

/** A figure as every analysis response carries it: the raw value and its display value. */
export const figure = (value: number | null) => ({ value, display: display(value) });

/** What every analysis response carries: which configuration it used and when it was computed. */
export const stamp = (configVersion: number, at: Date) => ({
  configVersion,
  computedAt: at.toISOString(),
});
