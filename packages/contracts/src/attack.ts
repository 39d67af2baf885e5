import { z } from 'zod';
import { PageQuery } from './envelopes';

export const Domain = z.enum(['enterprise-attack', 'mobile-attack', 'ics-attack']);
export type Domain = z.infer<typeof Domain>;

export const CoverageStatus = z.enum(['validated', 'partial', 'not_covered', 'in_progress', 'untested']);
export type CoverageStatus = z.infer<typeof CoverageStatus>;

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** A short reference to an ATT&CK object (technique, group, software, mitigation, …). */
export const AttackRef = z.object({
  id: z.uuid(),
  attackId: z.string().nullable(),
  name: z.string(),
});
export type AttackRef = z.infer<typeof AttackRef>;

export const ReviewReason = z.object({
  kind: z.enum([
    'renamed',
    'description_changed',
    'moved',
    'deprecated',
    'revoked_into',
    'platforms_changed',
  ]),
  release: z.string(),
  detail: z.string(),
  at: z.string(),
});

export const Tactic = z.object({
  id: z.uuid(),
  attackId: z.string().nullable(),
  stixId: z.string(),
  name: z.string(),
  shortname: z.string().nullable(),
  description: z.string(),
  matrixOrder: z.number().int().nullable(),
  domain: Domain,
  techniqueCount: z.number().int(),
  subtechniqueCount: z.number().int(),
});
export type Tactic = z.infer<typeof Tactic>;
export const ListTacticsQuery = z.object({ domain: Domain.default('enterprise-attack') });

/**
 * Every platform name ATT&CK has used (Enterprise, Mobile, ICS; older Enterprise names too), so that
 * a misspelt `ORG_PLATFORM_SCOPE` entry stops the server instead of silently scoping nothing.
 */
export const KNOWN_ATTACK_PLATFORMS = [
  'Windows',
  'macOS',
  'Linux',
  'PRE',
  'Containers',
  'IaaS',
  'SaaS',
  'Office Suite',
  'Identity Provider',
  'Network Devices',
  'ESXi',
  'Network',
  'Office 365',
  'Azure AD',
  'Google Workspace',
  'AWS',
  'GCP',
  'Azure',
  'Android',
  'iOS',
  'None',
] as const;

export const ListPlatformsQuery = z.object({ domain: Domain.default('enterprise-attack') });
/** A platform of the loaded release, whether the organisation tests it, and its live techniques. */
export const AttackPlatform = z.object({
  name: z.string(),
  inScope: z.boolean(),
  /** Live techniques and sub-techniques naming it (0: in scope, but not in this release). */
  techniqueCount: z.number().int(),
});
export type AttackPlatform = z.infer<typeof AttackPlatform>;
export const AttackPlatforms = z.object({ items: z.array(AttackPlatform) });
export type AttackPlatforms = z.infer<typeof AttackPlatforms>;

/** The ATT&CK release loaded for a domain: the last import that succeeded (null: none yet). */
export const AttackRelease = z.object({
  domain: Domain,
  release: z.string().nullable(),
  loadedAt: z.iso.datetime().nullable(),
});
export type AttackRelease = z.infer<typeof AttackRelease>;

export const TechniqueSummary = z.object({
  id: z.uuid(),
  attackId: z.string().nullable(),
  stixId: z.string(),
  domain: Domain,
  name: z.string(),
  tactics: z.array(z.string()),
  platforms: z.array(z.string()),
  isSubtechnique: z.boolean(),
  parent: AttackRef.nullable(),
  subtechniqueCount: z.number().int(),
  deprecated: z.boolean(),
  revoked: z.boolean(),
  version: z.string().nullable(),
  modified: z.iso.datetime().nullable(),
  coverageStatus: CoverageStatus,
  reviewRequired: z.boolean(),
});
export type TechniqueSummary = z.infer<typeof TechniqueSummary>;

/** `relevance` (with `q`): exact ATT&CK id, then id prefix, name prefix, name, description matches. */
export const techniqueSortFields = ['attackId', 'name', 'modified', 'relevance'] as const;
export const ListTechniquesQuery = PageQuery.extend({
  domain: Domain.default('enterprise-attack'),
  /** Tactic shortname (`defense-evasion`) or ATT&CK id (`TA0005`). */
  tactic: z.string().max(64).optional(),
  platform: z.string().max(64).optional(),
  coverage: CoverageStatus.optional(),
  reviewRequired: bool.optional(),
  subtechniques: z.enum(['include', 'exclude', 'only']).default('include'),
  /** Include deprecated and revoked techniques (hidden by default). */
  includeDeprecated: bool.default(false),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(techniqueSortFields).default('attackId'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ListTechniquesQuery = z.infer<typeof ListTechniquesQuery>;

export const Technique = TechniqueSummary.extend({
  description: z.string(),
  detection: z.string().nullable(),
  url: z.string().nullable(),
  subtechniques: z.array(AttackRef.extend({ coverageStatus: CoverageStatus })),
  groups: z.array(AttackRef),
  software: z.array(AttackRef),
  campaigns: z.array(AttackRef),
  mitigations: z.array(AttackRef.extend({ how: z.string().nullable() })),
  detectionStrategies: z.array(AttackRef),
  dataSources: z.array(z.string()),
  reviewReasons: z.array(ReviewReason),
  reviewedAt: z.iso.datetime().nullable(),
  notes: z.string(),
  revokedBy: AttackRef.nullable(),
});
export type Technique = z.infer<typeof Technique>;

/** `:id` accepts our id or an ATT&CK id (`T1059.001`). */
export const TechniqueParams = z.object({ id: z.string().min(1).max(64) });

export const UpdateTechnique = z.object({ notes: z.string().max(20_000) });
export const ReviewTechnique = z.object({ comment: z.string().max(2000).optional() });

export const ThreatActorSummary = z.object({
  id: z.uuid(),
  attackId: z.string().nullable(),
  stixId: z.string(),
  domain: Domain,
  name: z.string(),
  aliases: z.array(z.string()),
  techniqueCount: z.number().int(),
  validatedCount: z.number().int(),
  modified: z.iso.datetime().nullable(),
});
export type ThreatActorSummary = z.infer<typeof ThreatActorSummary>;
export const ListThreatActorsQuery = PageQuery.extend({
  domain: Domain.default('enterprise-attack'),
  q: z.string().trim().max(200).optional(),
  /** Groups using this technique (ATT&CK id or our id). */
  technique: z.string().max(64).optional(),
});

/** A technique a group, software or campaign uses, with the organisation's coverage of it. */
export const TechniqueUse = AttackRef.extend({
  coverageStatus: CoverageStatus,
  tactics: z.array(z.string()),
});
export type TechniqueUse = z.infer<typeof TechniqueUse>;
/** How many of the used techniques are in each coverage status. */
export const CoverageCounts = z.partialRecord(CoverageStatus, z.number().int());
export type CoverageCounts = z.infer<typeof CoverageCounts>;

export const ThreatActor = ThreatActorSummary.extend({
  description: z.string(),
  url: z.string().nullable(),
  techniques: z.array(TechniqueUse),
  software: z.array(AttackRef),
  campaigns: z.array(AttackRef),
  coverage: CoverageCounts,
});
export type ThreatActor = z.infer<typeof ThreatActor>;

export const SoftwareSummary = z.object({
  id: z.uuid(),
  attackId: z.string().nullable(),
  domain: Domain,
  name: z.string(),
  kind: z.enum(['malware', 'tool']),
  aliases: z.array(z.string()),
  platforms: z.array(z.string()),
  techniqueCount: z.number().int(),
  validatedCount: z.number().int(),
});
export type SoftwareSummary = z.infer<typeof SoftwareSummary>;
export const ListSoftwareQuery = PageQuery.extend({
  domain: Domain.default('enterprise-attack'),
  q: z.string().trim().max(200).optional(),
  kind: z.enum(['malware', 'tool']).optional(),
});
export const Software = SoftwareSummary.extend({
  description: z.string(),
  url: z.string().nullable(),
  techniques: z.array(TechniqueUse),
  /** Groups (intrusion sets) using it. */
  groups: z.array(AttackRef),
  /** Intrusion campaigns using it. */
  campaigns: z.array(AttackRef),
  coverage: CoverageCounts,
});
export type Software = z.infer<typeof Software>;
export const CampaignSummary = z.object({
  id: z.uuid(),
  attackId: z.string().nullable(),
  domain: Domain,
  name: z.string(),
  aliases: z.array(z.string()),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  techniqueCount: z.number().int(),
  validatedCount: z.number().int(),
});
export type CampaignSummary = z.infer<typeof CampaignSummary>;
export const Campaign = CampaignSummary.extend({
  description: z.string(),
  url: z.string().nullable(),
  techniques: z.array(TechniqueUse),
  software: z.array(AttackRef),
  groups: z.array(AttackRef),
  coverage: CoverageCounts,
});
export type Campaign = z.infer<typeof Campaign>;
export const ListAttackQuery = PageQuery.extend({
  domain: Domain.default('enterprise-attack'),
  q: z.string().trim().max(200).optional(),
});
export const AttackObjectParams = z.object({ id: z.string().min(1).max(64) });

export const ImportRun = z.object({
  id: z.uuid(),
  kind: z.string(),
  domain: z.string().nullable(),
  sourceType: z.enum(['taxii', 'url', 'file', 'upload']),
  source: z.string(),
  /** The uploaded file's name (uploads and file imports; `source` is then a storage key or path). */
  filename: z.string().nullable(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  release: z.string().nullable(),
  progress: z.object({ phase: z.string(), done: z.number(), total: z.number() }).nullable(),
  counts: z.record(z.string(), z.unknown()),
  diff: z.record(z.string(), z.unknown()).nullable(),
  errors: z.array(z.string()),
  triggeredBy: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
  durationMs: z.number().int().nullable(),
});
export type ImportRun = z.infer<typeof ImportRun>;
export const ListImportRunsQuery = PageQuery.extend({
  status: z.enum(['queued', 'running', 'succeeded', 'failed']).optional(),
});

export const SyncMitreRequest = z
  .object({
    source: z.enum(['url', 'taxii']).optional(),
    url: z.url({ protocol: /^https?$/ }).optional(),
    collectionId: z.string().max(200).optional(),
    /** TAXII: only objects added after this time. */
    addedAfter: z.iso.datetime({ offset: true }).optional(),
  })
  .default({});
