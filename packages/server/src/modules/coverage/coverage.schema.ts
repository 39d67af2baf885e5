import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { attackObjects } from '../attack/attack.schema';

const tz = { withTimezone: true, mode: 'date' } as const;
export const COVERAGE_STATUSES = ['validated', 'partial', 'not_covered', 'in_progress', 'untested'] as const;

/**
 * Each technique's coverage status, derived by the coverage rule (rule.ts) from its tests and
 * written only by this module. No row means `untested`: read it through `coverageJoin` /
 * `coverageStatus` (index.ts), never by naming this table (ADR 20).
 */
export const techniqueCoverage = pgTable(
  'technique_coverage',
  {
    techniqueId: uuid('technique_id')
      .primaryKey()
      .references(() => attackObjects.id, { onDelete: 'cascade' }),
    status: text('status', { enum: COVERAGE_STATUSES }).notNull(),
    /**
     * md5 of the technique's current result set CR(t) (spec §0.2: each kept test's id, outcome,
     * platform and dates), null when it has none. Refreshed with the status, in the transaction that
     * moved a test: what the score recompute compares instead of re-reading every validated test.
     */
    resultsDigest: text('results_digest'),
    /** Distinct rule ids that fired in the technique's validated tests (`fired_rules[].ruleId`), sorted. */
    firedRuleIds: text('fired_rule_ids').array().notNull().default(sql`'{}'::text[]`),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    index('technique_coverage_status_idx').on(t.status, t.techniqueId),
    check(
      'technique_coverage_status_check',
      sql`${t.status} in ('validated','partial','not_covered','in_progress','untested')`,
    ),
  ],
);

/** Each change of a technique's coverage status: coverage as of any past instant, trends, velocity. */
export const coverageHistory = pgTable(
  'coverage_history',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    techniqueId: uuid('technique_id')
      .notNull()
      .references(() => attackObjects.id, { onDelete: 'cascade' }),
    fromStatus: text('from_status'),
    toStatus: text('to_status').notNull(),
    testCaseId: uuid('test_case_id'),
    at: timestamp('at', tz).notNull().defaultNow(),
  },
  (t) => [
    index('coverage_history_technique_idx').on(t.techniqueId, t.at),
    index('coverage_history_at_idx').on(t.at),
  ],
);
