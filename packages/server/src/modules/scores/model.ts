/**
 * The scoring model of analysis spec §1, pure: a technique's own score 0–100 from five components
 * (validated tests, detection rules, D3FEND, freshness, platform diversity) with every input kept
 * in its breakdown (the roll-ups are in `rollup.ts`). No database, no clock: callers pass what they read and the instant they compute at.
 */
import {
  type D3fendMode,
  type RollupFunction,
  SCORE_COMPONENTS,
  type ScoreComponent,
} from '@aegis/contracts';
import {
  type AnalysisOutcome,
  currentResultSet,
  DEFAULT_OUTCOME_VALUES,
  ENTERPRISE_PLATFORMS,
  inScope,
  type PlatformScope,
  procedureKey,
  type ResultCandidate,
} from '../analysis';

// ── Configuration ─────────────────────────────────────────────────────────────────────────────────

export interface ScoringConfig {
  /** Relative weights (integers 0–100); only their ratios matter, the score renormalises. */
  weights: Readonly<Record<ScoreComponent, number>>;
  outcomeValues: Readonly<Record<AnalysisOutcome, number>>;
  /** Deployed rules that give full detection-rule credit. */
  ruleDeployedSat: number;
  /** Weighted catalog rules that give the catalog's half credit. */
  ruleCatalogSat: number;
  /** Implemented countermeasures (partial ones count half) that give full D3FEND credit. */
  d3fendSat: number;
  /** Evidence at most this old is fully fresh. */
  graceDays: number;
  /** Evidence this old is stale: no freshness credit (feature 9's threshold). */
  staleDays: number;
  d3fendMode: D3fendMode;
  /** How a parent's aggregate combines its own score and its sub-techniques'. */
  rollup: RollupFunction;
  /** Whether an actor's techniques include those of the software it uses. */
  actorIncludeSoftware: boolean;
  /** Credit of a linked rule that is not deployed, by source then status (lower case); missing is 0. */
  ruleStatusWeights: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** The seed's stale threshold (days). */
export const STALE_THRESHOLD_DAYS = 365;
/** `d3fendMode: catalog` saturates at this many mapped countermeasures (spec §1.2, fixed). */
export const D3FEND_CATALOG_SAT = 5;

export const DEFAULT_SCORING_CONFIG: Readonly<ScoringConfig> = Object.freeze({
  weights: Object.freeze({ tests: 40, rules: 20, d3fend: 15, freshness: 15, platform: 10 }),
  outcomeValues: DEFAULT_OUTCOME_VALUES,
  ruleDeployedSat: 3,
  ruleCatalogSat: 5,
  d3fendSat: 3,
  graceDays: 30,
  staleDays: STALE_THRESHOLD_DAYS,
  d3fendMode: 'inventory',
  rollup: 'average',
  actorIncludeSoftware: false,
  ruleStatusWeights: Object.freeze({
    sigma: Object.freeze({ stable: 1, test: 0.6, experimental: 0.3, deprecated: 0, unsupported: 0 }),
    elastic: Object.freeze({ production: 1, development: 0.3, deprecated: 0 }),
  }),
});

// ── Platforms ─────────────────────────────────────────────────────────────────────────────────────

/** Target-platform spellings of the test catalogs (Atomic Red Team, CALDERA, older ATT&CK) → ATT&CK 18. */
const TEST_PLATFORM_NAMES: Readonly<Record<string, string>> = {
  macos: 'macOS',
  darwin: 'macOS',
  iaas: 'IaaS',
  aws: 'IaaS',
  azure: 'IaaS',
  gcp: 'IaaS',
  'azure-ad': 'Identity Provider',
  'azure ad': 'Identity Provider',
  'office-365': 'Office Suite',
  'office 365': 'Office Suite',
  // The spec's mapping (§1.2); ATT&CK's own Google Workspace techniques moved to Office Suite in v16.
  'google-workspace': 'SaaS',
  'network-devices': 'Network Devices',
  network: 'Network Devices',
};

/**
 * The ATT&CK platform a test targeted, from any spelling (`windows`, `iaas:aws`, `azure-ad`,
 * `Windows`); null when there is none or it names no Enterprise platform.
 */
export function attackPlatformName(platform: string | null): string | null {
  const key = platform?.trim().toLowerCase();
  if (!key) return null;
  const attack = ENTERPRISE_PLATFORMS.find((p) => p.toLowerCase() === key);
  if (attack) return attack;
  if (key.startsWith('iaas:')) return 'IaaS';
  return TEST_PLATFORM_NAMES[key] ?? null;
}

// ── Inputs ────────────────────────────────────────────────────────────────────────────────────────

/** A test of the technique as the caller read it; `currentResultSet` is applied here. */
export interface ScoredResult extends ResultCandidate {
  techniqueId: string;
  /** The overall outcome (`overallOutcome`); a validated test always has one, null counts as 0. */
  outcome: AnalysisOutcome | null;
}

/** Rules linked directly to the technique, counted by `group by` (distinct rule ids). */
export interface RuleGroup {
  source: string;
  status: string | null;
  /** Deployed, or fired in a validated test of the technique (the caller decides). */
  deployed: boolean;
  count: number;
}

/** The D3FEND techniques mapped to the technique, and the inventory's status of them. */
export interface D3fendCounts {
  mapped: number;
  implemented: number;
  partial: number;
  /** Whether the inventory has any row at all (else c_D is null in inventory mode). */
  inventoryAssessed: boolean;
}

export interface TechniqueScoreInput {
  techniqueId: string;
  /** The technique's `x_mitre_platforms`. */
  platforms: readonly string[];
  results: readonly ScoredResult[];
  rules: readonly RuleGroup[];
  d3fend: D3fendCounts;
}

// ── Breakdown ─────────────────────────────────────────────────────────────────────────────────────

interface ComponentPart {
  /** c_i in [0, 1]; null when the component does not apply. */
  value: number | null;
  weight: number;
  applicable: boolean;
  /** Its share of the own score: 100 · w_i · c_i / Σ applicable w (null when not applicable). */
  points: number | null;
}

export interface CountedResult {
  id: string;
  procedureKey: string;
  platform: string | null;
  attackPlatform: string | null;
  outcome: AnalysisOutcome | null;
  value: number;
  executionStartedAt: string | null;
  validatedAt: string | null;
}

export interface ScoreBreakdown {
  tests: ComponentPart & { results: CountedResult[] };
  rules: ComponentPart & {
    /** D: deployed rules. */
    deployed: number;
    /** C: Σ status weight of the other rules. */
    catalog: number;
    deployedSat: number;
    catalogSat: number;
    /** Each group with its status weight (null for deployed ones: they count in D whatever their status). */
    groups: Array<RuleGroup & { weight: number | null }>;
  };
  d3fend: ComponentPart & {
    mode: D3fendMode;
    mapped: number;
    implemented: number;
    partial: number;
    saturation: number;
    /** Inventory mode with an empty inventory: the component is left out. */
    notAssessed: boolean;
  };
  freshness: ComponentPart & {
    /** Fractional days from the newest successful execution to `now`; null when none succeeded. */
    ageDays: number | null;
    newestSuccessAt: string | null;
    newestSuccessId: string | null;
    graceDays: number;
    staleDays: number;
  };
  platform: ComponentPart & { relevant: string[]; covered: string[] };
}

export type ScoreWarning =
  | { code: 'other_technique'; testId: string; message: string }
  | { code: 'platform_outside_relevant'; testId: string; platform: string; message: string }
  | { code: 'platform_unknown'; testId: string; platform: string | null; message: string }
  | { code: 'no_applicable_weight'; message: string };

export interface TechniqueScore {
  /** S_own in [0, 100], raw double. */
  own: number;
  components: ScoreBreakdown;
  /** Σ of the weights of the applicable components (the denominator). */
  applicableWeight: number;
  warnings: ScoreWarning[];
}

// ── Components ────────────────────────────────────────────────────────────────────────────────────

const DAY_MS = 86_400_000;
/** Inventory status values: implemented 1, partial 0.5. */
const PARTIAL_CREDIT = 0.5;

/**
 * c_F for an age in days: 1 up to the grace period, a straight line down to 0 at the stale
 * threshold, 0 from there on and when nothing succeeded.
 */
export function freshnessValue(ageDays: number | null, graceDays: number, staleDays: number): number {
  if (ageDays === null) return 0;
  if (ageDays <= graceDays) return 1;
  if (ageDays >= staleDays) return 0;
  return (staleDays - ageDays) / (staleDays - graceDays);
}

/** Status weight of a catalog rule: by source and status, case-insensitive; unknown ones are 0. */
export function ruleStatusWeight(config: ScoringConfig, source: string, status: string | null): number {
  if (status === null) return 0;
  return config.ruleStatusWeights[source.toLowerCase()]?.[status.toLowerCase()] ?? 0;
}

function rulesComponent(rules: readonly RuleGroup[], config: ScoringConfig) {
  let deployed = 0;
  let catalog = 0;
  const groups = rules.map((g) => {
    if (g.deployed) {
      deployed += g.count;
      return { ...g, weight: null };
    }
    const weight = ruleStatusWeight(config, g.source, g.status);
    catalog += g.count * weight;
    return { ...g, weight };
  });
  // Catalog content proves detection is possible, not present: at most half credit.
  const value = Math.max(
    Math.min(1, deployed / config.ruleDeployedSat),
    0.5 * Math.min(1, catalog / config.ruleCatalogSat),
  );
  return {
    value,
    deployed,
    catalog,
    deployedSat: config.ruleDeployedSat,
    catalogSat: config.ruleCatalogSat,
    groups,
  };
}

function d3fendComponent(d: D3fendCounts, config: ScoringConfig) {
  const catalogMode = config.d3fendMode === 'catalog';
  const notAssessed = !catalogMode && !d.inventoryAssessed;
  const saturation = catalogMode ? D3FEND_CATALOG_SAT : config.d3fendSat;
  const credit = catalogMode ? d.mapped : d.implemented + PARTIAL_CREDIT * d.partial;
  const value = d.mapped === 0 || notAssessed ? null : Math.min(1, credit / saturation);
  const { mapped, implemented, partial } = d;
  return { value, mode: config.d3fendMode, mapped, implemented, partial, saturation, notAssessed };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A technique's own score S_own (spec §1.2) and its breakdown. `now` is the instant of the
 * computation; `platformScope` the organisation's (null: every platform but PRE).
 *
 * Choices the spec leaves open:
 * - Ages are fractional days (milliseconds / 86,400,000), not calendar days, so freshness decays
 *   continuously and needs no time zone; an execution after `now` counts as age 0.
 * - c_T, c_R and c_F always apply (0 when there is nothing to count); only c_D and c_P can be null.
 * - When no applicable component has weight, S_own is 0 with a `no_applicable_weight` warning.
 * - Tests of another technique (a parent's, a sub-technique's) are left out with a warning.
 * - A validated test without an outcome (the workflow does not allow one) is worth 0.
 */
export function techniqueScore(
  input: TechniqueScoreInput,
  config: ScoringConfig,
  now: Date,
  platformScope: PlatformScope,
): TechniqueScore {
  const warnings: ScoreWarning[] = [];
  const ofTechnique = input.results.filter((r) => {
    if (r.techniqueId === input.techniqueId) return true;
    warnings.push({
      code: 'other_technique',
      testId: r.id,
      message: 'A test of another technique was left out: tests count only for their own technique.',
    });
    return false;
  });
  const outcomeValue = (o: AnalysisOutcome | null) => (o === null ? 0 : config.outcomeValues[o]);
  const cr = currentResultSet(ofTechnique);

  const results: CountedResult[] = cr.map((r) => ({
    id: r.id,
    procedureKey: procedureKey(r),
    platform: r.platform,
    attackPlatform: attackPlatformName(r.platform),
    outcome: r.outcome,
    value: outcomeValue(r.outcome),
    executionStartedAt: iso(r.executionStartedAt),
    validatedAt: iso(r.validatedAt),
  }));
  const tests = results.length === 0 ? 0 : results.reduce((s, r) => s + r.value, 0) / results.length;

  // Freshness: the newest execution that succeeded (a fresh failure earns nothing).
  let newest: { id: string; at: Date } | null = null;
  for (const r of cr) {
    if (outcomeValue(r.outcome) <= 0 || !r.executionStartedAt) continue;
    if (!newest || r.executionStartedAt > newest.at) newest = { id: r.id, at: r.executionStartedAt };
  }
  const ageDays = newest ? Math.max(0, (now.getTime() - newest.at.getTime()) / DAY_MS) : null;

  // Platform diversity over RP(t) = the technique's platforms in scope.
  const relevant = [...new Set(input.platforms.filter((p) => inScope([p], platformScope)))];
  const relevantKeys = new Map(relevant.map((p) => [p.toLowerCase(), p]));
  const covered = new Set<string>();
  for (const r of results) {
    if (!r.attackPlatform) {
      warnings.push({
        code: 'platform_unknown',
        testId: r.id,
        platform: r.platform,
        message: `Test platform ${r.platform === null ? '(none)' : `"${r.platform}"`} names no ATT&CK platform: it counts for the tests, not for platform diversity.`,
      });
      continue;
    }
    const name = relevantKeys.get(r.attackPlatform.toLowerCase());
    if (!name) {
      warnings.push({
        code: 'platform_outside_relevant',
        testId: r.id,
        platform: r.attackPlatform,
        message: `A test on ${r.attackPlatform}, a platform this technique does not list in scope: it counts for the tests, not for platform diversity.`,
      });
    } else if (r.value > 0) covered.add(name);
  }

  const rules = rulesComponent(input.rules, config);
  const d3fend = d3fendComponent(input.d3fend, config);
  const values: Record<ScoreComponent, number | null> = {
    tests,
    rules: rules.value,
    d3fend: d3fend.value,
    freshness: freshnessValue(ageDays, config.graceDays, config.staleDays),
    platform: relevant.length === 0 ? null : covered.size / relevant.length,
  };

  const { own: score, applicableWeight, part } = combine(values, config.weights);
  if (applicableWeight === 0)
    warnings.push({
      code: 'no_applicable_weight',
      message: 'No applicable component has a weight: the score is 0.',
    });

  return {
    own: score,
    applicableWeight,
    warnings,
    components: {
      tests: { ...part('tests'), results },
      rules: { ...rules, ...part('rules') },
      d3fend: { ...d3fend, ...part('d3fend') },
      freshness: {
        ...part('freshness'),
        ageDays,
        newestSuccessAt: iso(newest?.at ?? null),
        newestSuccessId: newest?.id ?? null,
        graceDays: config.graceDays,
        staleDays: config.staleDays,
      },
      platform: { ...part('platform'), relevant, covered: relevant.filter((p) => covered.has(p)) },
    },
  };
}

/** S_own = 100 · Σ_applicable w_i c_i / Σ_applicable w_i: null components leave, the rest renormalise. */
function combine(
  values: Record<ScoreComponent, number | null>,
  weights: Readonly<Record<ScoreComponent, number>>,
) {
  let applicableWeight = 0;
  let weighted = 0;
  for (const name of SCORE_COMPONENTS) {
    const v = values[name];
    if (v === null) continue;
    applicableWeight += weights[name];
    weighted += weights[name] * v;
  }
  const own = applicableWeight === 0 ? 0 : (100 * weighted) / applicableWeight;
  const part = (name: ScoreComponent): ComponentPart => {
    const v = values[name];
    const weight = weights[name];
    if (v === null) return { value: null, weight, applicable: false, points: null };
    return {
      value: v,
      weight,
      applicable: true,
      points: applicableWeight === 0 ? 0 : (100 * weight * v) / applicableWeight,
    };
  };
  return { own, applicableWeight, part };
}
