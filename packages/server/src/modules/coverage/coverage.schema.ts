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
