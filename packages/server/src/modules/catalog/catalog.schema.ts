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
const noStrings = sql`'{}'`;

export const SOURCE_KINDS = ['templates', 'rules', 'd3fend', 'compliance'] as const;
export const LOCATION_TYPES = ['url', 'folder', 'upload'] as const;
export const SOURCE_STATUSES = ['never', 'running', 'succeeded', 'failed'] as const;
export const RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export const IMPLEMENTATION_STATUSES = ['implemented', 'partial', 'none'] as const;

export interface SyncCounts {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
}

/**
 * Where catalog content comes from: one row per upstream source (seeded, see registry.ts). `key` names the
 * adapter's output scope: every synced row of test_templates / detection_rules carries it as `source`,
 * compliance controls as `framework`, so a sync only ever diffs and removes its own rows.
 */
export const dataSources = pgTable(
  'data_sources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    kind: text('kind', { enum: SOURCE_KINDS }).notNull(),
    adapter: text('adapter').notNull(),
    locationType: text('location_type', { enum: LOCATION_TYPES }).notNull(),
    /** URL, absolute folder path, or (upload) the blob key of the last uploaded archive. */
    location: text('location').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** 5-field cron (AEGIS_TIMEZONE); null = manual only, the air-gapped default. */
    schedule: text('schedule'),
    status: text('status', { enum: SOURCE_STATUSES }).notNull().default('never'),
    lastSyncAt: timestamp('last_sync_at', tz),
    /** The last successful run's counts plus `items` (rows currently live from this source). */
    counts: jsonb('counts').$type<Record<string, number>>().notNull().default({}),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('data_sources_key').on(t.key),
    check('data_sources_kind_check', sql`${t.kind} in ('templates','rules','d3fend','compliance')`),
    check('data_sources_location_type_check', sql`${t.locationType} in ('url','folder','upload')`),
  ],
);

/**
 * Every sync of a data source. Not `import_runs`: that table is ATT&CK's (STIX source types, string
 * errors); a catalog run belongs to a data source and reports errors per file.
 */
export const sourceSyncRuns = pgTable(
  'source_sync_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dataSourceId: uuid('data_source_id')
      .notNull()
      .references(() => dataSources.id, { onDelete: 'cascade' }),
    status: text('status', { enum: RUN_STATUSES }).notNull().default('queued'),
    locationType: text('location_type', { enum: LOCATION_TYPES }).notNull(),
    location: text('location').notNull(),
    progress: jsonb('progress').$type<{ phase: string; done: number; total: number }>(),
    counts: jsonb('counts').$type<SyncCounts>(),
    /** Files (or entries) that were reported and skipped, and the run's fatal error if any. */
    errors: jsonb('errors').$type<Array<{ path: string; message: string }>>().notNull().default([]),
    /** ATT&CK ids no technique of the current release answers to (kept on the rows too). */
    unresolvedAttackIds: text('unresolved_attack_ids').array().notNull().default(noStrings),
    itemCount: integer('item_count'),
    triggeredBy: uuid('triggered_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    startedAt: timestamp('started_at', tz),
    /** Refreshed every ~15 s while running; a run silent for too long was interrupted (see reapInterruptedSyncs). */
    heartbeatAt: timestamp('heartbeat_at', tz),
    finishedAt: timestamp('finished_at', tz),
    durationMs: integer('duration_ms'),
  },
  (t) => [
    index('source_sync_runs_source_idx').on(t.dataSourceId, t.createdAt),
    index('source_sync_runs_status_idx').on(t.status),
  ],
);

/** Red team procedures: one per upstream test (Atomic Red Team, CALDERA, LOLBAS, GTFOBins) or written here. */
export const testTemplates = pgTable(
  'test_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The data source key, or `custom`. */
    source: text('source').notNull(),
    sourceId: text('source_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /**
     * The loaded ATT&CK release's tactics of its techniques (a custom template: those its author chose,
     * if the techniques still have them); `source_tactics` when no technique is in the release.
     * Recomputed by every sync, edit and ATT&CK import (recomputeTemplateTactics).
     */
    tactics: text('tactics').array().notNull().default(noStrings),
    /** The tactics as the source (upstream, or a custom template's author) wrote them. */
    sourceTactics: text('source_tactics').array().notNull().default(noStrings),
    platforms: text('platforms').array().notNull().default(noStrings),
    executor: text('executor'),
    command: text('command'),
    cleanupCommand: text('cleanup_command'),
    inputArguments: jsonb('input_arguments').$type<unknown[]>().notNull().default([]),
    dependencies: jsonb('dependencies').$type<unknown[]>().notNull().default([]),
    variants: jsonb('variants').$type<unknown[]>(),
    elevationRequired: boolean('elevation_required').notNull().default(false),
    /** What the defences should do (custom templates); a test started from it expects the same. */
    expectedOutcome: text('expected_outcome', {
      enum: ['prevented', 'detected', 'logged', 'not_detected'],
    }),
    path: text('path'),
    url: text('url'),
    contentHash: text('content_hash').notNull(),
    active: boolean('active').notNull().default(true),
    /** Set when upstream dropped it; the row stays for the tests that were started from it. */
    removedAt: timestamp('removed_at', tz),
    isCustom: boolean('is_custom').notNull().default(false),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    unresolvedAttackIds: text('unresolved_attack_ids').array().notNull().default(noStrings),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('test_templates_source_key').on(t.source, t.sourceId),
    check(
      'test_templates_expected_outcome_check',
      sql`${t.expectedOutcome} in ('prevented','detected','logged','not_detected')`,
    ),
    index('test_templates_active_idx').on(t.active),
    index('test_templates_platforms_idx').using('gin', t.platforms),
    index('test_templates_tactics_idx').using('gin', t.tactics),
    index('test_templates_name_idx').on(t.name),
  ],
);

export const templateTechniques = pgTable(
  'template_techniques',
  {
    templateId: uuid('template_id')
      .notNull()
      .references(() => testTemplates.id, { onDelete: 'cascade' }),
    techniqueId: uuid('technique_id')
      .notNull()
      .references(() => attackObjects.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.templateId, t.techniqueId] }),
    index('template_techniques_technique_idx').on(t.techniqueId, t.templateId),
  ],
);

/** Detection content (Sigma, Elastic); authors are always kept and shown (Sigma's DRL 1.1 requires it). */
export const detectionRules = pgTable(
  'detection_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    source: text('source').notNull(),
    sourceId: text('source_id').notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: text('status'),
    level: text('level'),
    logSource: jsonb('log_source').$type<Record<string, string>>().notNull().default({}),
    author: text('author'),
    tags: text('tags').array().notNull().default(noStrings),
    references: text('references').array().notNull().default(noStrings),
    raw: text('raw').notNull(),
    rawFormat: text('raw_format', { enum: ['yaml', 'toml'] }).notNull(),
    path: text('path'),
    modified: text('modified'),
    contentHash: text('content_hash').notNull(),
    /** Ours, not upstream's: whether the organisation runs this rule. Kept across syncs. */
    deployed: boolean('deployed').notNull().default(false),
    /** When `deployed` last turned true (null while not deployed). */
    deployedAt: timestamp('deployed_at', tz),
    removedAt: timestamp('removed_at', tz),
    unresolvedAttackIds: text('unresolved_attack_ids').array().notNull().default(noStrings),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('detection_rules_source_key').on(t.source, t.sourceId),
    index('detection_rules_status_idx').on(t.status),
    index('detection_rules_level_idx').on(t.level),
    index('detection_rules_deployed_idx').on(t.deployed),
    // The metrics' and scores' fingerprints read the last change.
    index('detection_rules_updated_idx').on(t.updatedAt),
    index('detection_rules_log_source_idx').using('gin', t.logSource),
  ],
);

export const ruleTechniques = pgTable(
  'rule_techniques',
  {
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => detectionRules.id, { onDelete: 'cascade' }),
    techniqueId: uuid('technique_id')
      .notNull()
      .references(() => attackObjects.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.ruleId, t.techniqueId] }),
    index('rule_techniques_technique_idx').on(t.techniqueId, t.ruleId),
  ],
);

/**
 * D3FEND countermeasures and the organisation's implementation status of each. Keyed by the ontology
 * IRI: D3FEND ids are not unique upstream (0.14.0 gives D3-RC to two techniques).
 */
export const d3fendTechniques = pgTable(
  'd3fend_techniques',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Compact ontology IRI, e.g. `d3f:ReissueCredential`. */
    iri: text('iri').notNull(),
    d3fendId: text('d3fend_id').notNull(),
    name: text('name').notNull(),
    tactic: text('tactic'),
    definition: text('definition').notNull().default(''),
    contentHash: text('content_hash').notNull(),
    implementation: text('implementation', { enum: IMPLEMENTATION_STATUSES }),
    removedAt: timestamp('removed_at', tz),
    unresolvedAttackIds: text('unresolved_attack_ids').array().notNull().default(noStrings),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('d3fend_techniques_iri_key').on(t.iri),
    index('d3fend_techniques_d3fend_id_idx').on(sql`upper(${t.d3fendId})`),
    index('d3fend_techniques_tactic_idx').on(t.tactic),
    check(
      'd3fend_techniques_implementation_check',
      sql`${t.implementation} is null or ${t.implementation} in ('implemented','partial','none')`,
    ),
  ],
);

export const d3fendTechniqueMappings = pgTable(
  'd3fend_technique_mappings',
  {
    d3fendTechniqueId: uuid('d3fend_technique_id')
      .notNull()
      .references(() => d3fendTechniques.id, { onDelete: 'cascade' }),
    techniqueId: uuid('technique_id')
      .notNull()
      .references(() => attackObjects.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.d3fendTechniqueId, t.techniqueId] }),
    index('d3fend_technique_mappings_technique_idx').on(t.techniqueId, t.d3fendTechniqueId),
  ],
);

/** Compliance controls (NIST 800-53 r5, CIS v8 safeguards) that mitigate ATT&CK techniques. */
export const complianceControls = pgTable(
  'compliance_controls',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    framework: text('framework').notNull(),
    controlId: text('control_id').notNull(),
    name: text('name').notNull(),
    family: text('family'),
    description: text('description').notNull().default(''),
    contentHash: text('content_hash').notNull(),
    removedAt: timestamp('removed_at', tz),
    unresolvedAttackIds: text('unresolved_attack_ids').array().notNull().default(noStrings),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('compliance_controls_framework_key').on(t.framework, t.controlId),
    index('compliance_controls_family_idx').on(t.framework, t.family),
  ],
);

export const controlTechniques = pgTable(
  'control_techniques',
  {
    controlId: uuid('control_id')
      .notNull()
      .references(() => complianceControls.id, { onDelete: 'cascade' }),
    techniqueId: uuid('technique_id')
      .notNull()
      .references(() => attackObjects.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.controlId, t.techniqueId] }),
    index('control_techniques_technique_idx').on(t.techniqueId, t.controlId),
  ],
);
