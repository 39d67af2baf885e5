import { sql } from 'drizzle-orm';
import {
  boolean,
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
import { users } from '../users/users.schema';

const tz = { withTimezone: true, mode: 'date' } as const;

/**
 * Upstream ATT&CK objects, one row per (domain, STIX id): tactics, techniques, groups, software,
 * campaigns, mitigations, data components, detection strategies, analytics. Only the importer writes
 * here; the organisation's own state lives in other tables keyed by our `id`. The STIX id is the
 * stable key across releases — ATT&CK ids and tactic membership change.
 */
export const attackObjects = pgTable(
  'attack_objects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    domain: text('domain').notNull(),
    stixId: text('stix_id').notNull(),
    /** STIX type: attack-pattern, x-mitre-tactic, intrusion-set, malware, tool, campaign, course-of-action, … */
    type: text('type').notNull(),
    attackId: text('attack_id'),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    url: text('url'),
    version: text('version'),
    stixCreated: timestamp('stix_created', tz),
    stixModified: timestamp('stix_modified', tz),
    deprecated: boolean('deprecated').notNull().default(false),
    revoked: boolean('revoked').notNull().default(false),
    platforms: text('platforms').array().notNull().default(sql`'{}'`),
    /** Techniques: the tactic shortnames (kill-chain phases) they belong to. */
    tactics: text('tactics').array().notNull().default(sql`'{}'`),
    isSubtechnique: boolean('is_subtechnique').notNull().default(false),
    /** Sub-techniques: the parent technique's STIX id. */
    parentStixId: text('parent_stix_id'),
    aliases: text('aliases').array().notNull().default(sql`'{}'`),
    /** Tactics: the shortname techniques refer to (e.g. `defense-evasion`), and the matrix column order. */
    shortname: text('shortname'),
    matrixOrder: integer('matrix_order'),
    detection: text('detection'),
    /** The remaining upstream fields a page may show (data sources, contributors, analytics refs, …). */
    extra: jsonb('extra').$type<Record<string, unknown>>().notNull().default({}),
    /** SHA-256 of the upstream object: equal hash → unchanged, nothing written. */
    contentHash: text('content_hash').notNull(),
    firstRelease: text('first_release'),
    lastRelease: text('last_release'),
    importedAt: timestamp('imported_at', tz).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('attack_objects_domain_stix_key').on(t.domain, t.stixId),
    index('attack_objects_domain_type_idx').on(t.domain, t.type),
    index('attack_objects_attack_id_idx').on(t.attackId),
    // ATT&CK ids are matched case-insensitively (`upper(attack_id) = upper($1)`) by every lookup.
    index('attack_objects_attack_id_upper_idx').on(sql`upper(${t.attackId})`),
    index('attack_objects_parent_idx').on(t.domain, t.parentStixId),
    index('attack_objects_platforms_idx').using('gin', t.platforms),
    index('attack_objects_tactics_idx').using('gin', t.tactics),
  ],
);

/** Upstream relationships (uses, mitigates, subtechnique-of, revoked-by, detects, attributed-to). */
export const attackRelationships = pgTable(
  'attack_relationships',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    domain: text('domain').notNull(),
    stixId: text('stix_id').notNull(),
    type: text('relationship_type').notNull(),
    sourceRef: text('source_ref').notNull(),
    targetRef: text('target_ref').notNull(),
    description: text('description'),
    deprecated: boolean('deprecated').notNull().default(false),
    revoked: boolean('revoked').notNull().default(false),
    stixModified: timestamp('stix_modified', tz),
    contentHash: text('content_hash').notNull(),
  },
  (t) => [
    uniqueIndex('attack_relationships_domain_stix_key').on(t.domain, t.stixId),
    index('attack_relationships_source_idx').on(t.domain, t.sourceRef, t.type),
    index('attack_relationships_target_idx').on(t.domain, t.targetRef, t.type),
    // Revocation chains (snapshot comparison, layer import): the few revoked-by edges of a domain.
    index('attack_relationships_revoked_by_idx')
      .on(t.domain, t.sourceRef)
      .where(sql`${t.type} = 'revoked-by'`),
  ],
);

/**
 * Which techniques each group, software or campaign uses — the live `uses` relationships of the
 * knowledge base resolved to our ids, distinct. Derived, rebuilt by every ATT&CK import in its
 * transaction (`refreshTechniqueUses`): the threat-actor and software lists count a page's
 * techniques from here instead of resolving every relationship on every request (ADR 15).
 */
export const attackTechniqueUses = pgTable(
  'attack_technique_uses',
  {
    domain: text('domain').notNull(),
    sourceId: uuid('source_id')
      .notNull()
      .references(() => attackObjects.id, { onDelete: 'cascade' }),
    techniqueId: uuid('technique_id')
      .notNull()
      .references(() => attackObjects.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.sourceId, t.techniqueId] }),
    index('attack_technique_uses_technique_idx').on(t.techniqueId),
  ],
);

/**
 * The organisation's state of a technique, apart from upstream data: review flag with reasons
 * (set by release upgrades), notes. (Coverage status belongs to the coverage module.)
 */
export const techniqueStates = pgTable(
  'technique_states',
  {
    techniqueId: uuid('technique_id')
      .primaryKey()
      .references(() => attackObjects.id, { onDelete: 'cascade' }),
    reviewRequired: boolean('review_required').notNull().default(false),
    reviewReasons: jsonb('review_reasons').$type<ReviewReason[]>().notNull().default([]),
    notes: text('notes').notNull().default(''),
    reviewedAt: timestamp('reviewed_at', tz),
    reviewedBy: uuid('reviewed_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', tz).notNull().defaultNow(),
  },
  (t) => [index('technique_states_review_idx').on(t.reviewRequired)],
);

export interface ImportParams {
  collectionId?: string;
  collectionTitle?: string;
  addedAfter?: string;
  domain?: string;
  release?: string;
  filename?: string;
}

export interface ReviewReason {
  kind: 'renamed' | 'description_changed' | 'moved' | 'deprecated' | 'revoked_into' | 'platforms_changed';
  release: string;
  detail: string;
  at: string;
}

/** Every import of ATT&CK data: where from, how it went, and what changed. */
export const importRuns = pgTable(
  'import_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull().default('attack'),
    domain: text('domain'),
    sourceType: text('source_type', { enum: ['taxii', 'url', 'file', 'upload'] }).notNull(),
    source: text('source').notNull(),
    /** How to read the source again (TAXII collection, added_after, forced domain/release, file name). */
    params: jsonb('params').$type<ImportParams>().notNull().default({}),
    status: text('status', { enum: ['queued', 'running', 'succeeded', 'failed'] }).notNull(),
    release: text('release'),
    /** Progress while running: phase and fraction done. */
    progress: jsonb('progress').$type<{ phase: string; done: number; total: number }>(),
    counts: jsonb('counts').$type<Record<string, unknown>>().notNull().default({}),
    diff: jsonb('diff').$type<Record<string, unknown>>(),
    errors: jsonb('errors').$type<string[]>().notNull().default([]),
    contentSha256: text('content_sha256'),
    triggeredBy: uuid('triggered_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', tz).notNull().defaultNow(),
    startedAt: timestamp('started_at', tz),
    /** Refreshed every ~15 s while running; a run silent for too long was interrupted (see reapInterruptedImports). */
    heartbeatAt: timestamp('heartbeat_at', tz),
    finishedAt: timestamp('finished_at', tz),
    durationMs: integer('duration_ms'),
  },
  (t) => [
    index('import_runs_created_idx').on(t.kind, t.createdAt),
    index('import_runs_status_idx').on(t.status),
  ],
);
