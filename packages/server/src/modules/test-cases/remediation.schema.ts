import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../users/users.schema';
import { testCases } from './test-cases.schema';

const tz = { withTimezone: true, mode: 'date' } as const;

/** Steps to close a gap a test found. When all are done, a re-test is created automatically. */
export const remediationSteps = pgTable(
  'remediation_steps',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    testCaseId: uuid('test_case_id')
      .notNull()
      .references(() => testCases.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    assigneeId: uuid('assignee_id').references(() => users.id),
    dueDate: timestamp('due_date', tz),
    status: text('status', { enum: ['open', 'in_progress', 'done', 'wont_fix'] })
      .notNull()
      .default('open'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
    completedAt: timestamp('completed_at', tz),
  },
  (t) => [
    index('remediation_steps_test_idx').on(t.testCaseId),
    index('remediation_steps_assignee_idx').on(t.assigneeId, t.status),
    // The metrics' fingerprint reads the last change.
    index('remediation_steps_updated_idx').on(t.updatedAt),
  ],
);
