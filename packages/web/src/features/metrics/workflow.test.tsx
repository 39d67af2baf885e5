import type { PipelineMetrics, TeamActivity, ValidationRates } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { tableCsv } from './format';
import {
  funnelRows,
  funnelTable,
  leadAgreementBasis,
  oneVoteNote,
  personTable,
  tacticRows,
  tacticTable,
  teamTable,
  timeInState,
} from './workflow';

const fig = (value: number | null) => ({ value, display: value });
const ratio = (numerator: number, denominator: number) => ({
  value: fig(denominator === 0 ? null : numerator / denominator),
  numerator,
  denominator,
});

/** Eight tests created: six started, four reached blue, three review, two validated. */
const cohort: PipelineMetrics['cohort'] = {
  created: 8,
  steps: [
    { state: 'red_executing', reached: 6, fromPrevious: fig(6 / 8) },
    { state: 'blue_evaluating', reached: 4, fromPrevious: fig(4 / 6) },
    { state: 'in_review', reached: 3, fromPrevious: fig(3 / 4) },
    { state: 'validated', reached: 0, fromPrevious: fig(0) },
  ],
  timeInState: [],
};

describe('the pipeline funnel', () => {
  it('gives each step its count, the step before and the share of it, as table and CSV', () => {
    const table = funnelTable(funnelRows(cohort));
    expect(table.body).toEqual([
      ['Created', 8, '', ''],
      ['Red executing', 6, 8, '75.0'],
      ['Blue evaluating', 4, 6, '66.7'],
      ['In review', 3, 4, '75.0'],
      ['Validated', 0, 3, '0.0'],
    ]);
    expect(tableCsv(table)).toBe(
      'Step,Tests,Previous step,Share of previous (%)\r\n' +
        'Created,8,,\r\n' +
        'Red executing,6,8,75.0\r\n' +
        'Blue evaluating,4,6,66.7\r\n' +
        'In review,3,4,75.0\r\n' +
        'Validated,0,3,0.0\r\n',
    );
  });

  it('calls a share of fewer than five tests a low sample, and a step with no share none', () => {
    expect(funnelTable(funnelRows(cohort)).lowSample).toEqual([false, false, false, true, true]);
    const empty = funnelRows({
      created: 0,
      steps: cohort.steps.map((s) => ({ ...s, reached: 0, fromPrevious: fig(null) })),
      timeInState: [],
    });
    expect(funnelTable(empty).body[1]).toEqual(['Red executing', 0, 0, '']);
    expect(funnelTable(empty).lowSample).toEqual([false, false, false, false, false]);
  });

  it('reads the median time in a state in its best unit, over the tests that left it', () => {
    expect(timeInState({ state: 'blue_evaluating', medianHours: fig(26.5), n: 6 })).toEqual({
      label: 'Blue evaluating',
      value: '26.5 h',
      n: 6,
      basis: 'median of 6 tests that left it',
    });
    expect(timeInState({ state: 'in_review', medianHours: fig(60), n: 5 }).value).toBe('2.5 d');
    expect(timeInState({ state: 'draft', medianHours: fig(0.25), n: 1 })).toMatchObject({
      value: '15.0 min',
      basis: 'median of 1 test that left it',
    });
    expect(timeInState({ state: 'validated', medianHours: fig(null), n: 0 })).toMatchObject({
      value: '—',
      basis: 'no test of the cohort left it',
    });
  });
});

const rates = (over: Partial<ValidationRates>): ValidationRates => ({
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-04-01T00:00:00.000Z',
  validationRate: ratio(3, 4),
  firstPassRate: ratio(2, 3),
  leadAgreement: ratio(2, 3),
  decisionsWithOneVote: 1,
  configVersion: 1,
  computedAt: '2026-04-01T00:00:00.000Z',
  ...over,
});

describe('review decisions', () => {
  it('says what lead agreement counts: decisions both leads voted in', () => {
    expect(leadAgreementBasis(ratio(2, 3))).toBe('same vote in 2 of 3 decisions both leads voted in');
    expect(leadAgreementBasis(ratio(1, 1))).toBe('same vote in 1 of 1 decision both leads voted in');
    expect(leadAgreementBasis(ratio(0, 0))).toBe('no decision in the period had both leads’ votes');
  });

  it('explains the decisions lead agreement leaves out, so its denominator adds up', () => {
    expect(oneVoteNote(rates({}))).toBe(
      'Of 4 decisions, both leads voted in 3; 1 was decided by one vote (a lead’s rejection decides ' +
        'before the other lead votes), so lead agreement leaves it out.',
    );
    expect(
      oneVoteNote(
        rates({ validationRate: ratio(3, 5), leadAgreement: ratio(3, 3), decisionsWithOneVote: 2 }),
      ),
    ).toContain('Of 5 decisions, both leads voted in 3; 2 were decided by one vote');
    expect(oneVoteNote(rates({ leadAgreement: ratio(3, 4), decisionsWithOneVote: 0 }))).toBe(
      'Both leads voted in each of the 4 decisions.',
    );
    expect(
      oneVoteNote(
        rates({ validationRate: ratio(1, 1), leadAgreement: ratio(1, 1), decisionsWithOneVote: 0 }),
      ),
    ).toBe('Both leads voted in the one decision.');
    expect(
      oneVoteNote(
        rates({
          validationRate: ratio(0, 0),
          firstPassRate: ratio(0, 0),
          leadAgreement: ratio(0, 0),
          decisionsWithOneVote: 0,
        }),
      ),
    ).toBe('No test was validated or rejected in the period.');
  });
});

const activity = (n: number) => ({
  testsCreated: n,
  executionsRecorded: n + 1,
  evaluationsRecorded: 0,
  votesCast: 2 * n,
  evidenceUploaded: 0,
  remediationStepsCompleted: 1,
});

describe('team activity', () => {
  it('totals the teams in a last row, column by column', () => {
    const teams: TeamActivity['teams'] = [
      { team: 'red', ...activity(3) },
      { team: 'blue', ...activity(1) },
      { team: 'other', ...activity(0) },
    ];
    expect(tableCsv(teamTable(teams))).toBe(
      'Team,Tests created,Executions recorded,Evaluations recorded,Votes cast,Evidence uploaded,Remediation steps done\r\n' +
        'Red team,3,4,0,6,0,1\r\n' +
        'Blue team,1,2,0,2,0,1\r\n' +
        'Admins and viewers,0,1,0,0,0,1\r\n' +
        'All teams,4,7,0,8,0,3\r\n',
    );
  });

  it('names each person with their username and role', () => {
    const table = personTable([
      { user: { id: 'u1', username: 'bluelead', displayName: 'Bo Lead' }, role: 'blue_lead', ...activity(2) },
    ]);
    expect(table.header.slice(0, 3)).toEqual(['Person', 'Role', 'Tests created']);
    expect(table.body).toEqual([['Bo Lead (bluelead)', 'blue lead', 2, 3, 0, 4, 0, 1]]);
  });
});

describe('results by tactic', () => {
  it('holds the four outcomes, their sum and the efficacy over it; a tactic under five results is a low sample', () => {
    const table = tacticTable(
      tacticRows([
        {
          tactic: 'credential-access',
          name: 'Credential Access',
          attackId: 'TA0006',
          prevented: 2,
          detected: 3,
          logged: 1,
          not_detected: 2,
          efficacy: ratio(5, 8),
        },
        {
          tactic: 'execution',
          name: 'Execution',
          attackId: 'TA0002',
          prevented: 0,
          detected: 1,
          logged: 0,
          not_detected: 2,
          efficacy: ratio(1, 3),
        },
      ]),
    );
    expect(tableCsv(table)).toBe(
      'Tactic,Prevented,Detected,Logged,Not detected,Results,Efficacy (%)\r\n' +
        'Credential Access,2,3,1,2,8,62.5\r\n' +
        'Execution,0,1,0,2,3,33.3\r\n',
    );
    expect(table.lowSample).toEqual([false, true]);
  });
});
