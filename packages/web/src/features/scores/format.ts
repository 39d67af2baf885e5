import type {
  Figure,
  RollupFunction,
  ScoreBreakdown,
  ScoreComponent,
  ScoringConfigSource,
  TacticScoreSummary,
} from '@aegis/contracts';
import { toCsv } from '../../components/csv';

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

/** The tactic scores exactly as the chart and its table show them, as CSV ("—" stays empty). */
export function tacticScoresCsv(tactics: readonly TacticScoreSummary[]): string {
  return toCsv([
    ['Tactic', 'ATT&CK id', 'Techniques in scope', 'Score', 'Threat-weighted score'],
    ...tactics.map((t) => [
      t.name,
      t.attackId ?? '',
      String(t.techniqueCount),
      t.score.display === null ? '' : formatScore(t.score),
      t.threatScore.display === null ? '' : formatScore(t.threatScore),
    ]),
  ]);
}
