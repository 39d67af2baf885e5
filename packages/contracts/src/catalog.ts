import { z } from 'zod';
import { AttackRef, CoverageCounts, TechniqueUse } from './attack';
import { PageQuery } from './envelopes';
import { Outcome } from './test-cases';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const when = z.iso.datetime();

// ------------------------------------------------------------------------------------------ data sources

export const DataSourceKind = z.enum(['templates', 'rules', 'd3fend', 'compliance']);
export const LocationType = z.enum(['url', 'folder', 'upload']);

export const SyncCounts = z.object({
  added: z.number().int(),
  updated: z.number().int(),
  removed: z.number().int(),
  unchanged: z.number().int(),
});
export type SyncCounts = z.infer<typeof SyncCounts>;

export const DataSource = z.object({
  id: z.uuid(),
  key: z.string(),
  name: z.string(),
  kind: DataSourceKind,
  adapter: z.string(),
  locationType: LocationType,
  location: z.string(),
  enabled: z.boolean(),
  /** 5-field cron in AEGIS_TIMEZONE; null = manual syncs only. */
  schedule: z.string().nullable(),
  status: z.enum(['never', 'running', 'succeeded', 'failed']),
  lastSyncAt: when.nullable(),
  /** Last successful run: added/updated/removed/unchanged, plus `items` (live rows), `errors`, `unresolved`. */
  counts: z.record(z.string(), z.number()),
  lastError: z.string().nullable(),
  createdAt: when,
  updatedAt: when,
});
export type DataSource = z.infer<typeof DataSource>;

export const UpdateDataSource = z
  .object({
    /** A URL (http/https archive) or an absolute folder path on the server; `locationType` says which. */
    locationType: z.enum(['url', 'folder']).optional(),
    location: z.string().trim().min(1).max(2000).optional(),
    enabled: z.boolean().optional(),
    schedule: z.string().trim().min(1).max(120).nullable().optional(),
  })
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateDataSource = z.infer<typeof UpdateDataSource>;

export const SourceSyncRun = z.object({
  id: z.uuid(),
  dataSourceId: z.uuid(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  locationType: LocationType,
  location: z.string(),
  progress: z.object({ phase: z.string(), done: z.number(), total: z.number() }).nullable(),
  counts: SyncCounts.nullable(),
  /** Files reported and skipped (or the whole run's error when it failed). */
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  /** ATT&CK ids no technique of the current release answers to; the rows keep them. */
  unresolvedAttackIds: z.array(z.string()),
  itemCount: z.number().int().nullable(),
  triggeredBy: z.uuid().nullable(),
  createdAt: when,
  startedAt: when.nullable(),
  finishedAt: when.nullable(),
  durationMs: z.number().int().nullable(),
});
export type SourceSyncRun = z.infer<typeof SourceSyncRun>;

export const SyncAllResponse = z.object({ runs: z.array(SourceSyncRun) });
export type SyncAllResponse = z.infer<typeof SyncAllResponse>;

// -------------------------------------------------------------------------------------------- templates

export const TemplateVariant = z.object({
  label: z.string(),
  platforms: z.array(z.string()),
  executor: z.string().nullable(),
  command: z.string().nullable(),
  cleanupCommand: z.string().nullable(),
});

export const InputArgument = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(5000),
  type: z.string().max(100),
  default: z.string().max(20_000).nullable(),
});

export const TemplateDependency = z.object({
  description: z.string().max(5000),
  prereqCommand: z.string().max(50_000).nullable(),
  getPrereqCommand: z.string().max(50_000).nullable(),
});

export const TestTemplateSummary = z.object({
  id: z.uuid(),
  source: z.string(),
  sourceId: z.string(),
  name: z.string(),
  platforms: z.array(z.string()),
  /**
   * The loaded ATT&CK release's tactics of its techniques (a custom template: those its author chose
   * that they have); the source's own when none of its techniques is in the release.
   */
  tactics: z.array(z.string()),
  executor: z.string().nullable(),
  techniques: z.array(AttackRef),
  /** ATT&CK ids it names that the loaded release lacks (kept; resolved when a release has them). */
  unresolvedAttackIds: z.array(z.string()),
  active: z.boolean(),
  isCustom: z.boolean(),
  removedAt: when.nullable(),
  updatedAt: when,
});
export type TestTemplateSummary = z.infer<typeof TestTemplateSummary>;

export const TestTemplate = TestTemplateSummary.extend({
  description: z.string(),
  command: z.string().nullable(),
  cleanupCommand: z.string().nullable(),
  inputArguments: z.array(InputArgument),
  dependencies: z.array(TemplateDependency),
  variants: z.array(TemplateVariant).nullable(),
  /** The tactics as the source wrote them (upstream, or the author of a custom template). */
  sourceTactics: z.array(z.string()),
  elevationRequired: z.boolean(),
  /** Set on custom templates; imported ones declare none. */
  expectedOutcome: Outcome.nullable(),
  path: z.string().nullable(),
  url: z.string().nullable(),
  createdBy: z.uuid().nullable(),
  createdAt: when,
});
export type TestTemplate = z.infer<typeof TestTemplate>;

export const templateSortFields = ['name', 'source', 'updatedAt'] as const;
export const ListTestTemplatesQuery = PageQuery.extend({
  q: z.string().trim().max(200).optional(),
  source: z.string().max(64).optional(),
  /** ATT&CK id (`T1059.001`) or our technique id. */
  technique: z.string().max(64).optional(),
  tactic: z.string().max(64).optional(),
  platform: z.string().max(64).optional(),
  active: bool.optional(),
  /** Templates upstream dropped are hidden unless asked for. */
  includeRemoved: bool.default(false),
  sort: z.enum(templateSortFields).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ListTestTemplatesQuery = z.infer<typeof ListTestTemplatesQuery>;

export const CreateTestTemplate = z.object({
  name: z.string().trim().min(1).max(300),
  description: z.string().max(20_000).default(''),
  /** ATT&CK ids or our technique ids; at least one. */
  techniques: z.array(z.string().trim().min(1).max(64)).min(1).max(50),
  /** The author's choice (`sourceTactics`): the template counts under those its techniques have, else all of theirs. */
  tactics: z.array(z.string().max(64)).max(20).default([]),
  platforms: z.array(z.string().max(64)).max(20).default([]),
  executor: z.string().max(64).nullable().default(null),
  command: z.string().max(50_000).nullable().default(null),
  cleanupCommand: z.string().max(50_000).nullable().default(null),
  inputArguments: z.array(InputArgument).max(100).default([]),
  dependencies: z.array(TemplateDependency).max(50).default([]),
  elevationRequired: z.boolean().default(false),
  /** What the defences should do against it; a test started from it expects the same. */
  expectedOutcome: Outcome.nullable().default(null),
});
export type CreateTestTemplate = z.infer<typeof CreateTestTemplate>;

export const UpdateTestTemplate = z
  .object({
    name: z.string().trim().min(1).max(300),
    description: z.string().max(20_000),
    techniques: z.array(z.string().trim().min(1).max(64)).min(1).max(50),
    tactics: z.array(z.string().max(64)).max(20),
    platforms: z.array(z.string().max(64)).max(20),
    executor: z.string().max(64).nullable(),
    command: z.string().max(50_000).nullable(),
    cleanupCommand: z.string().max(50_000).nullable(),
    inputArguments: z.array(InputArgument).max(100),
    dependencies: z.array(TemplateDependency).max(50),
    elevationRequired: z.boolean(),
    expectedOutcome: Outcome.nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'nothing to change');
export type UpdateTestTemplate = z.infer<typeof UpdateTestTemplate>;

export const BulkTemplateRequest = z.object({
  ids: z.array(z.uuid()).min(1).max(5000),
  active: z.boolean(),
});
export type BulkTemplateRequest = z.infer<typeof BulkTemplateRequest>;

export const BulkTemplateResponse = z.object({ updated: z.number().int() });

const Bucket = z.object({ key: z.string(), total: z.number().int(), active: z.number().int() });
export const TemplateStats = z.object({
  total: z.number().int(),
  active: z.number().int(),
  bySource: z.array(Bucket),
  byPlatform: z.array(Bucket),
  byTactic: z.array(Bucket),
  coverage: z.object({
    /** Live (not revoked, not deprecated) enterprise techniques. */
    techniques: z.number().int(),
    /** …of which at least one active template exercises. */
    withActiveTemplate: z.number().int(),
  }),
});
export type TemplateStats = z.infer<typeof TemplateStats>;

/** What a test started from a template may set differently from the template. */
export const CreateTestFromTemplate = z
  .object({
    /** One of the template's techniques (ATT&CK id or ours); default: its first. */
    technique: z.string().trim().min(1).max(64),
    tactic: z.string().max(64),
    title: z.string().trim().min(1).max(300),
    description: z.string().max(20_000),
    platform: z.string().max(64),
    expectedOutcome: Outcome,
    assignedRedId: z.uuid(),
    assignedBlueId: z.uuid(),
  })
  .partial()
  .default({});
export type CreateTestFromTemplate = z.infer<typeof CreateTestFromTemplate>;

// ------------------------------------------------------------------------------------- detection rules

export const DetectionRuleSummary = z.object({
  id: z.uuid(),
  source: z.string(),
  sourceId: z.string(),
  title: z.string(),
  status: z.string().nullable(),
  level: z.string().nullable(),
  logSource: z.record(z.string(), z.string()),
  /** Always shown: Sigma's Detection Rule License requires attribution. */
  author: z.string().nullable(),
  techniques: z.array(AttackRef),
  /** ATT&CK ids it names that the loaded release lacks (kept; resolved when a release has them). */
  unresolvedAttackIds: z.array(z.string()),
  deployed: z.boolean(),
  /** When the organisation last marked it deployed (null while not deployed). */
  deployedAt: when.nullable(),
  removedAt: when.nullable(),
  updatedAt: when,
});
export type DetectionRuleSummary = z.infer<typeof DetectionRuleSummary>;

export const DetectionRule = DetectionRuleSummary.extend({
  description: z.string(),
  tags: z.array(z.string()),
  references: z.array(z.string()),
  raw: z.string(),
  rawFormat: z.enum(['yaml', 'toml']),
  path: z.string().nullable(),
  modified: z.string().nullable(),
  createdAt: when,
});
export type DetectionRule = z.infer<typeof DetectionRule>;

export const ruleSortFields = ['title', 'level', 'updatedAt'] as const;
export const ListDetectionRulesQuery = PageQuery.extend({
  q: z.string().trim().max(200).optional(),
  source: z.string().max(64).optional(),
  technique: z.string().max(64).optional(),
  status: z.string().max(32).optional(),
  level: z.string().max(32).optional(),
  product: z.string().max(100).optional(),
  category: z.string().max(100).optional(),
  service: z.string().max(100).optional(),
  deployed: bool.optional(),
  includeRemoved: bool.default(false),
  sort: z.enum(ruleSortFields).default('title'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ListDetectionRulesQuery = z.infer<typeof ListDetectionRulesQuery>;

export const UpdateDetectionRule = z.object({ deployed: z.boolean() });
export type UpdateDetectionRule = z.infer<typeof UpdateDetectionRule>;

// ------------------------------------------------------------------------------------ D3FEND, compliance

export const ImplementationStatus = z.enum(['implemented', 'partial', 'none']);

export const D3fendTechnique = z.object({
  id: z.uuid(),
  /** Compact ontology IRI (`d3f:ReissueCredential`): unique, unlike the D3FEND id. */
  iri: z.string(),
  /** D3FEND's own id (`D3-RC`); upstream gives some to more than one technique. */
  d3fendId: z.string(),
  name: z.string(),
  tactic: z.string().nullable(),
  definition: z.string(),
  implementation: ImplementationStatus.nullable(),
  /** The ATT&CK techniques it counters, with the organisation's coverage of each. */
  techniques: z.array(TechniqueUse),
  unresolvedAttackIds: z.array(z.string()),
  removedAt: when.nullable(),
});
export type D3fendTechnique = z.infer<typeof D3fendTechnique>;

export const ListD3fendQuery = PageQuery.extend({
  q: z.string().trim().max(200).optional(),
  tactic: z.string().max(64).optional(),
  technique: z.string().max(64).optional(),
  implementation: z.enum(['implemented', 'partial', 'none', 'unset']).optional(),
});
export type ListD3fendQuery = z.infer<typeof ListD3fendQuery>;

/** One of the techniques a shared D3FEND id names. */
export const D3fendCandidate = D3fendTechnique.pick({
  id: true,
  iri: true,
  d3fendId: true,
  name: true,
  tactic: true,
});
export type D3fendCandidate = z.infer<typeof D3fendCandidate>;

/** 409 `conflict`: the D3FEND id names more than one technique; ask again by IRI or id. */
export const D3fendAmbiguous = z.object({
  error: z.object({
    code: z.literal('conflict'),
    message: z.string(),
    details: z.object({ candidates: z.array(D3fendCandidate) }),
    requestId: z.string().optional(),
  }),
});
export type D3fendAmbiguous = z.infer<typeof D3fendAmbiguous>;

export const UpdateD3fendTechnique = z.object({ implementation: ImplementationStatus.nullable() });
export type UpdateD3fendTechnique = z.infer<typeof UpdateD3fendTechnique>;

export const ComplianceFramework = z.object({
  framework: z.string(),
  name: z.string(),
  controls: z.number().int(),
  /** Distinct techniques its controls map to. */
  techniques: z.number().int(),
});
export type ComplianceFramework = z.infer<typeof ComplianceFramework>;

export const ComplianceControl = z.object({
  id: z.uuid(),
  framework: z.string(),
  controlId: z.string(),
  name: z.string(),
  family: z.string().nullable(),
  description: z.string(),
  /** The ATT&CK techniques it mitigates, with the organisation's coverage of each. */
  techniques: z.array(TechniqueUse),
  unresolvedAttackIds: z.array(z.string()),
  removedAt: when.nullable(),
});
export type ComplianceControl = z.infer<typeof ComplianceControl>;

/** A control in a list: its techniques counted by coverage status (the list stays small; the detail has them). */
export const ComplianceControlSummary = ComplianceControl.omit({
  description: true,
  techniques: true,
}).extend({
  techniqueCount: z.number().int().min(0),
  coverage: CoverageCounts,
});
export type ComplianceControlSummary = z.infer<typeof ComplianceControlSummary>;

/** A filter value with how many live rows carry it (D3FEND tactics, control families). */
export const Facet = z.object({ key: z.string(), total: z.number().int() });
export type Facet = z.infer<typeof Facet>;
export const FacetList = z.object({ items: z.array(Facet) });
export const ControlFamiliesQuery = z.object({ framework: z.string().max(64).optional() });

export const ListControlsQuery = PageQuery.extend({
  framework: z.string().max(64).optional(),
  family: z.string().max(64).optional(),
  technique: z.string().max(64).optional(),
  q: z.string().trim().max(200).optional(),
});
export type ListControlsQuery = z.infer<typeof ListControlsQuery>;
