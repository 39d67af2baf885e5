import type {
  Figure,
  RollupFunction,
  ScoreBreakdown,
  ScoreComponent,
  ScoringConfigSource,
  TacticScoreSummary,
} from '@aegis/contracts';

/** The five components in the order the breakdown lists them, with the names people read. */
export const COMPONENTS: readonly { key: ScoreComponent; label: string }[] = [
  { key: 'tests', label: 'Validated tests' },
  { key: 'rules', label: 'Detection rules' },
  { key: 'd3fend', label: 'D3FEND countermeasures' },
  { key: 'freshness', label: 'Freshness' },
  { key: 'platform', label: 'Platform diversity' },
];

/** A score as shown everywhere: its display value with one decimal, "—" when it is undefined. */
export function formatScore(figure: Figure | null | undefined): string {
  const n = figure?.display;
  return n === null || n === undefined ? '—' : n.toFixed(1);
}

/** A component value c ∈ [0, 1] (or any ratio) to three decimals, "—" for null. */
export function formatValue(value: number | null | undefined, digits = 3): string {
  return value === null || value === undefined ? '—' : value.toFixed(digits);
}

/** A number as short as it reads exactly (weights, saturations, counts: 3, 0.6, 128.7). */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(3)));
}

/** Why a component does not apply to this technique (and so leaves the denominator); null if it applies. */
export function notApplicableReason(name: ScoreComponent, breakdown: ScoreBreakdown): string | null {
  const part = breakdown[name];
  if (part.applicable) return null;
  if (name === 'd3fend') {
    if (breakdown.d3fend.notAssessed) return 'no D3FEND inventory yet';
    if (breakdown.d3fend.mapped === 0) return 'no D3FEND mapping';
  }
  if (name === 'platform' && breakdown.platform.relevant.length === 0)
    return 'none of its platforms is in the organisation’s scope';
  return 'does not apply';
}

const ROLLUP_WORDS: Record<RollupFunction, string> = {
  average: 'average',
  min: 'lowest',
  max: 'highest',
  sum: 'sum',
};

/** "average of itself and its 5 sub-techniques" (the parent's aggregate, as configured). */
export function rollupPhrase(rollup: RollupFunction, subtechniques: number): string {
  const subs = subtechniques === 1 ? '1 sub-technique' : `${subtechniques} sub-techniques`;
  return `${ROLLUP_WORDS[rollup]} of itself and its ${subs}`;
}

export const SOURCE_LABELS: Record<ScoringConfigSource, string> = {
  default: 'default',
  env: 'env',
  api: 'API',
};

const csvCell = (value: string | number): string => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The tactic scores exactly as the chart and its table show them, as CSV ("—" stays empty). */
export function tacticScoresCsv(tactics: readonly TacticScoreSummary[]): string {
  const lines = [['Tactic', 'ATT&CK id', 'Techniques in scope', 'Score', 'Threat-weighted score']];
  for (const t of tactics)
    lines.push([
      t.name,
      t.attackId ?? '',
      String(t.techniqueCount),
      t.score.display === null ? '' : formatScore(t.score),
      t.threatScore.display === null ? '' : formatScore(t.threatScore),
    ]);
  return `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** A `data:` address for a CSV download link (no script, no object URL to free). */
export const csvHref = (csv: string): string => `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`;
