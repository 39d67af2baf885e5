import { z } from 'zod';
import { CoverageStatus } from './attack';

/**
 * Heatmap layers (analysis spec §3.2): one request gives the whole matrix of a domain with one
 * value per technique (a cell is technique × tactic; a technique has the same value in each of its
 * tactics), its label and colour, computed on the server so the matrix, the SVG and CSV exports and
 * the Navigator export agree.
 */

export const HEATMAP_DOMAINS = ['enterprise-attack', 'mobile-attack', 'ics-attack'] as const;
export const HeatmapDomain = z.enum(HEATMAP_DOMAINS, {
  error: 'domain must be enterprise-attack, mobile-attack or ics-attack',
});

/**
 * A layer's name: `coverage`, `score`, `actor:<id|G0016>`, `compliance:<framework>[:<control>]`,
 * `snapshot-delta:<a>:<b>`, `snapshot:<id>`, `claimed[:<layer id>]`, `claimed-vs-validated[:<layer id>]`.
 */
export const LayerName = z
  .string({ error: 'layer must be text' })
  .trim()
  .min(1, 'layer must not be empty')
  .max(200, 'layer must be at most 200 characters');

const bool = (name: string) =>
  z
    .enum(['true', 'false'], { error: `${name} must be true or false` })
    .transform((v) => v === 'true')
    .optional();

export const HeatmapQuery = z.object({
  layer: LayerName.default('coverage'),
  domain: HeatmapDomain.default('enterprise-attack'),
  /** Only techniques of this ATT&CK platform (case-insensitive). */
  platform: z.string().trim().min(1).max(60).optional(),
  /** Only this tactic's column (shortname, e.g. `execution`). */
  tactic: z.string().trim().min(1).max(80).optional(),
  /** Only techniques this threat actor uses (id or ATT&CK id). */
  actor: z.string().trim().min(1).max(80).optional(),
  /** Only techniques with (true) or without (false) any test. */
  hasTests: bool('hasTests'),
  status: CoverageStatus.optional(),
});
export type HeatmapQuery = z.infer<typeof HeatmapQuery>;

export const LegendItem = z.object({ value: z.string(), label: z.string(), color: z.string() });
export type LegendItem = z.infer<typeof LegendItem>;

export const Gradient = z.object({
  colors: z.array(z.string()).min(2),
  minValue: z.number(),
  maxValue: z.number(),
});
export type Gradient = z.infer<typeof Gradient>;

export const HeatmapLayerInfo = z.object({
  /** The name as asked (normalised): what to ask again, and what the export names. */
  name: z.string(),
  title: z.string(),
  description: z.string(),
  kind: z.enum(['categorical', 'gradient']),
  /** Categorical layers: every value with its label and colour. */
  legend: z.array(LegendItem),
  /** Gradient layers: colours from min to max. */
  gradient: Gradient.nullable(),
});
export type HeatmapLayerInfo = z.infer<typeof HeatmapLayerInfo>;

export const HeatmapCell = z.object({
  id: z.uuid(),
  attackId: z.string().nullable(),
  name: z.string(),
  isSubtechnique: z.boolean(),
  /** A sub-technique's parent (its id), null for a top-level technique. */
  parentId: z.uuid().nullable(),
  tactics: z.array(z.string()),
  platforms: z.array(z.string()),
  inScope: z.boolean(),
  coverageStatus: CoverageStatus,
  /** The layer's value: a number for gradient layers, the category's rank for categorical ones; null when empty. */
  value: z.number().nullable(),
  /** The category (categorical layers), e.g. `validated`; null on gradient layers and empty cells. */
  category: z.string().nullable(),
  /** What the cell says in words, e.g. "Validated" or "Score 72.5". */
  label: z.string(),
  /** `#rrggbb`, null for an empty cell. */
  color: z.string().nullable(),
  /** Why this colour: the inputs in one line (the side panel shows it). */
  detail: z.string(),
});
export type HeatmapCell = z.infer<typeof HeatmapCell>;

export const Heatmap = z.object({
  layer: HeatmapLayerInfo,
  domain: HeatmapDomain,
  /** The ATT&CK release of the domain loaded here ("18.1"), null when none. */
  release: z.string().nullable(),
  tactics: z.array(z.object({ shortname: z.string(), attackId: z.string().nullable(), name: z.string() })),
  techniques: z.array(HeatmapCell),
  /** Active techniques of the domain, those the filters kept, and those out of the organisation's scope. */
  counts: z.object({ total: z.number().int(), shown: z.number().int(), outOfScope: z.number().int() }),
  /** The filters applied, as asked. */
  filters: z.object({
    platform: z.string().optional(),
    tactic: z.string().optional(),
    actor: z.string().optional(),
    hasTests: z.boolean().optional(),
    status: CoverageStatus.optional(),
  }),
  configVersion: z.number().int(),
  computedAt: z.iso.datetime(),
});
export type Heatmap = z.infer<typeof Heatmap>;

/** The layers one can ask for, with what each needs (the switcher lists them). */
export const HeatmapLayerCatalog = z.object({
  layers: z.array(
    z.object({
      name: z.string(),
      title: z.string(),
      kind: z.enum(['categorical', 'gradient']),
      /** What follows the colon, if anything: an actor, a framework, two snapshots. */
      parameter: z.enum(['none', 'actor', 'framework', 'snapshots', 'snapshot', 'claimedLayer']),
      description: z.string(),
    }),
  ),
});
export type HeatmapLayerCatalog = z.infer<typeof HeatmapLayerCatalog>;

/** The Navigator export: the heatmap's filters, and one or more layer names (comma-separated). */
export const HeatmapExportQuery = HeatmapQuery.omit({ layer: true }).extend({
  layers: z
    .string({ error: 'layers must be text' })
    .trim()
    .min(1, 'layers must name at least one layer')
    .max(1000, 'layers must be at most 1000 characters')
    .transform((v) => v.split(',').map((x) => x.trim()))
    .refine(
      (v) => v.length <= 10 && v.every((x) => x !== ''),
      'layers: from 1 to 10 layer names, comma-separated',
    ),
});
export type HeatmapExportQuery = z.infer<typeof HeatmapExportQuery>;

/** The export's body: a Navigator layer 4.5 object, or an array of them (its JSON Schema: NAVIGATOR_EXPORT_SCHEMA). */
export const NavigatorExport = z
  .union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))])
  .describe('An ATT&CK Navigator layer (format 4.5), or an array of layers when several were asked');

const EndRef = z
  .string()
  .refine((v) => v === 'now' || z.uuid().safeParse(v).success, 'expected a snapshot id (uuid) or "now"');

/** The comparison export: two ends (snapshot ids or "now") and the heatmap's filters. */
export const CompareExportQuery = HeatmapQuery.omit({ layer: true }).extend({
  from: EndRef,
  to: EndRef.default('now'),
});
