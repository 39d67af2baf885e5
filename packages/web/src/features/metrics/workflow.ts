import type {
  Activity,
  PipelineMetrics,
  TacticMetrics,
  TeamActivity,
  ValidationRates,
} from '@aegis/contracts';
import { roleLabel } from '../../app/auth';
import { testStateLabel } from '../test-cases/components/TestStateBadge';
import { type ChartTable, formatDuration, isLowSample, NONE, plural, tableCell } from './format';

/**
 * The numbers of the workflow metrics (spec §2.3: pipeline, review decisions, team activity, results
 * by tactic) as the metrics page shows them. Each row carries what its ratio or median is over, so
 * every figure can be recomputed from the ones beside it.
 */

/** A ratio's denominator that makes it a low sample (an empty one has no value to grey). */
const lowSample = (n: number): boolean => n > 0 && isLowSample(n);

// ------------------------------------------------------------------------------------- pipeline

/** One bar of the funnel: a step, how many of the cohort reached it, and the share of the step before. */
export interface FunnelRow {
  step: string;
  tests: number;
  /** The step before's count (the share's denominator); null for the first bar, the cohort. */
  previous: number | null;
  /** reached ÷ previous in percent, one decimal; "" when there is no share. */
  sharePercent: string;
}

/** The cohort (tests created in the period) and how many of them reached each step. */
export function funnelRows(cohort: PipelineMetrics['cohort']): FunnelRow[] {
  let previous = cohort.created;
  const steps = cohort.steps.map((s) => {
    const row = {
      step: testStateLabel(s.state),
      tests: s.reached,
      previous,
      sharePercent: tableCell(s.fromPrevious.value, 100),
    };
    previous = s.reached;
    return row;
  });
  return [{ step: 'Created', tests: cohort.created, previous: null, sharePercent: '' }, ...steps];
}

export const funnelTable = (rows: readonly FunnelRow[]): ChartTable => ({
  header: ['Step', 'Tests', 'Previous step', 'Share of previous (%)'],
  body: rows.map((r) => [r.step, r.tests, r.previous ?? '', r.sharePercent]),
  lowSample: rows.map((r) => r.sharePercent !== '' && lowSample(r.previous ?? 0)),
});

/** The median time the cohort spent in one state, as a metric figure. */
export function timeInState(t: PipelineMetrics['cohort']['timeInState'][number]) {
  return {
    label: testStateLabel(t.state),
    value: t.medianHours.value === null ? NONE : formatDuration(t.medianHours.value * 3_600, 'seconds'),
    n: t.n,
    basis: t.n === 0 ? 'no test of the cohort left it' : `median of ${plural(t.n, 'test')} that left it`,
  };
}

// ------------------------------------------------------------------------------------- review decisions

/** What lead agreement is over, or why it has no value. */
export const leadAgreementBasis = (r: ValidationRates['leadAgreement']): string =>
  r.denominator === 0
    ? 'no decision in the period had both leads’ votes'
    : `same vote in ${r.numerator} of ${plural(r.denominator, 'decision')} both leads voted in`;

/**
 * How the decisions split between those both leads voted in (lead agreement's denominator) and those
 * decided by one vote, which lead agreement leaves out.
 */
export function oneVoteNote(v: ValidationRates): string {
  const decisions = v.validationRate.denominator;
  const both = v.leadAgreement.denominator;
  if (decisions === 0) return 'No test was validated or rejected in the period.';
  if (v.decisionsWithOneVote === 0)
    return decisions === 1
      ? 'Both leads voted in the one decision.'
      : `Both leads voted in each of the ${decisions} decisions.`;
  const one = v.decisionsWithOneVote;
  return (
    `Of ${plural(decisions, 'decision')}, both leads voted in ${both}; ` +
    `${one} ${one === 1 ? 'was' : 'were'} decided by one vote (a lead’s rejection decides before the ` +
    'other lead votes), so lead agreement leaves ' +
    `${one === 1 ? 'it' : 'them'} out.`
  );
}

// ------------------------------------------------------------------------------------- team activity

/** The actions counted, in the order of the workflow. */
export const ACTIVITY_COLUMNS: readonly (readonly [keyof Activity, string])[] = [
  ['testsCreated', 'Tests created'],
  ['executionsRecorded', 'Executions recorded'],
  ['evaluationsRecorded', 'Evaluations recorded'],
  ['votesCast', 'Votes cast'],
  ['evidenceUploaded', 'Evidence uploaded'],
  ['remediationStepsCompleted', 'Remediation steps done'],
];

const TEAMS: Record<TeamActivity['teams'][number]['team'], string> = {
  red: 'Red team',
  blue: 'Blue team',
  other: 'Admins and viewers',
};

const counts = (a: Activity): number[] => ACTIVITY_COLUMNS.map(([key]) => a[key]);

/** The team totals, and their sum: each column adds up. */
export function teamTable(teams: TeamActivity['teams']): ChartTable {
  const total = ACTIVITY_COLUMNS.map((_, i) => teams.reduce((sum, t) => sum + (counts(t)[i] ?? 0), 0));
  return {
    header: ['Team', ...ACTIVITY_COLUMNS.map(([, label]) => label)],
    body: [...teams.map((t) => [TEAMS[t.team], ...counts(t)]), ['All teams', ...total]],
  };
}

/** Per person (leads and admins): whose team total each row adds to is the role's. */
export const personTable = (users: NonNullable<TeamActivity['users']>): ChartTable => ({
  header: ['Person', 'Role', ...ACTIVITY_COLUMNS.map(([, label]) => label)],
  body: users.map((u) => [`${u.user.displayName} (${u.user.username})`, roleLabel(u.role), ...counts(u)]),
});

// ------------------------------------------------------------------------------------- results by tactic

/** One tactic's current results in the period. */
export interface TacticRow {
  tactic: string;
  prevented: number;
  detected: number;
  logged: number;
  notDetected: number;
  results: number;
  /** (prevented + detected) ÷ results in percent, one decimal; "" without results. */
  efficacyPercent: string;
}

export const tacticRows = (items: TacticMetrics['items']): TacticRow[] =>
  items.map((t) => ({
    tactic: t.name,
    prevented: t.prevented,
    detected: t.detected,
    logged: t.logged,
    notDetected: t.not_detected,
    results: t.efficacy.denominator,
    efficacyPercent: tableCell(t.efficacy.value.value, 100),
  }));

export const tacticTable = (rows: readonly TacticRow[]): ChartTable => ({
  header: ['Tactic', 'Prevented', 'Detected', 'Logged', 'Not detected', 'Results', 'Efficacy (%)'],
  body: rows.map((r) => [
    r.tactic,
    r.prevented,
    r.detected,
    r.logged,
    r.notDetected,
    r.results,
    r.efficacyPercent,
  ]),
  lowSample: rows.map((r) => lowSample(r.results)),
});
