import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { attackObjects } from '../attack/attack.schema';
import { users } from '../users/users.schema';

const tz = { withTimezone: true, mode: 'date' } as const;
export const TEST_STATES = [
  'draft',
  'red_executing',
  'blue_evaluating',
  'in_review',
  'validated',
  'rejected',
] as const;
export const OUTCOMES = ['prevented', 'detected', 'logged', 'not_detected'] as const;

/**
 * A red/blue validation of one technique. Times are UTC. `chainRootId` names the first test of a
 * re-test chain (itself for a first test): the "procedure" later analysis groups by.
 */
export const testCases = pgTable(
  'test_cases',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    techniqueId: uuid('technique_id')
      .notNull()
      .references(() => attackObjects.id),
    /** The tactic (shortname) this test exercised the technique for. */
    tactic: text('tactic'),
    templateId: uuid('template_id'),
    campaignId: uuid('campaign_id'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    platform: text('platform'),
    state: text('state', { enum: TEST_STATES }).notNull().default('draft'),
    expectedOutcome: text('expected_outcome', { enum: OUTCOMES }),
    createdBy: uuid('created_by').references(() => users.id),
    assignedRedId: uuid('assigned_red_id').references(() => users.id),
    assignedBlueId: uuid('assigned_blue_id').references(() => users.id),
    // Red side
    procedure: text('procedure').notNull().default(''),
    commands: text('commands').notNull().default(''),
    targetHost: text('target_host'),
    executionStartedAt: timestamp('execution_started_at', tz),
    executionEndedAt: timestamp('execution_ended_at', tz),
    // Blue side
    outcome: text('outcome', { enum: OUTCOMES }),
    /** True when blue set the overall outcome; otherwise it is the best per-tool outcome. */
    outcomeExplicit: boolean('outcome_explicit').notNull().default(false),
    /** The first alert: the earliest of the tools' `detectedAt` unless blue set it (then explicit). */
    detectedAt: timestamp('detected_at', tz),
    detectedAtExplicit: boolean('detected_at_explicit').notNull().default(false),
    firedRules: jsonb('fired_rules').$type<Array<{ ruleId?: string; name: string }>>().notNull().default([]),
    blueNotes: text('blue_notes').notNull().default(''),
    // Chain
    retestOfId: uuid('retest_of_id'),
    chainRootId: uuid('chain_root_id'),
    retestNumber: integer('retest_number').notNull().default(0),
    validatedAt: timestamp('validated_at', tz),
    rejectedAt: timestamp('rejected_at', tz),
    /** The review round under way: a reopen starts the next one; each round keeps its own votes. */
    reviewRound: integer('review_round').notNull().default(1),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    index('test_cases_technique_idx').on(t.techniqueId, t.state),
    index('test_cases_state_idx').on(t.state, t.updatedAt, t.id),
    index('test_cases_updated_idx').on(t.updatedAt, t.id),
    index('test_cases_title_idx').on(t.title, t.id),
    // `q` is a substring match (ILIKE '%…%'): a trigram index serves it (pg_trgm, loaded on PGlite too).
    index('test_cases_title_trgm_idx').using('gin', t.title.op('gin_trgm_ops')),
    index('test_cases_red_idx').on(t.assignedRedId, t.state),
    index('test_cases_blue_idx').on(t.assignedBlueId, t.state),
    // Pending tasks: each side's unassigned open tests in updated order (a test assigned to the reader
    // is found through the two indexes above). Partial: closed and assigned tests cost nothing here.
    index('test_cases_unassigned_red_idx')
      .on(t.state, t.updatedAt, t.id)
      .where(sql`${t.assignedRedId} is null and ${t.state} in ('draft', 'red_executing')`),
    index('test_cases_unassigned_blue_idx')
      .on(t.state, t.updatedAt, t.id)
      .where(sql`${t.assignedBlueId} is null and ${t.state} = 'blue_evaluating'`),
    index('test_cases_chain_idx').on(t.chainRootId, t.retestNumber),
    // A test has at most one automatic re-test: the index makes "exactly one" hold under concurrency.
    uniqueIndex('test_cases_retest_of_key').on(t.retestOfId).where(sql`${t.retestOfId} is not null`),
    index('test_cases_created_idx').on(t.createdAt, t.id),
    // Metrics (analysis spec §2.3) pick validated tests by execution start, period by period.
    index('test_cases_validated_execution_idx').on(t.executionStartedAt).where(sql`${t.state} = 'validated'`),
    index('test_cases_template_idx').on(t.templateId),
    index('test_cases_campaign_idx').on(t.campaignId),
    check(
      'test_cases_state_check',
      sql`${t.state} in ('draft','red_executing','blue_evaluating','in_review','validated','rejected')`,
    ),
  ],
);

/** Graded outcome per defensive tool (EDR, SIEM, firewall, …), with the times that apply. */
export const testToolResults = pgTable(
  'test_tool_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    testCaseId: uuid('test_case_id')
      .notNull()
      .references(() => testCases.id, { onDelete: 'cascade' }),
    tool: text('tool').notNull(),
    outcome: text('outcome', { enum: OUTCOMES }).notNull(),
    firstLoggedAt: timestamp('first_logged_at', tz),
    detectedAt: timestamp('detected_at', tz),
    preventedAt: timestamp('prevented_at', tz),
    notes: text('notes').notNull().default(''),
  },
  (t) => [uniqueIndex('test_tool_results_test_tool_key').on(t.testCaseId, t.tool)],
);

/** Every state change: who, when, from, to, why. */
export const testTransitions = pgTable(
  'test_transitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    testCaseId: uuid('test_case_id')
      .notNull()
      .references(() => testCases.id, { onDelete: 'cascade' }),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    action: text('action').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    comment: text('comment').notNull().default(''),
    /** On a review decision: the round whose votes decided it (lead agreement reads them). */
    reviewRound: integer('review_round'),
    at: timestamp('at', tz).notNull().defaultNow(),
  },
  (t) => [
    index('test_transitions_test_idx').on(t.testCaseId, t.at),
    // Metrics: review decisions by the time they were taken.
    index('test_transitions_decisions_idx').on(t.at).where(sql`${t.toState} in ('validated', 'rejected')`),
  ],
);

/**
 * The two leads' votes, one per side in each review round. The current round is the test's
 * `review_round`; earlier rounds are kept so lead agreement can be read per decision.
 */
export const testVotes = pgTable(
  'test_votes',
  {
    testCaseId: uuid('test_case_id')
      .notNull()
      .references(() => testCases.id, { onDelete: 'cascade' }),
    round: integer('round').notNull().default(1),
    side: text('side', { enum: ['red', 'blue'] }).notNull(),
    voterId: uuid('voter_id')
      .notNull()
      .references(() => users.id),
    decision: text('decision', { enum: ['approve', 'reject'] }).notNull(),
    comment: text('comment').notNull().default(''),
    votedAt: timestamp('voted_at', tz).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.testCaseId, t.round, t.side] })],
);
