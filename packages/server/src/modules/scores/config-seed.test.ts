import { ScoringConfigValues } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { loadConfig, SCORING_GRACE_DAYS } from '../../infra/config';
import { seedScoringConfig } from './config-seed';
import { DEFAULT_SCORING_CONFIG } from './model';

describe('the first scoring configuration', () => {
  it('is the built-in default when env sets nothing (env and the model agree on the defaults)', () => {
    const seed = seedScoringConfig(loadConfig({}).scoring);
    expect(seed.values).toEqual(DEFAULT_SCORING_CONFIG);
    expect(SCORING_GRACE_DAYS).toBe(DEFAULT_SCORING_CONFIG.graceDays);
    expect(new Set(Object.values(seed.sources))).toEqual(new Set(['default']));
  });

  it('takes what env set and marks it as from env, the rest as default', () => {
    const seed = seedScoringConfig(
      loadConfig({ SCORING_WEIGHT_D3FEND: '0', STALE_THRESHOLD_DAYS: '200', SCORING_D3FEND_MODE: 'catalog' })
        .scoring,
    );
    expect(seed.values).toMatchObject({
      weights: { tests: 40, rules: 20, d3fend: 0, freshness: 15, platform: 10 },
      staleDays: 200,
      d3fendMode: 'catalog',
      graceDays: 30,
    });
    expect(Object.entries(seed.sources).filter(([, source]) => source === 'env')).toEqual([
      ['weights.d3fend', 'env'],
      ['staleDays', 'env'],
      ['d3fendMode', 'env'],
    ]);
    // What env may seed, the API's validation accepts.
    expect(ScoringConfigValues.safeParse(seed.values).success).toBe(true);
  });
});
