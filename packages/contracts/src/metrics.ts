import { z } from 'zod';
import { AttackRef, CoverageStatus } from './attack';
import { CoverageReport } from './coverage';
import { Figure } from './scores';
import { TestState, UserRef } from './test-cases';
import { Role } from './users';

/**
 * Operational metrics (analysis spec §2): each figure names its start and end event, its included
 * set, and what it left out and why. Durations are means with their median, p90 and n; ratios carry
 * their numerator and denominator; an empty denominator is null (§0.8). Every response says which
 * configuration it used and when it was computed (§0.7).
 */

const when = z.iso.datetime({ offset: true });
const stamp = { configVersion: z.number().int().min(1), computedAt: z.iso.datetime() };
const name = (what: string) =>
  z.string().trim().min(1, `${what} must not be empty`).max(100, `${what} is at most 100 characters`);

/** Filters every metric takes (spec §2.3). A technique filter includes its sub-techniques. */
export const MetricsFilters = z.object({
  tactic: z
    .string()
    .regex(/^[a-z0-9-]{1,64}$/, 'a tactic shortname, e.g. execution')
    .optional(),
  technique: z
    .string()
    .regex(/^[Tt]\d{4}(\.\d{3})?$/, 'an ATT&CK technique id, e.g. T1059 or T1059.001')
    .optional(),
  platform: name('platform').optional(),
  tool: name('tool').optional(),
  campaign: z.uuid().optional(),
});
export type MetricsFilters = z.infer<typeof MetricsFilters>;

/** A period: `from` (inclusive) to `to` (exclusive); by default the 90 days up to now. */
export const MetricsPeriodQuery = MetricsFilters.extend({
  from: when.optional(),
  to: when.optional(),
});
export type MetricsPeriodQuery = z.infer<typeof MetricsPeriodQuery>;

export const Excluded = z.object({
  /** Eligible records without the end timestamp (e.g. a detection with no detectedAt). */
  noTimestamp: z.number().int(),
  /** End before start: a data error, listed in the data-integrity view. */
  negative: z.number().int(),
  /** Longer than the metric's maximum (METRIC_MAX_DURATION_DAYS): listed too. */
  outlier: z.number().int(),
});
export type Excluded = z.infer<typeof Excluded>;

export const DurationFigure = z.object({
  unit: z.enum(['seconds', 'days']),
  mean: Figure,
  median: Figure,
  p90: Figure,
  /** Samples in the mean. Fewer than 5: the UI shows the value as a low sample. */
  n: z.number().int(),
  excluded: Excluded,
});
export type DurationFigure = z.infer<typeof DurationFigure>;

export const RatioFigure = z.object({
  value: Figure,
  numerator: z.number().int(),
  denominator: z.number().int(),
});
export type RatioFigure = z.infer<typeof RatioFigure>;

export const OperationalMetrics = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  timezone: z.string(),
  filters: MetricsFilters,
  /** detectedAt − executionStartedAt of validated tests detected or prevented, executed in the period. */
  mttd: DurationFigure,
  /** The same per defensive tool, with that tool's detectedAt. */
  mttdByTool: z.array(DurationFigure.extend({ tool: z.string() })),
  /** preventedAt (first tool that prevented) − executionStartedAt of validated prevented tests. */
  mttp: DurationFigure,
  /** Validated tests logged or not detected / validated tests, executed in the period: beside MTTD. */
  undetectedShare: RatioFigure,
  /** Remediation completed − failing test validated, for items completed in the period (days). */
  mttr: DurationFigure.extend({ open: z.object({ n: z.number().int(), meanAgeDays: Figure }) }),
  /** First better re-test validated − failing test validated, for re-tests validated in the period (days). */
  mttv: DurationFigure,
  /** (prevented + detected) / current results of in-scope techniques executed in the period. */
  efficacy: RatioFigure.extend({
    split: z.object({
      prevented: z.number().int(),
      detected: z.number().int(),
      logged: z.number().int(),
      not_detected: z.number().int(),
    }),
  }),
  /** Current results at or above their template's expected outcome / those with an expectation. */
  expectationMet: RatioFigure.extend({ withoutExpectation: z.number().int() }),
  /** Detected tests whose fired rules include one about the technique (or its family) / those with a fired rule. */
  alertFidelity: RatioFigure,
  /** Techniques whose coverage rank rose (gross) or fell (regressions) in the period; net = gross − regressions. */
  velocity: z.object({ gross: z.number().int(), regressions: z.number().int(), net: z.number().int() }),
  ...stamp,
});
export type OperationalMetrics = z.infer<typeof OperationalMetrics>;

export const TREND_METRICS = [
  'mttd',
  'mttp',
  'mttr',
  'mttv',
  'undetected-share',
  'efficacy',
  'expectation-met',
  'alert-fidelity',
  'velocity',
] as const;
export const TrendMetric = z.enum(TREND_METRICS);
export type TrendMetric = z.infer<typeof TrendMetric>;

export const TrendParams = z.object({ metric: TrendMetric });
export const TrendQuery = MetricsPeriodQuery.extend({
  bucket: z.enum(['week', 'month', 'quarter']).default('week'),
  /** IANA time zone of the buckets; by default the organisation's (AEGIS_TIMEZONE). */
  timezone: z
    .string()
    .max(64)
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone, e.g. Europe/Madrid')
    .optional(),
});
export type TrendQuery = z.infer<typeof TrendQuery>;

export const TrendPoint = z.object({
  /** `2026-W12`, `2026-03`, `2026-Q1` in the organisation's time zone. */
  bucket: z.string(),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  /** The headline value (mean for durations, ratio, net for velocity); null for an empty bucket. */
  value: Figure,
  /** Samples (durations), denominator (ratios) or moves (velocity) behind the value. */
  n: z.number().int(),
  excluded: Excluded.optional(),
  /** Velocity only. */
  gross: z.number().int().optional(),
  regressions: z.number().int().optional(),
});
export type TrendPoint = z.infer<typeof TrendPoint>;

export const MetricTrend = z.object({
  metric: TrendMetric,
  bucket: z.enum(['week', 'month', 'quarter']),
  unit: z.enum(['seconds', 'days', 'ratio', 'techniques']),
  timezone: z.string(),
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  filters: MetricsFilters,
  points: z.array(TrendPoint),
  ...stamp,
});
export type MetricTrend = z.infer<typeof MetricTrend>;

/** A record a metric left out, and why: what a lead fixes in the data. */
export const IntegrityIssue = z.object({
  metric: z.enum(['mttd', 'mttd-tool', 'mttp', 'mttr', 'mttv']),
  reason: z.enum(['noTimestamp', 'negative', 'outlier']),
  testId: z.uuid(),
  title: z.string(),
  tool: z.string().nullable(),
  start: z.iso.datetime().nullable(),
  end: z.iso.datetime().nullable(),
  /** end − start in seconds, when both exist. */
  seconds: z.number().nullable(),
});
export type IntegrityIssue = z.infer<typeof IntegrityIssue>;

export const DataIntegrity = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  items: z.array(IntegrityIssue),
  /** The list stops at 500 records; counts by metric and reason are always whole. */
  truncated: z.boolean(),
  counts: z.array(
    z.object({
      metric: IntegrityIssue.shape.metric,
      reason: IntegrityIssue.shape.reason,
      n: z.number().int(),
    }),
  ),
  ...stamp,
});
export type DataIntegrity = z.infer<typeof DataIntegrity>;

// ------------------------------------------------------------------------------------- executive view

/** A technique whose coverage rank moved in a period: its status at the start and at the end. */
export const CoverageMove = z.object({
  technique: AttackRef,
  from: CoverageStatus,
  to: CoverageStatus,
  /** The last change in the period. */
  at: z.iso.datetime(),
});
export type CoverageMove = z.infer<typeof CoverageMove>;

/** The figures of one period the executive view compares with the period before it. */
export const PeriodFigures = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  mttd: DurationFigure,
  mttr: DurationFigure.extend({ open: z.object({ n: z.number().int(), meanAgeDays: Figure }) }),
  efficacy: OperationalMetrics.shape.efficacy,
  undetectedShare: RatioFigure,
  velocity: OperationalMetrics.shape.velocity,
});
export type PeriodFigures = z.infer<typeof PeriodFigures>;

/**
 * The executive dashboard (leads and admin): the organisation's score, coverage by tactic, the period's
 * figures beside the previous period's (same length, just before), the techniques that moved most,
 * and the oldest open remediation.
 */
export const ExecutiveDashboard = z.object({
  timezone: z.string(),
  organization: z.object({
    score: Figure,
    threatScore: Figure,
    techniqueCount: z.number().int(),
    /**
     * The organisation score at each snapshot of the period (oldest first; daily, manual and
     * pre-upgrade ones): its trend. Empty until snapshots are taken.
     */
    trend: z.array(
      z.object({
        snapshotId: z.uuid(),
        kind: z.enum(['manual', 'scheduled', 'pre-upgrade']),
        takenAt: z.iso.datetime({ offset: true }),
        score: Figure,
        threatScore: Figure,
      }),
    ),
  }),
  coverageByTactic: CoverageReport,
  current: PeriodFigures,
  previous: PeriodFigures,
  /** Up to 10 techniques whose coverage rank rose in the period (largest rise, then latest). */
  improvements: z.array(CoverageMove),
  /** Up to 10 whose rank fell. */
  regressions: z.array(CoverageMove),
  oldestOpenRemediation: z
    .object({
      testId: z.uuid(),
      title: z.string(),
      technique: AttackRef,
      openedAt: z.iso.datetime(),
      ageDays: Figure,
    })
    .nullable(),
  ...stamp,
});
export type ExecutiveDashboard = z.infer<typeof ExecutiveDashboard>;

// ------------------------------------------------------------------------------------- workflow

/**
 * The pipeline (spec §2.3): the tests in each state now (snapshot), and of the tests created in the
 * period (cohort) how many reached each step, the share of the previous step that did, and the median
 * time spent in each state by those that left it.
 */
export const PipelineMetrics = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  snapshot: z.array(z.object({ state: TestState, n: z.number().int() })),
  cohort: z.object({
    created: z.number().int(),
    steps: z.array(
      z.object({
        state: z.enum(['red_executing', 'blue_evaluating', 'in_review', 'validated']),
        reached: z.number().int(),
        /** reached ÷ the previous step's reached (created for the first step); null when that is 0. */
        fromPrevious: Figure,
      }),
    ),
    /** Median hours in each state, over the cohort's tests that left it (n of them). */
    timeInState: z.array(z.object({ state: TestState, medianHours: Figure, n: z.number().int() })),
  }),
  ...stamp,
});
export type PipelineMetrics = z.infer<typeof PipelineMetrics>;

/** Review decisions in the period (each `validated` or `rejected` transition is one). */
export const ValidationRates = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** validated ÷ (validated + rejected). */
  validationRate: RatioFigure,
  /** validations without an earlier rejection in the test's history ÷ validations. */
  firstPassRate: RatioFigure,
  /**
   * decisions where both leads voted the same ÷ decisions both leads voted in (a round's votes are
   * kept with its decision; a later vote on a rejected test still counts).
   */
  leadAgreement: RatioFigure,
  /** Decisions left out of lead agreement: one lead's reject decided before the other voted. */
  decisionsWithOneVote: z.number().int(),
  ...stamp,
});
export type ValidationRates = z.infer<typeof ValidationRates>;

/** What people did in the period, from the audit log (each action once, by whoever took it). */
export const Activity = z.object({
  testsCreated: z.number().int(),
  executionsRecorded: z.number().int(),
  evaluationsRecorded: z.number().int(),
  votesCast: z.number().int(),
  evidenceUploaded: z.number().int(),
  remediationStepsCompleted: z.number().int(),
});
export type Activity = z.infer<typeof Activity>;

/** Team totals for everyone; per person only for leads and admin (`users` is null for others). */
export const TeamActivity = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** red and blue by role; `other` holds admins and viewers. */
  teams: z.array(Activity.extend({ team: z.enum(['red', 'blue', 'other']) })),
  users: z.array(Activity.extend({ user: UserRef, role: Role })).nullable(),
  ...stamp,
});
export type TeamActivity = z.infer<typeof TeamActivity>;

/** Current results of the period per tactic (a technique counts under each of its tactics): PurpleOps' per-tactic table. */
export const TacticMetrics = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  items: z.array(
    z.object({
      tactic: z.string(),
      name: z.string(),
      attackId: z.string().nullable(),
      prevented: z.number().int(),
      detected: z.number().int(),
      logged: z.number().int(),
      not_detected: z.number().int(),
      /** (prevented + detected) ÷ all four. */
      efficacy: RatioFigure,
    }),
  ),
  ...stamp,
});
export type TacticMetrics = z.infer<typeof TacticMetrics>;

/** The headline figures of the dashboard, for everyone. */
export const MetricsSummary = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  testsByState: z.array(z.object({ state: TestState, n: z.number().int() })),
  validatedInPeriod: z.number().int(),
  efficacy: RatioFigure,
  undetectedShare: RatioFigure,
  mttd: DurationFigure,
  mttr: DurationFigure,
  velocity: OperationalMetrics.shape.velocity,
  ...stamp,
});
export type MetricsSummary = z.infer<typeof MetricsSummary>;
