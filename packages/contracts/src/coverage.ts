import { z } from 'zod';
import { Domain } from './attack';

export const CoverageDimension = z.enum([
  'status',
  'tactic',
  'platform',
  'actor',
  'software',
  'control',
  'd3fend',
]);
export type CoverageDimension = z.infer<typeof CoverageDimension>;

/** `GET /coverage`: in-scope techniques counted by coverage status, grouped by one dimension. */
export const CoverageCountsQuery = z.object({
  by: CoverageDimension.default('status'),
  domain: Domain.default('enterprise-attack'),
  /** Coverage as it stood at this instant (from the coverage history); now when absent. */
  asOf: z.iso.datetime({ offset: true }).optional(),
  /** Count sub-techniques too (default) or only top-level techniques. */
  subtechniques: z.enum(['include', 'exclude']).default('include'),
  /** For `by=control`: the framework (e.g. nist-800-53, cis-v8). */
  framework: z.string().trim().min(1).max(64).optional(),
  /** Only these groups: tactic shortnames, platform names, group/software ids or ATT&CK ids, control or D3FEND technique ids. */
  key: z
    .union([z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(200)])
    .optional()
    .transform((v) => (v === undefined ? undefined : Array.isArray(v) ? v : [v])),
});
export type CoverageCountsQuery = z.infer<typeof CoverageCountsQuery>;

/** Techniques per coverage status; every status present (0 when none). */
const count = z.number().int();
export const StatusCounts = z.object({
  validated: count,
  partial: count,
  not_covered: count,
  in_progress: count,
  untested: count,
});
export type StatusCounts = z.infer<typeof StatusCounts>;

export const CoverageGroup = z.object({
  /** Tactic shortname, platform name, group/software/control id; `all` for `by=status`. */
  key: z.string(),
  name: z.string(),
  /** ATT&CK id of a tactic, group or software; the control's id for a control. */
  attackId: z.string().nullable(),
  total: z.number().int(),
  counts: StatusCounts,
});
export type CoverageGroup = z.infer<typeof CoverageGroup>;

export const CoverageReport = z.object({
  by: CoverageDimension,
  domain: Domain,
  asOf: z.string().nullable(),
  /** The organisation's platform scope (null: every platform but PRE). */
  scope: z.array(z.string()).nullable(),
  subtechniques: z.boolean(),
  /** In-scope techniques counted (each once, whatever the grouping). */
  inScope: z.number().int(),
  /** Active techniques the scope leaves out (not counted anywhere). */
  outOfScope: z.number().int(),
  totals: StatusCounts,
  items: z.array(CoverageGroup),
  computedAt: z.string(),
});
export type CoverageReport = z.infer<typeof CoverageReport>;
