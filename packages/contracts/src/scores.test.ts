import { describe, expect, it } from 'vitest';
import { SCORING_CONFIG_FIELDS, ScoringConfigRecord, ScoringConfigValues } from './scores';

/** A configuration as an admin sends it (the spec's defaults). */
function buildConfig(over: Record<string, unknown> = {}) {
  return {
    weights: { tests: 40, rules: 20, d3fend: 15, freshness: 15, platform: 10 },
    outcomeValues: { prevented: 1, detected: 2 / 3, logged: 1 / 3, not_detected: 0 },
    ruleDeployedSat: 3,
    ruleCatalogSat: 5,
    d3fendSat: 3,
    graceDays: 30,
    staleDays: 365,
    d3fendMode: 'inventory',
    rollup: 'average',
    actorIncludeSoftware: false,
    ruleStatusWeights: { sigma: { stable: 1, test: 0.6 }, elastic: { production: 1 } },
    ...over,
  };
}

/** Each issue as `path: message`, as the API's validation_error names them. */
function issuesOf(body: unknown): string[] {
  const result = ScoringConfigValues.safeParse(body);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const weights = (w: Record<string, unknown>) => ({
  weights: { tests: 40, rules: 20, d3fend: 15, freshness: 15, platform: 10, ...w },
});

describe('the scoring configuration body', () => {
  it('accepts a valid configuration, and weights that do not sum to 100', () => {
    expect(issuesOf(buildConfig())).toEqual([]);
    expect(issuesOf(buildConfig(weights({ tests: 100, rules: 100 })))).toEqual([]);
    expect(issuesOf(buildConfig(weights({ tests: 0, rules: 0, d3fend: 0, freshness: 0 })))).toEqual([]);
  });

  it.each([
    ['negative', -5],
    ['non-integer', 12.5],
    ['above 100', 101],
    ['not a number', '40'],
  ])('refuses a %s weight, naming the field', (_name, value) => {
    expect(issuesOf(buildConfig(weights({ freshness: value })))).toEqual([
      'weights.freshness: the freshness weight must be a whole number from 0 to 100',
    ]);
  });

  it('refuses weights that are all zero, naming `weights`', () => {
    const zero = weights({ tests: 0, rules: 0, d3fend: 0, freshness: 0, platform: 0 });
    expect(issuesOf(buildConfig(zero))).toEqual(['weights: at least one weight must be above 0']);
  });

  it('lists every broken field at once', () => {
    expect(issuesOf(buildConfig({ ...weights({ tests: -1, rules: 1.5 }), d3fendSat: 0 }))).toEqual([
      'weights.tests: the tests weight must be a whole number from 0 to 100',
      'weights.rules: the rules weight must be a whole number from 0 to 100',
      'd3fendSat: d3fendSat must be a number above 0',
    ]);
  });

  it.each(['ruleDeployedSat', 'ruleCatalogSat', 'd3fendSat'])('refuses a %s of 0 or below', (field) => {
    expect(issuesOf(buildConfig({ [field]: -1 }))).toEqual([`${field}: ${field} must be a number above 0`]);
  });

  it('refuses a grace period as long as the stale threshold', () => {
    expect(issuesOf(buildConfig({ graceDays: 365 }))).toEqual([
      'graceDays: graceDays must be less than staleDays (freshness falls from 1 at graceDays to 0 at staleDays)',
    ]);
    expect(issuesOf(buildConfig({ graceDays: 364 }))).toEqual([]);
    expect(issuesOf(buildConfig({ staleDays: 0 }))).toContain('staleDays: staleDays must be at least 1');
  });

  it('refuses outcome values outside 0–1 or against the outcome order', () => {
    const values = (v: Record<string, number>) => ({
      outcomeValues: { prevented: 1, detected: 0.6, logged: 0.3, not_detected: 0, ...v },
    });
    expect(issuesOf(buildConfig(values({ prevented: 1.2 })))).toEqual([
      'outcomeValues.prevented: the value of prevented must be a number from 0 to 1',
    ]);
    expect(issuesOf(buildConfig(values({ logged: 0.9 })))).toEqual([
      'outcomeValues: outcome values must not rise from prevented to detected, logged, not_detected',
    ]);
  });

  it('refuses rule status weights outside 0–1 or under names that are not lower case', () => {
    expect(issuesOf(buildConfig({ ruleStatusWeights: { sigma: { stable: 2 } } }))).toEqual([
      'ruleStatusWeights.sigma.stable: a status weight is from 0 to 1',
    ]);
    expect(issuesOf(buildConfig({ ruleStatusWeights: { Sigma: { stable: 1 } } }))).toHaveLength(1);
  });
});

describe('the scoring configuration as read', () => {
  it('names the source of every value', () => {
    const record = {
      version: 3,
      values: buildConfig(),
      sources: Object.fromEntries(SCORING_CONFIG_FIELDS.map((f) => [f, 'default'])),
      updatedAt: '2026-03-01T12:00:00.000Z',
      updatedBy: null,
    };
    expect(ScoringConfigRecord.safeParse(record).success).toBe(true);
    const { staleDays: _, ...missing } = record.sources;
    expect(ScoringConfigRecord.safeParse({ ...record, sources: missing }).success).toBe(false);
    expect(
      ScoringConfigRecord.safeParse({ ...record, sources: { ...record.sources, staleDays: 'file' } }).success,
    ).toBe(false);
  });
});
