import { z } from 'zod';
import { listEnvelope, PageQuery } from './envelopes';
import { UserRef } from './test-cases';

/**
 * ATT&CK Navigator layers imported as claimed coverage (analysis spec §3.4): staged — parsed,
 * resolved against the loaded release, previewed (`dryRun`), applied in one transaction.
 */

const when = z.iso.datetime({ offset: true });

export const LayerImportQuery = z.object({
  filename: z
    .string({ error: 'filename must be text' })
    .trim()
    .min(1, 'filename must not be empty')
    .max(200, 'filename must be at most 200 characters')
    .default('layer.json'),
  dryRun: z
    .enum(['true', 'false'], { error: 'dryRun must be true or false' })
    .default('false')
    .transform((v) => v === 'true'),
  /** The claim rule: an enabled entry claims when it has no score or a score above this. */
  claimThreshold: z.coerce
    .number({ error: 'claimThreshold must be a number' })
    .min(-1_000_000, 'claimThreshold is out of range')
    .max(1_000_000, 'claimThreshold is out of range')
    .default(0),
});
export type LayerImportQuery = z.infer<typeof LayerImportQuery>;

export const LayerWarning = z.object({
  code: z.string(),
  message: z.string(),
  /** The entry's position in the layer's techniques; absent for the layer as a whole. */
  entry: z.number().int().optional(),
});

export const ResolutionCounts = z.object({
  entries: z.number().int(),
  active: z.number().int(),
  revoked: z.number().int(),
  deprecated: z.number().int(),
  unknown: z.number().int(),
  tacticDropped: z.number().int(),
  collisions: z.number().int(),
  claimed: z.number().int(),
});

export const ClaimedItem = z.object({
  position: z.number().int(),
  originalTechniqueId: z.string(),
  techniqueId: z.uuid().nullable(),
  attackId: z.string().nullable(),
  resolution: z.enum(['active', 'revoked', 'deprecated', 'unknown']),
  via: z.array(z.string()),
  originalTactic: z.string().nullable(),
  tactic: z.string().nullable(),
  score: z.number().nullable(),
  normalisedScore: z.number().nullable(),
  color: z.string().nullable(),
  comment: z.string(),
  enabled: z.boolean(),
  claimed: z.boolean(),
  warnings: z.array(z.string()),
});
export type ClaimedItem = z.infer<typeof ClaimedItem>;

export const ClaimedLayerSummary = z.object({
  /** Null in a preview (nothing written). */
  id: z.uuid().nullable(),
  name: z.string(),
  description: z.string(),
  domain: z.string(),
  layerVersion: z.string().nullable(),
  attackVersion: z.string().nullable(),
  resolvedRelease: z.string().nullable(),
  sourceFilename: z.string(),
  sourceIndex: z.number().int(),
  sha256: z.string(),
  claimThreshold: z.number(),
  gradient: z.object({ min: z.number(), max: z.number() }),
  counts: ResolutionCounts,
  warningCount: z.number().int(),
  importedBy: UserRef.nullable(),
  importedAt: when.nullable(),
  resolvedAt: when.nullable(),
});
export type ClaimedLayerSummary = z.infer<typeof ClaimedLayerSummary>;

export const ClaimedLayerDetail = ClaimedLayerSummary.extend({
  warnings: z.array(LayerWarning),
  items: z.array(ClaimedItem),
});
export type ClaimedLayerDetail = z.infer<typeof ClaimedLayerDetail>;

export const LayerImportResult = z.object({
  dryRun: z.boolean(),
  layers: z.array(ClaimedLayerDetail),
});
export type LayerImportResult = z.infer<typeof LayerImportResult>;

export const ClaimedLayerList = listEnvelope(ClaimedLayerSummary);
export type ClaimedLayerList = z.infer<typeof ClaimedLayerList>;
export const ClaimedLayerListQuery = PageQuery;
export const ClaimedLayerParams = z.object({ id: z.uuid({ error: 'id must be a layer id (uuid)' }) });
