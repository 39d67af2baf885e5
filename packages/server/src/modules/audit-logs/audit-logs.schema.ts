import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../users/users.schema';

/**
 * Who changed what, when and from where. Rows are written in the same transaction as the change
 * they describe, so a rolled-back change leaves no audit row and a committed one always has one.
 */
export const auditLogs = pgTable(
  'audit_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    /** Kept as text so the row still reads right if the user is renamed; `cli`/`system` for non-users. */
    actorUsername: text('actor_username'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id'),
    summary: jsonb('summary').$type<Record<string, unknown>>().notNull().default({}),
    ip: text('ip'),
    requestId: text('request_id'),
  },
  (t) => [
    index('audit_logs_at_idx').on(t.at, t.id),
    index('audit_logs_actor_at_idx').on(t.actorId, t.at, t.id),
    index('audit_logs_entity_idx').on(t.entityType, t.entityId, t.at, t.id),
    index('audit_logs_action_at_idx').on(t.action, t.at, t.id),
  ],
);
