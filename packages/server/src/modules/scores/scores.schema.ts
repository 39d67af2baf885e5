import type { ScoringConfigField, ScoringConfigSource } from '@aegis/contracts';
import { sql } from 'drizzle-orm';
import { doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { attackObjects } from '../attack/attack.schema';
import { users } from '../users/users.schema';
import type { ScoringConfig } from './model';

const tz = { withTimezone: true, mode: 'date' } as const;

/**
 * The scoring configuration, one row per version (analysis spec §1.5): version 1 is seeded from env
 * and defaults at first start; every change through the API adds the next version. The highest
 * version is the configuration in force; earlier ones say what a stored score was computed with.
 */
export const scoringConfigs = pgTable('scoring_configs', {
  version: integer('version').primaryKey(),
  values: jsonb('values').$type<ScoringConfig>().notNull(),
  sources: jsonb('sources').$type<Record<ScoringConfigField, ScoringConfigSource>>().notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', tz).notNull().defaultNow(),
});

/**
 * Each in-scope technique's scores as the last recompute left them, with the breakdown that explains
 * them. `inputs_hash` names the inputs (config version, tests, rules, D3FEND, platforms, day): a
 * recompute rewrites only the rows whose inputs changed.
 */
export const techniqueScores = pgTable(
  'technique_scores',
  {
    techniqueId: uuid('technique_id')
      .primaryKey()
      .references(() => attackObjects.id, { onDelete: 'cascade' }),
    ownScore: doublePrecision('own_score').notNull(),
    aggregateScore: doublePrecision('aggregate_score').notNull(),
    applicableWeight: doublePrecision('applicable_weight').notNull(),
    /**
     * Distinct tracked intrusion sets with a direct `uses` of the technique — for a parent, of it or
     * any of its sub-techniques: threat weighting uses ω = 1 + n_actors.
     */
    nActors: integer('n_actors').notNull(),
    /** `{ components, warnings }` as the model returned them (scores/model.ts). */
    breakdown: jsonb('breakdown').notNull(),
    configVersion: integer('config_version').notNull(),
    inputsHash: text('inputs_hash').notNull(),
    computedAt: timestamp('computed_at', tz).notNull(),
    // The breakdown's headline numbers, stored beside it (generated): lists, snapshots and the
    // heatmap read them without reading the whole breakdown (hundreds of KB at scale).
    cTests: doublePrecision('c_tests').generatedAlwaysAs(
      sql`((breakdown -> 'components' -> 'tests' ->> 'value'))::float8`,
    ),
    cRules: doublePrecision('c_rules').generatedAlwaysAs(
      sql`((breakdown -> 'components' -> 'rules' ->> 'value'))::float8`,
    ),
    cD3fend: doublePrecision('c_d3fend').generatedAlwaysAs(
      sql`((breakdown -> 'components' -> 'd3fend' ->> 'value'))::float8`,
    ),
    cFresh: doublePrecision('c_fresh').generatedAlwaysAs(
      sql`((breakdown -> 'components' -> 'freshness' ->> 'value'))::float8`,
    ),
    cPlatform: doublePrecision('c_platform').generatedAlwaysAs(
      sql`((breakdown -> 'components' -> 'platform' ->> 'value'))::float8`,
    ),
    currentResults: integer('current_results').generatedAlwaysAs(
      sql`coalesce(jsonb_array_length(breakdown -> 'components' -> 'tests' -> 'results'), 0)`,
    ),
    deployedRules: integer('deployed_rules').generatedAlwaysAs(
      sql`((breakdown -> 'components' -> 'rules' ->> 'deployed'))::int`,
    ),
  },
  (t) => [
    index('technique_scores_own_idx').on(t.ownScore, t.techniqueId),
    index('technique_scores_aggregate_idx').on(t.aggregateScore, t.techniqueId),
  ],
);
