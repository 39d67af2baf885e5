import { z } from 'zod';
import { AttackRef, CoverageStatus } from './attack';
import { PageQuery } from './envelopes';
import { Outcome, UserRef } from './test-cases';

/**
 * Scores 0–100 (analysis spec §1): the scoring configuration, and each score with the inputs a
 * reader needs to recompute it by hand. Every score carries the configuration version it used and
 * when it was computed (§0.7); every score is a figure: its raw value and its display value.
 */

const when = z.iso.datetime();

export const SCORE_COMPONENTS = ['tests', 'rules', 'd3fend', 'freshness', 'platform'] as const;
export const ScoreComponent = z.enum(SCORE_COMPONENTS);
export type ScoreComponent = z.infer<typeof ScoreComponent>;
export const RollupFunction = z.enum(['average', 'min', 'max', 'sum']);
export type RollupFunction = z.infer<typeof RollupFunction>;
export const D3fendMode = z.enum(['inventory', 'catalog']);
export type D3fendMode = z.infer<typeof D3fendMode>;
/** How techniques weigh in a tactic or the organisation: equally, or by 1 + the actors using them. */
export const ScoreWeighting = z.enum(['equal', 'threat']);
export type ScoreWeighting = z.infer<typeof ScoreWeighting>;

/** A number as analyses return it: raw (double) and rounded to one decimal; null when undefined (§0.8). */
export const Figure = z.object({ value: z.number().nullable(), display: z.number().nullable() });
export type Figure = z.infer<typeof Figure>;

const stamp = { configVersion: z.number().int().min(1), computedAt: when };

// ------------------------------------------------------------------------------------- configuration

const weight = (component: ScoreComponent) =>
  z
    .number({ error: `the ${component} weight must be a whole number from 0 to 100` })
    .int(`the ${component} weight must be a whole number from 0 to 100`)
    .min(0, `the ${component} weight must be a whole number from 0 to 100`)
    .max(100, `the ${component} weight must be a whole number from 0 to 100`);

const saturation = (what: string) =>
  z
    .number({ error: `${what} must be a number above 0` })
    .positive(`${what} must be a number above 0`)
    .max(10_000, `${what} must be at most 10000`);

const outcomeValue = (outcome: Outcome) =>
  z
    .number({ error: `the value of ${outcome} must be a number from 0 to 1` })
    .min(0, `the value of ${outcome} must be a number from 0 to 1`)
    .max(1, `the value of ${outcome} must be a number from 0 to 1`);

const statusKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'expected a lower-case name (letters, digits, . _ -)');
const statusWeights = z
  .record(
    statusKey,
    z.number().min(0, 'a status weight is from 0 to 1').max(1, 'a status weight is from 0 to 1'),
  )
  .refine((r) => Object.keys(r).length <= 32, 'at most 32 statuses per source');

export const MAX_STALE_DAYS = 3650;

/**
 * The scoring configuration (`PUT /api/v1/scores/config` replaces it whole). Weights need not sum
 * to 100: the score renormalises (the web page warns when they do not).
 */
export const ScoringConfigValues = z
  .object({
    weights: z
      .object({
        tests: weight('tests'),
        rules: weight('rules'),
        d3fend: weight('d3fend'),
        freshness: weight('freshness'),
        platform: weight('platform'),
      })
      .refine((w) => Object.values(w).some((x) => x > 0), 'at least one weight must be above 0'),
    /** The value of each blue outcome, 0–1, in the outcome order (prevented the highest). */
    outcomeValues: z
      .object({
        prevented: outcomeValue('prevented'),
        detected: outcomeValue('detected'),
        logged: outcomeValue('logged'),
        not_detected: outcomeValue('not_detected'),
      })
      .refine(
        (v) => v.prevented >= v.detected && v.detected >= v.logged && v.logged >= v.not_detected,
        'outcome values must not rise from prevented to detected, logged, not_detected',
      ),
    ruleDeployedSat: saturation('ruleDeployedSat'),
    ruleCatalogSat: saturation('ruleCatalogSat'),
    d3fendSat: saturation('d3fendSat'),
    graceDays: z
      .number({ error: 'graceDays must be a whole number of days' })
      .int('graceDays must be a whole number of days')
      .min(0, 'graceDays must be 0 or more'),
    staleDays: z
      .number({ error: 'staleDays must be a whole number of days' })
      .int('staleDays must be a whole number of days')
      .min(1, 'staleDays must be at least 1')
      .max(MAX_STALE_DAYS, `staleDays must be at most ${MAX_STALE_DAYS}`),
    d3fendMode: D3fendMode,
    rollup: RollupFunction,
    actorIncludeSoftware: z.boolean(),
    /** Credit of a linked catalog rule that is not deployed, by source then status (0–1). */
    ruleStatusWeights: z
      .record(statusKey, statusWeights)
      .refine((r) => Object.keys(r).length <= 32, 'at most 32 sources'),
  })
  .refine((c) => c.graceDays < c.staleDays, {
    path: ['graceDays'],
    message: 'graceDays must be less than staleDays (freshness falls from 1 at graceDays to 0 at staleDays)',
  });
export type ScoringConfigValues = z.infer<typeof ScoringConfigValues>;
export const UpdateScoringConfig = ScoringConfigValues;
export type UpdateScoringConfig = ScoringConfigValues;

/** Where a configuration value came from: the built-in default, an env variable at first start, the API. */
export const ScoringConfigSource = z.enum(['default', 'env', 'api']);
export type ScoringConfigSource = z.infer<typeof ScoringConfigSource>;

/** The configuration's values one by one, as the config page shows where each came from. */
export const SCORING_CONFIG_FIELDS = [
  'weights.tests',
  'weights.rules',
  'weights.d3fend',
  'weights.freshness',
  'weights.platform',
  'outcomeValues',
  'ruleDeployedSat',
  'ruleCatalogSat',
  'd3fendSat',
  'graceDays',
  'staleDays',
  'd3fendMode',
  'rollup',
  'actorIncludeSoftware',
  'ruleStatusWeights',
] as const;
export const ScoringConfigField = z.enum(SCORING_CONFIG_FIELDS);
export type ScoringConfigField = z.infer<typeof ScoringConfigField>;

/** `GET /api/v1/scores/config`: the current version, its values and the source of each. */
export const ScoringConfigRecord = z.object({
  version: z.number().int().min(1),
  values: ScoringConfigValues,
  sources: z.object(
    Object.fromEntries(SCORING_CONFIG_FIELDS.map((f) => [f, ScoringConfigSource])) as Record<
      ScoringConfigField,
      typeof ScoringConfigSource
    >,
  ),
  updatedAt: when,
  /** Null: seeded at start from env and defaults. */
  updatedBy: UserRef.nullable(),
});
export type ScoringConfigRecord = z.infer<typeof ScoringConfigRecord>;

// ------------------------------------------------------------------------------------- technique scores

const componentBase = {
  /** c_i in [0, 1]; null when the component does not apply (its weight is then left out). */
  value: z.number().nullable(),
  weight: z.number(),
  applicable: z.boolean(),
  /** Its share of the own score: 100 · weight · value / applicableWeight (null when not applicable). */
  points: Figure,
};

export const CountedResult = z.object({
  /** The test's id. */
  id: z.uuid(),
  title: z.string(),
  procedureKey: z.string(),
  /** As the red side recorded it, and as ATT&CK names it (null: no ATT&CK platform). */
  platform: z.string().nullable(),
  attackPlatform: z.string().nullable(),
  outcome: Outcome.nullable(),
  value: z.number(),
  executionStartedAt: when.nullable(),
  validatedAt: when.nullable(),
});
export type CountedResult = z.infer<typeof CountedResult>;

export const ScoreBreakdown = z.object({
  tests: z.object({ ...componentBase, results: z.array(CountedResult) }),
  rules: z.object({
    ...componentBase,
    /** D: deployed rules (or fired in a validated test). */
    deployed: z.number(),
    /** C: the other rules, each weighed by its status. */
    catalog: z.number(),
    deployedSat: z.number(),
    catalogSat: z.number(),
    groups: z.array(
      z.object({
        source: z.string(),
        status: z.string().nullable(),
        deployed: z.boolean(),
        count: z.number().int(),
        /** Status weight; null for deployed rules (they count in D whatever their status). */
        weight: z.number().nullable(),
      }),
    ),
  }),
  d3fend: z.object({
    ...componentBase,
    mode: D3fendMode,
    mapped: z.number().int(),
    implemented: z.number().int(),
    partial: z.number().int(),
    saturation: z.number(),
    /** Inventory mode and the inventory is empty: D3FEND is left out. */
    notAssessed: z.boolean(),
  }),
  freshness: z.object({
    ...componentBase,
    /** Days (fractional) since the newest successful execution; null when none succeeded. */
    ageDays: z.number().nullable(),
    newestSuccessAt: when.nullable(),
    newestSuccessId: z.uuid().nullable(),
    graceDays: z.number().int(),
    staleDays: z.number().int(),
  }),
  platform: z.object({
    ...componentBase,
    /** RP: the technique's platforms in the organisation's scope; CP: those a successful test covered. */
    relevant: z.array(z.string()),
    covered: z.array(z.string()),
  }),
});
export type ScoreBreakdown = z.infer<typeof ScoreBreakdown>;

export const ScoreWarning = z.object({
  code: z.enum(['other_technique', 'platform_outside_relevant', 'platform_unknown', 'no_applicable_weight']),
  message: z.string(),
  testId: z.uuid().optional(),
  platform: z.string().nullable().optional(),
});
export type ScoreWarning = z.infer<typeof ScoreWarning>;

export const TechniqueScoreSummary = AttackRef.extend({
  isSubtechnique: z.boolean(),
  parent: AttackRef.nullable(),
  tactics: z.array(z.string()),
  platforms: z.array(z.string()),
  coverageStatus: CoverageStatus,
  ownScore: Figure,
  /** Over the technique and its in-scope sub-techniques; the own score for a technique without any. */
  aggregateScore: Figure,
  ...stamp,
});
export type TechniqueScoreSummary = z.infer<typeof TechniqueScoreSummary>;

export const TechniqueScore = TechniqueScoreSummary.extend({
  /** Σ of the weights of the applicable components: the denominator of the own score. */
  applicableWeight: z.number(),
  components: ScoreBreakdown,
  warnings: z.array(ScoreWarning),
  rollup: RollupFunction,
  /** The in-scope sub-techniques the aggregate is taken over (empty for a sub-technique). */
  subtechniques: z.array(AttackRef.extend({ ownScore: Figure })),
});
export type TechniqueScore = z.infer<typeof TechniqueScore>;

export const techniqueScoreSortFields = ['attackId', 'name', 'ownScore', 'aggregateScore'] as const;
const scoreBound = z.coerce.number().min(0).max(100);
export const ListTechniqueScoresQuery = PageQuery.extend({
  domain: z.enum(['enterprise-attack', 'mobile-attack', 'ics-attack']).default('enterprise-attack'),
  /** Tactic shortname (`defense-evasion`) or ATT&CK id (`TA0005`). */
  tactic: z.string().max(64).optional(),
  platform: z.string().max(64).optional(),
  status: CoverageStatus.optional(),
  /** Bounds on the own score, inclusive. */
  minScore: scoreBound.optional(),
  maxScore: scoreBound.optional(),
  subtechniques: z.enum(['include', 'exclude', 'only']).default('include'),
  sort: z.enum(techniqueScoreSortFields).default('attackId'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ListTechniqueScoresQuery = z.infer<typeof ListTechniqueScoresQuery>;
export const TechniqueScoreParams = z.object({ attackId: z.string().min(1).max(64) });

// ------------------------------------------------------------------------------------- roll-ups

export const TacticScoreSummary = AttackRef.extend({
  shortname: z.string().nullable(),
  /** Equal weights, and ω = 1 + actors using the technique; null when no technique is in scope. */
  score: Figure,
  threatScore: Figure,
  /** In-scope top-level techniques. */
  techniqueCount: z.number().int(),
  ...stamp,
});
export type TacticScoreSummary = z.infer<typeof TacticScoreSummary>;

export const TacticScore = TacticScoreSummary.extend({
  members: z.array(
    AttackRef.extend({
      coverageStatus: CoverageStatus,
      aggregateScore: Figure,
      /** Distinct tracked intrusion sets using it or one of its sub-techniques; ω = 1 + nActors. */
      nActors: z.number().int(),
    }),
  ),
});
export type TacticScore = z.infer<typeof TacticScore>;

export const ActorScoreSummary = AttackRef.extend({
  /** Mean score of the in-scope techniques it uses; null when it uses none. */
  score: Figure,
  /** Share of those techniques validated, in percent; null when it uses none. */
  coveragePercent: Figure,
  techniqueCount: z.number().int(),
  validatedCount: z.number().int(),
  ...stamp,
});
export type ActorScoreSummary = z.infer<typeof ActorScoreSummary>;

export const ActorScore = ActorScoreSummary.extend({
  /** Whether techniques used through the actor's software count (`actorIncludeSoftware`). */
  includesSoftware: z.boolean(),
  techniques: z.array(
    AttackRef.extend({
      isSubtechnique: z.boolean(),
      coverageStatus: CoverageStatus,
      /** The own score for a sub-technique, the aggregate for a parent. */
      score: Figure,
      /** Used directly, or only through software. */
      via: z.enum(['direct', 'software']),
    }),
  ),
  /** Techniques it uses outside the organisation's platform scope: left out of the score. */
  outOfScope: z.array(AttackRef),
});
export type ActorScore = z.infer<typeof ActorScore>;
export const ActorScoreParams = z.object({ id: z.string().min(1).max(64) });

/** The headline number (equal weights) and the threat-weighted one, over every in-scope parent. */
export const OrganizationScore = z.object({
  score: Figure,
  threatScore: Figure,
  techniqueCount: z.number().int(),
  tactics: z.array(TacticScoreSummary),
  ...stamp,
});
export type OrganizationScore = z.infer<typeof OrganizationScore>;

// ------------------------------------------------------------------------------------- route inputs

export const ScoreDomainQuery = z.object({
  domain: z.enum(['enterprise-attack', 'mobile-attack', 'ics-attack']).default('enterprise-attack'),
});
export type ScoreDomainQuery = z.infer<typeof ScoreDomainQuery>;
export const TacticScoreParams = z.object({ shortname: z.string().min(1).max(64) });
export const ListActorScoresQuery = PageQuery.extend({
  q: z.string().trim().max(200).optional(),
  domain: z.enum(['enterprise-attack', 'mobile-attack', 'ics-attack']).default('enterprise-attack'),
});
export type ListActorScoresQuery = z.infer<typeof ListActorScoresQuery>;

/** `POST /scores/recompute`: the queued job (null when one was already queued, or it ran at once). */
export const RecomputeAccepted = z.object({ jobId: z.string().nullable(), queued: z.boolean() });
export type RecomputeAccepted = z.infer<typeof RecomputeAccepted>;
