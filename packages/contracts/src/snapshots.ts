import { z } from 'zod';
import { CoverageStatus } from './attack';
import { listEnvelope, PageQuery } from './envelopes';
import { Figure } from './scores';
import { UserRef } from './test-cases';

/**
 * Snapshots and their comparison (analysis spec §4): a snapshot freezes every active Enterprise
 * technique's coverage and scores (keyed by STIX id, so snapshots taken on different ATT&CK releases
 * compare), the tactic and threat-actor scores and the organisation score.
 */

const when = z.iso.datetime({ offset: true });

export const SnapshotKind = z.enum(['manual', 'scheduled', 'pre-upgrade']);
export type SnapshotKind = z.infer<typeof SnapshotKind>;

/** In-scope techniques per coverage status when the snapshot was taken. */
export const SnapshotCounts = z.object({
  validated: z.number().int(),
  partial: z.number().int(),
  not_covered: z.number().int(),
  in_progress: z.number().int(),
  untested: z.number().int(),
});
export type SnapshotCounts = z.infer<typeof SnapshotCounts>;

export const SnapshotSummary = z.object({
  id: z.uuid(),
  kind: SnapshotKind,
  name: z.string(),
  note: z.string(),
  takenAt: when,
  takenBy: UserRef.nullable(),
  /** The ATT&CK Enterprise release loaded when it was taken ("18.1"), null if unknown. */
  attackRelease: z.string().nullable(),
  /** The scoring configuration version the scores it holds were computed with. */
  scoreConfigVersion: z.number().int().nullable(),
  /** Scheduled snapshots: the local date (AEGIS_TIMEZONE) they stand for; one per date. */
  periodKey: z.string().nullable(),
  organizationScore: Figure,
  organizationThreatScore: Figure,
  /** Active techniques stored (in scope or not) and those in scope. */
  techniqueCount: z.number().int(),
  inScopeCount: z.number().int(),
  counts: SnapshotCounts,
});
export type SnapshotSummary = z.infer<typeof SnapshotSummary>;

export const SnapshotList = listEnvelope(SnapshotSummary);
export type SnapshotList = z.infer<typeof SnapshotList>;

export const SnapshotListQuery = PageQuery.extend({
  kind: SnapshotKind.optional(),
});
export type SnapshotListQuery = z.infer<typeof SnapshotListQuery>;

export const SnapshotTactic = z.object({
  shortname: z.string(),
  name: z.string(),
  score: Figure,
  threatScore: Figure,
  techniqueCount: z.number().int(),
});

export const SnapshotDetail = SnapshotSummary.extend({
  tactics: z.array(SnapshotTactic),
});
export type SnapshotDetail = z.infer<typeof SnapshotDetail>;

export const CreateSnapshot = z.strictObject({
  name: z
    .string({ error: 'name must be text' })
    .trim()
    .min(1, 'name must not be empty')
    .max(200, 'name must be at most 200 characters'),
  note: z
    .string({ error: 'note must be text' })
    .max(4000, 'note must be at most 4000 characters')
    .default(''),
});
export type CreateSnapshot = z.infer<typeof CreateSnapshot>;

export const SnapshotIdParams = z.object({ id: z.uuid({ error: 'id must be a snapshot id (uuid)' }) });

/** `now` or a snapshot id. */
const SnapshotRef = z
  .string()
  .refine((v) => v === 'now' || z.uuid().safeParse(v).success, 'expected a snapshot id (uuid) or "now"');

export const CompareQuery = z.object({
  from: SnapshotRef,
  to: SnapshotRef.default('now'),
  /** Score moves smaller than this (in points) within the same coverage rank are "unchanged". */
  threshold: z.coerce
    .number({ error: 'threshold must be a number' })
    .min(0, 'threshold must be 0 or more')
    .max(100, 'threshold must be at most 100')
    .default(1),
});
export type CompareQuery = z.infer<typeof CompareQuery>;

export const Classification = z.enum([
  'added',
  'removed',
  'moved',
  'regressed',
  'improved',
  'newly_tested',
  'unchanged',
]);
export type Classification = z.infer<typeof Classification>;

const Side = z.object({
  attackId: z.string().nullable(),
  name: z.string(),
  status: CoverageStatus,
  inScope: z.boolean(),
  /** The technique's aggregate score (a parent's includes its sub-techniques); null when not scored. */
  score: z.number().nullable(),
  components: z.object({
    tests: z.number().nullable(),
    rules: z.number().nullable(),
    d3fend: z.number().nullable(),
    freshness: z.number().nullable(),
    platform: z.number().nullable(),
  }),
});

export const ComparedTechnique = z.object({
  stixId: z.string(),
  attackId: z.string().nullable(),
  name: z.string(),
  tactics: z.array(z.string()),
  isSubtechnique: z.boolean(),
  classification: Classification,
  /** Only for `moved`: the technique that revoked it, as the newer snapshot holds it. */
  movedTo: z.object({ stixId: z.string(), attackId: z.string().nullable(), name: z.string() }).nullable(),
  from: Side.nullable(),
  to: Side.nullable(),
  /** score to − score from (null when either is not scored). */
  delta: z.number().nullable(),
});
export type ComparedTechnique = z.infer<typeof ComparedTechnique>;

const End = z.object({
  kind: z.enum(['snapshot', 'now']),
  id: z.uuid().nullable(),
  name: z.string(),
  takenAt: when,
  attackRelease: z.string().nullable(),
  organizationScore: Figure,
  organizationThreatScore: Figure,
  counts: SnapshotCounts,
});

export const SnapshotComparison = z.object({
  from: End,
  to: End,
  threshold: z.number(),
  /** Techniques per classification. */
  totals: z.object({
    added: z.number().int(),
    removed: z.number().int(),
    moved: z.number().int(),
    regressed: z.number().int(),
    improved: z.number().int(),
    newly_tested: z.number().int(),
    unchanged: z.number().int(),
  }),
  /** The organisation score's move (to − from), equal and threat-weighted. */
  organizationDelta: Figure,
  organizationThreatDelta: Figure,
  tactics: z.array(
    z.object({
      shortname: z.string(),
      name: z.string(),
      scoreFrom: Figure,
      scoreTo: Figure,
      delta: Figure,
    }),
  ),
  /** Every technique in either end, except the unchanged ones unless `all=true`. */
  techniques: z.array(ComparedTechnique),
  computedAt: when,
});
export type SnapshotComparison = z.infer<typeof SnapshotComparison>;

export const CompareFullQuery = CompareQuery.extend({
  all: z
    .enum(['true', 'false'], { error: 'all must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
});
export type CompareFullQuery = z.infer<typeof CompareFullQuery>;

/** The organisation score and coverage counts at each snapshot of a range (trend charts). */
export const SnapshotTrendQuery = z.object({
  from: when.optional(),
  to: when.optional(),
  kind: SnapshotKind.optional(),
});
export const SnapshotTrend = z.object({
  points: z.array(
    z.object({
      id: z.uuid(),
      kind: SnapshotKind,
      takenAt: when,
      organizationScore: Figure,
      organizationThreatScore: Figure,
      counts: SnapshotCounts,
    }),
  ),
});
export type SnapshotTrend = z.infer<typeof SnapshotTrend>;
