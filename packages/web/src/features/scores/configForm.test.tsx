import type { ScoringConfigValues } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { formFromValues, valuesFromForm, weightSum } from './configForm';

/** The seed's configuration (analysis spec §1.2). */
const seed: ScoringConfigValues = {
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
  ruleStatusWeights: {
    sigma: { stable: 1, test: 0.6, experimental: 0.3, deprecated: 0, unsupported: 0 },
    elastic: { production: 1, development: 0.3, deprecated: 0 },
  },
};

describe('the scoring configuration form', () => {
  it('gives back exactly the values it was filled from', () => {
    expect(valuesFromForm(formFromValues(seed))).toEqual(seed);
  });

  it('sums the weights live, and has no sum while a box is blank', () => {
    const form = formFromValues(seed);
    expect(weightSum(form)).toBe(100);
    expect(weightSum({ ...form, weights: { ...form.weights, tests: '100', rules: '0' } })).toBe(140);
    expect(weightSum({ ...form, weights: { ...form.weights, d3fend: ' ' } })).toBeNull();
  });

  it('sends a blank or unreadable box as null, so the server names that field', () => {
    const form = formFromValues(seed);
    const body = JSON.parse(
      JSON.stringify(
        valuesFromForm({
          ...form,
          weights: { ...form.weights, rules: '' },
          graceDays: 'soon',
          d3fendSat: '2.5',
        }),
      ),
    ) as Record<string, unknown> & { weights: Record<string, unknown> };
    expect(body.weights.rules).toBeNull();
    expect(body.graceDays).toBeNull();
    expect(body.d3fendSat).toBe(2.5);
    expect(body.weights.tests).toBe(40);
  });
});
