import type { Classification, HeatmapLayerCatalog, HeatmapLayerInfo, LegendItem } from '@aegis/contracts';
import type { ScoreColumns } from '../scores';

/**
 * The layer registry (analysis spec §3.2): a layer is one small provider — how its name parses, what
 * it looks like (legend or gradient), and the value, label and colour of one technique from the row
 * the heatmap query read. Adding a layer is adding an entry here (and, if it needs data the row does
 * not hold, a column or a lookup in `LayerContext`).
 */

/** What the heatmap query reads for each technique (one statement, heatmap.queries.ts). */
export type TechniqueRow = ScoreColumns & {
  id: string;
  stix_id: string;
  attack_id: string | null;
  name: string;
  is_subtechnique: boolean;
  parent_id: string | null;
  tactics: string[];
  platforms: string[];
  in_scope: boolean;
  status: string;
  /** actor layer: whether the actor uses it; compliance layer: how many of the selected controls map it. */
  marked: number | null;
  /** claimed layers: how many claimed entries land on it, their highest normalised score, an explicit colour. */
  claim_count: number | null;
  claim_score: number | null;
  claim_color: string | null;
};

export interface CellValue {
  value: number | null;
  category: string | null;
  label: string;
  color: string | null;
  detail: string;
}

/** Lookups a layer needs beyond the row (the snapshot comparison's classification by STIX id). */
export interface LayerContext {
  classifications?: ReadonlyMap<string, { classification: Classification; delta: number | null }>;
  /** The snapshot layer: each technique's status and scores as the snapshot holds them, by STIX id. */
  asOf?: ReadonlyMap<string, Pick<TechniqueRow, 'status' | keyof ScoreColumns>>;
}

export type LayerParameter = HeatmapLayerCatalog['layers'][number]['parameter'];

export interface LayerProvider {
  prefix: string;
  title: string;
  kind: 'categorical' | 'gradient';
  parameter: LayerParameter;
  description: string;
  legend: LegendItem[];
  /** A value for a technique in scope (out-of-scope ones are empty on every layer). */
  cell(row: TechniqueRow, ctx: LayerContext): CellValue;
}

// ── Colours ───────────────────────────────────────────────────────────────────────────────────────

/** The Navigator's default gradient (red → yellow → green over 0–100), which the score layer uses. */
export const SCORE_GRADIENT = ['#ff6666', '#ffe766', '#8ec843'] as const;

const hex = (n: number) => Math.round(n).toString(16).padStart(2, '0');
const rgb = (c: string) =>
  [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16)) as [number, number, number];

/** The colour of a value on a gradient of evenly spaced stops (clamped to the ends). */
export function gradientColor(value: number, colors: readonly string[], min = 0, max = 100): string {
  const stops = colors.length - 1;
  const t = Math.min(1, Math.max(0, (value - min) / (max - min || 1))) * stops;
  const i = Math.min(stops - 1, Math.floor(t));
  const f = t - i;
  const a = rgb(colors[i] as string);
  const b = rgb(colors[i + 1] as string);
  return `#${a.map((x, k) => hex(x + ((b[k] as number) - x) * f)).join('')}`;
}

export const COVERAGE_LEGEND: LegendItem[] = [
  { value: 'validated', label: 'Validated', color: '#8ec843' },
  { value: 'partial', label: 'Partial', color: '#ffe766' },
  { value: 'not_covered', label: 'Not covered', color: '#ff6666' },
  { value: 'in_progress', label: 'In progress', color: '#66b1ff' },
  { value: 'untested', label: 'Untested', color: '#d9d9d9' },
];

export const DELTA_LEGEND: LegendItem[] = [
  { value: 'improved', label: 'Improved', color: '#8ec843' },
  { value: 'regressed', label: 'Regressed', color: '#ff6666' },
  { value: 'newly_tested', label: 'Newly tested', color: '#66b1ff' },
  { value: 'moved', label: 'Moved here (revoked technique)', color: '#ffb366' },
  { value: 'added', label: 'New in the later release', color: '#c9b3ff' },
  { value: 'unchanged', label: 'Unchanged', color: '#ffffff' },
];

export const CLAIM_LEGEND: LegendItem[] = [
  { value: 'both', label: 'Claimed and validated', color: '#8ec843' },
  { value: 'evidence_gap', label: 'Claimed, not validated (evidence gap)', color: '#ff9f43' },
  { value: 'unclaimed', label: 'Validated, not claimed', color: '#66b1ff' },
];

const fixed = (v: number | null) => (v === null ? '–' : Number(v).toFixed(2));

/** The breakdown in one line: the five components, as the Navigator export's metadata says it. */
export const breakdownLine = (r: TechniqueRow) =>
  `T ${fixed(r.c_tests)} · R ${fixed(r.c_rules)} · D ${fixed(r.c_d3fend)} · F ${fixed(r.c_fresh)} · P ${fixed(r.c_platform)}`;

/** A parent shows its aggregate (its sub-techniques included), a sub-technique its own score. */
export const shownScore = (r: TechniqueRow): number | null => {
  const v = r.is_subtechnique ? r.own_score : r.aggregate_score;
  return v === null ? null : Number(v);
};

const statusWords = (status: string) => COVERAGE_LEGEND.find((l) => l.value === status)?.label ?? status;

/** The category rank of a legend value: its position from the end, so the best sorts highest. */
const rankIn = (legend: readonly LegendItem[], value: string) => {
  const i = legend.findIndex((l) => l.value === value);
  return i < 0 ? null : legend.length - 1 - i;
};

function categorical(legend: readonly LegendItem[], value: string, detail: string): CellValue {
  const item = legend.find((l) => l.value === value);
  return {
    value: rankIn(legend, value),
    category: value,
    label: item?.label ?? value,
    color: item?.color ?? null,
    detail,
  };
}

const empty = (label: string, detail = ''): CellValue => ({
  value: null,
  category: null,
  label,
  color: null,
  detail,
});

const coverageDetail = (r: TechniqueRow) =>
  `${statusWords(r.status)} · ${r.current_results} current result${r.current_results === 1 ? '' : 's'}`;

function scoreCell(r: TechniqueRow): CellValue {
  const score = shownScore(r);
  if (score === null) return empty('Not scored', 'No score computed yet');
  return {
    value: score,
    category: null,
    label: `Score ${score.toFixed(1)}`,
    color: gradientColor(score, SCORE_GRADIENT),
    detail: `${r.is_subtechnique ? 'Own' : 'Aggregate'} score ${score.toFixed(1)} · ${breakdownLine(r)}`,
  };
}

export const LAYERS: readonly LayerProvider[] = [
  {
    prefix: 'coverage',
    title: 'Coverage',
    kind: 'categorical',
    parameter: 'none',
    description: 'Each technique’s coverage status, from its validated tests',
    legend: COVERAGE_LEGEND,
    cell: (r) => categorical(COVERAGE_LEGEND, r.status, coverageDetail(r)),
  },
  {
    prefix: 'score',
    title: 'Score',
    kind: 'gradient',
    parameter: 'none',
    description: 'Scores 0–100: a parent’s aggregate (its sub-techniques included), a sub-technique’s own',
    legend: [],
    cell: scoreCell,
  },
  {
    prefix: 'actor',
    title: 'Threat actor',
    kind: 'gradient',
    parameter: 'actor',
    description: 'The score of the techniques a threat actor uses; the others are empty',
    legend: [],
    cell: (r) => (r.marked ? scoreCell(r) : empty('Not used by this actor')),
  },
  {
    prefix: 'compliance',
    title: 'Compliance',
    kind: 'categorical',
    parameter: 'framework',
    description:
      'The coverage of the techniques a framework’s controls (or one control) map to; the others are empty',
    legend: COVERAGE_LEGEND,
    cell: (r) =>
      r.marked
        ? categorical(
            COVERAGE_LEGEND,
            r.status,
            `${coverageDetail(r)} · mapped by ${r.marked} control${r.marked === 1 ? '' : 's'}`,
          )
        : empty('Not mapped to the selected controls'),
  },
  {
    prefix: 'snapshot-delta',
    title: 'Change between snapshots',
    kind: 'categorical',
    parameter: 'snapshots',
    description:
      'What changed between two snapshots (or one and now): improved, regressed, newly tested, moved, added',
    legend: DELTA_LEGEND,
    cell: (r, ctx) => {
      const c = ctx.classifications?.get(r.stix_id);
      if (!c) return empty('Not in the comparison');
      const delta = c.delta === null ? '' : ` · Δ ${c.delta >= 0 ? '+' : ''}${c.delta.toFixed(1)}`;
      return categorical(DELTA_LEGEND, c.classification, `${c.classification.replace('_', ' ')}${delta}`);
    },
  },
  {
    prefix: 'snapshot',
    title: 'Score at a snapshot',
    kind: 'gradient',
    parameter: 'snapshot',
    description:
      'Scores as a snapshot froze them (leads and admins): parents their aggregate, sub-techniques their own',
    legend: [],
    cell: (r) =>
      r.marked ? scoreCell(r) : empty('Not in this snapshot', 'Added to ATT&CK after the snapshot'),
  },
  {
    prefix: 'claimed',
    title: 'Claimed coverage',
    kind: 'gradient',
    parameter: 'claimedLayer',
    description:
      'What imported Navigator layers claim (all of them, or one): the highest normalised score, or the layer’s colour',
    legend: [],
    cell: (r) => {
      if (!r.claim_count) return empty('Not claimed');
      const claims = `${r.claim_count} claim${r.claim_count === 1 ? '' : 's'}`;
      if (r.claim_score === null)
        return {
          value: null,
          category: null,
          label: 'Claimed (no score)',
          color: r.claim_color ?? '#b3b3b3',
          detail: claims,
        };
      const score = Number(r.claim_score);
      return {
        value: score,
        category: null,
        label: `Claimed ${score.toFixed(1)}`,
        color: r.claim_color ?? gradientColor(score, SCORE_GRADIENT),
        detail: `${claims}, highest normalised score ${score.toFixed(1)}`,
      };
    },
  },
  {
    prefix: 'claimed-vs-validated',
    title: 'Claimed vs validated',
    kind: 'categorical',
    parameter: 'claimedLayer',
    description:
      'Claims against proof: claimed and validated, claimed without validation (an evidence gap), validated but not claimed',
    legend: CLAIM_LEGEND,
    cell: (r) => {
      const claimed = (r.claim_count ?? 0) > 0;
      const validated = r.status === 'validated';
      const detail = `${claimed ? `${r.claim_count} claim${r.claim_count === 1 ? '' : 's'}` : 'no claim'} · ${statusWords(r.status)}`;
      if (claimed && validated) return categorical(CLAIM_LEGEND, 'both', detail);
      if (claimed) return categorical(CLAIM_LEGEND, 'evidence_gap', detail);
      if (validated) return categorical(CLAIM_LEGEND, 'unclaimed', detail);
      return empty('Neither claimed nor validated', detail);
    },
  },
];

export interface ParsedLayer {
  provider: LayerProvider;
  /** The parts after the prefix (`actor:G0016` → ['G0016']). */
  args: string[];
  name: string;
}

export class UnknownLayerError extends Error {}

/** `actor:G0016` → the actor provider with ['G0016']; an unknown name or a missing argument throws. */
export function parseLayer(name: string): ParsedLayer {
  const [prefix = '', ...args] = name.split(':');
  const provider = LAYERS.find((l) => l.prefix === prefix);
  if (!provider)
    throw new UnknownLayerError(
      `unknown layer "${prefix}"; one of ${LAYERS.map((l) => l.prefix + (l.parameter === 'none' ? '' : ':…')).join(', ')}`,
    );
  const wanted = {
    none: [0, 0],
    actor: [1, 1],
    framework: [1, 2],
    snapshots: [2, 2],
    snapshot: [1, 1],
    claimedLayer: [0, 1],
  }[provider.parameter];
  if (
    args.length < (wanted[0] as number) ||
    args.length > (wanted[1] as number) ||
    args.some((a) => a === '')
  )
    throw new UnknownLayerError(
      {
        none: `the ${prefix} layer takes no argument`,
        actor: 'the actor layer is actor:<id or ATT&CK id>, e.g. actor:G0016',
        framework:
          'the compliance layer is compliance:<framework>[:<control>], e.g. compliance:nist-800-53-r5:AC-2',
        snapshots: 'the snapshot-delta layer is snapshot-delta:<snapshot id|now>:<snapshot id|now>',
        snapshot: 'the snapshot layer is snapshot:<snapshot id>',
        claimedLayer: `the ${prefix} layer is ${prefix} (every imported layer) or ${prefix}:<layer id>`,
      }[provider.parameter],
    );
  return { provider, args, name: [prefix, ...args].join(':') };
}

export function layerInfo(p: ParsedLayer, title: string): HeatmapLayerInfo {
  return {
    name: p.name,
    title,
    description: p.provider.description,
    kind: p.provider.kind,
    legend: p.provider.legend,
    gradient:
      p.provider.kind === 'gradient' ? { colors: [...SCORE_GRADIENT], minValue: 0, maxValue: 100 } : null,
  };
}
