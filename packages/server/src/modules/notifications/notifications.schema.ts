import { sql } from 'drizzle-orm';
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../users/users.schema';

/** In-app notifications: one row per recipient. */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Stable kind for clients: `test.transition`, `test.vote`, `remediation.assigned`, `test.retest`, … */
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    entityType: text('entity_type'),
    entityId: text('entity_id'),
    readAt: timestamp('read_at', { withTimezone: true, mode: 'date' }),
    /** Set when an action made it moot (the vote cast, the test moved on, reassigned): it no longer counts. */
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    /** Why, in words the list shows after "Done — " (`vote cast by bob`, `test validated`). */
    resolvedReason: text('resolved_reason'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt, t.id),
    // What still needs each user: the bell's count.
    index('notifications_open_idx').on(t.userId).where(sql`${t.readAt} is null and ${t.resolvedAt} is null`),
    // What an action may make moot: open notifications about one entity (resolve()).
    index('notifications_entity_open_idx')
      .on(t.entityType, t.entityId, t.kind)
      .where(sql`${t.resolvedAt} is null`),
    index('notifications_cleanup_idx').on(t.readAt),
  ],
);
