import type { SnapshotCounts } from '@aegis/contracts';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../users/users.schema';

const tz = { withTimezone: true, mode: 'date' } as const;

/**
 * A frozen picture of coverage and scores (analysis spec §4.2). Scheduled snapshots carry the local
 * date they stand for (`period_key`): one per date, so a retried job adds nothing.
 */
export const snapshots = pgTable(
  'snapshots',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind', { enum: ['manual', 'scheduled', 'pre-upgrade'] }).notNull(),
    name: text('name').notNull(),
    note: text('note').notNull().default(''),
    takenAt: timestamp('taken_at', tz).notNull().defaultNow(),
    takenBy: uuid('taken_by').references(() => users.id, { onDelete: 'set null' }),
    attackRelease: text('attack_release'),
    scoreConfigVersion: integer('score_config_version'),
    periodKey: text('period_key'),
    orgScore: doublePrecision('org_score'),
    orgScoreThreat: doublePrecision('org_score_threat'),
    techniqueCount: integer('technique_count').notNull().default(0),
    inScopeCount: integer('in_scope_count').notNull().default(0),
    counts: jsonb('counts').$type<SnapshotCounts>().notNull(),
  },
  (t) => [
    uniqueIndex('snapshots_period_key').on(t.kind, t.periodKey).where(sql`${t.periodKey} is not null`),
    index('snapshots_taken_idx').on(t.takenAt, t.id),
    index('snapshots_kind_taken_idx').on(t.kind, t.takenAt, t.id),
    check('snapshots_kind_check', sql`${t.kind} in ('manual', 'scheduled', 'pre-upgrade')`),
  ],
);

/**
 * Every active Enterprise technique of a snapshot (in scope or not, so a later scope change still
 * compares), keyed by STIX id: the join key across ATT&CK releases. Components are c_i in [0, 1].
 */
export const snapshotTechniques = pgTable(
  'snapshot_techniques',
  {
    snapshotId: uuid('snapshot_id')
      .notNull()
      .references(() => snapshots.id, { onDelete: 'cascade' }),
    stixId: text('stix_id').notNull(),
    attackId: text('attack_id'),
    name: text('name').notNull(),
    tactics: text('tactics').array().notNull(),
    isSubtechnique: boolean('is_subtechnique').notNull(),
    inScope: boolean('in_scope').notNull(),
    status: text('status').notNull(),
    ownScore: doublePrecision('own_score'),
    aggregateScore: doublePrecision('aggregate_score'),
    cTests: doublePrecision('c_tests'),
    cRules: doublePrecision('c_rules'),
    cD3fend: doublePrecision('c_d3fend'),
    cFresh: doublePrecision('c_fresh'),
    cPlatform: doublePrecision('c_platform'),
    currentResults: smallint('current_results'),
    deployedRules: smallint('deployed_rules'),
    lastValidatedAt: timestamp('last_validated_at', tz),
  },
  (t) => [primaryKey({ columns: [t.snapshotId, t.stixId] })],
);

/** Each tactic's scores in a snapshot (matrix order kept for display). */
export const snapshotTactics = pgTable(
  'snapshot_tactics',
  {
    snapshotId: uuid('snapshot_id')
      .notNull()
      .references(() => snapshots.id, { onDelete: 'cascade' }),
    shortname: text('shortname').notNull(),
    name: text('name').notNull(),
    matrixOrder: integer('matrix_order'),
    score: doublePrecision('score'),
    threatScore: doublePrecision('threat_score'),
    techniqueCount: integer('technique_count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.snapshotId, t.shortname] })],
);
