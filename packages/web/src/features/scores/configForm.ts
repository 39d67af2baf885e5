import type {
  D3fendMode,
  Outcome,
  RollupFunction,
  ScoreComponent,
  ScoringConfigValues,
} from '@aegis/contracts';

/** The scoring configuration as the form edits it: every number as the text in its box. */
export interface ConfigForm {
  weights: Record<ScoreComponent, string>;
  outcomeValues: Record<Outcome, string>;
  ruleDeployedSat: string;
  ruleCatalogSat: string;
  d3fendSat: string;
  graceDays: string;
  staleDays: string;
  d3fendMode: D3fendMode;
  rollup: RollupFunction;
  actorIncludeSoftware: boolean;
  ruleStatusWeights: Record<string, Record<string, string>>;
}

const mapValues = <K extends string, A, B>(record: Record<K, A>, fn: (a: A) => B): Record<K, B> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v as A)])) as Record<K, B>;

export function formFromValues(values: ScoringConfigValues): ConfigForm {
  return {
    weights: mapValues(values.weights, String),
    outcomeValues: mapValues(values.outcomeValues, String),
    ruleDeployedSat: String(values.ruleDeployedSat),
    ruleCatalogSat: String(values.ruleCatalogSat),
    d3fendSat: String(values.d3fendSat),
    graceDays: String(values.graceDays),
    staleDays: String(values.staleDays),
    d3fendMode: values.d3fendMode,
    rollup: values.rollup,
    actorIncludeSoftware: values.actorIncludeSoftware,
    ruleStatusWeights: mapValues(values.ruleStatusWeights, (statuses) => mapValues(statuses, String)),
  };
}

/**
 * A box's number; a blank or unreadable box is NaN, which goes out as `null` so the server's answer
 * names that field (the server, not the page, owns the rules).
 */
export function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** The whole configuration to `PUT`, as typed. */
export function valuesFromForm(form: ConfigForm): ScoringConfigValues {
  return {
    weights: mapValues(form.weights, numberOf),
    outcomeValues: mapValues(form.outcomeValues, numberOf),
    ruleDeployedSat: numberOf(form.ruleDeployedSat),
    ruleCatalogSat: numberOf(form.ruleCatalogSat),
    d3fendSat: numberOf(form.d3fendSat),
    graceDays: numberOf(form.graceDays),
    staleDays: numberOf(form.staleDays),
    d3fendMode: form.d3fendMode,
    rollup: form.rollup,
    actorIncludeSoftware: form.actorIncludeSoftware,
    ruleStatusWeights: mapValues(form.ruleStatusWeights, (statuses) => mapValues(statuses, numberOf)),
  };
}

/** The live sum of the five weights; null while a box holds no number. */
export function weightSum(form: ConfigForm): number | null {
  const weights = Object.values(form.weights).map(numberOf);
  return weights.some((w) => !Number.isFinite(w)) ? null : weights.reduce((s, w) => s + w, 0);
}
