import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { attackObjects } from '../attack/attack.schema';
import { users } from '../users/users.schema';

const tz = { withTimezone: true, mode: 'date' } as const;

/**
 * ATT&CK Navigator layers imported as *claimed* coverage (analysis spec §3.4): what someone says is
 * covered, kept apart from what tests proved. Claims never change tests, coverage or scores.
 */
export const claimedLayers = pgTable(
  'claimed_layers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    domain: text('domain').notNull(),
    layerVersion: text('layer_version'),
    attackVersion: text('attack_version'),
    /** The release the items were last resolved against. */
    resolvedRelease: text('resolved_release'),
    sourceFilename: text('source_filename').notNull(),
    /** Its position in the file (a file may hold several layers). */
    sourceIndex: integer('source_index').notNull().default(0),
    sha256: text('sha256').notNull(),
    gradientMin: doublePrecision('gradient_min').notNull(),
    gradientMax: doublePrecision('gradient_max').notNull(),
    /** The claim rule: an enabled entry claims when unscored or scored above this. */
    claimThreshold: doublePrecision('claim_threshold').notNull().default(0),
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
    warnings: jsonb('warnings').$type<Array<{ code: string; message: string; entry?: number }>>().notNull(),
    importedBy: uuid('imported_by').references(() => users.id, { onDelete: 'set null' }),
    importedAt: timestamp('imported_at', tz).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', tz).notNull().defaultNow(),
  },
  (t) => [index('claimed_layers_imported_idx').on(t.importedAt, t.id)],
);

export const claimedLayerItems = pgTable(
  'claimed_layer_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    layerId: uuid('layer_id')
      .notNull()
      .references(() => claimedLayers.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    originalTechniqueId: text('original_technique_id').notNull(),
    techniqueId: uuid('technique_id').references(() => attackObjects.id, { onDelete: 'set null' }),
    resolution: text('resolution', { enum: ['active', 'revoked', 'deprecated', 'unknown'] }).notNull(),
    via: text('via').array().notNull().default(sql`'{}'::text[]`),
    originalTactic: text('original_tactic'),
    tactic: text('tactic'),
    score: doublePrecision('score'),
    normalisedScore: doublePrecision('normalised_score'),
    color: text('color'),
    comment: text('comment').notNull().default(''),
    enabled: boolean('enabled').notNull().default(true),
    metadata: jsonb('metadata').notNull().default([]),
    links: jsonb('links').notNull().default([]),
    claimed: boolean('claimed').notNull(),
    warnings: text('warnings').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    index('claimed_layer_items_layer_idx').on(t.layerId, t.position),
    index('claimed_layer_items_technique_idx').on(t.techniqueId).where(sql`${t.claimed}`),
    check(
      'claimed_layer_items_resolution_check',
      sql`${t.resolution} in ('active', 'revoked', 'deprecated', 'unknown')`,
    ),
  ],
);
