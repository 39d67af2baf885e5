import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

const tz = { withTimezone: true, mode: 'date' } as const;

/** People who sign in. Never deleted (audit rows and test records point at them): deactivated instead. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Stored lower-case; unique. */
    username: text('username').notNull(),
    /** Stored lower-case; unique. */
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', {
      enum: ['admin', 'red_tech', 'blue_tech', 'red_lead', 'blue_lead', 'viewer'],
    }).notNull(),
    active: boolean('active').notNull().default(true),
    passwordHash: text('password_hash').notNull(),
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    passwordChangedAt: timestamp('password_changed_at', tz).notNull().defaultNow(),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
    lastLoginAt: timestamp('last_login_at', tz),
  },
  (t) => [
    uniqueIndex('users_username_key').on(t.username),
    uniqueIndex('users_email_key').on(t.email),
    index('users_role_idx').on(t.role),
    index('users_active_idx').on(t.active),
    check(
      'users_role_check',
      sql`${t.role} in ('admin', 'red_tech', 'blue_tech', 'red_lead', 'blue_lead', 'viewer')`,
    ),
    check('users_username_lower', sql`${t.username} = lower(${t.username})`),
    check('users_email_lower', sql`${t.email} = lower(${t.email})`),
  ],
);
