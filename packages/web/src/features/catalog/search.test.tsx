import { describe, expect, it } from 'vitest';
import { parseDefensesSearch } from '../defenses/search';
import { parseRulesSearch, parseTemplatesSearch } from './search';

describe('list filters in the URL', () => {
  it("reads what the router's parser hands over (booleans and numbers included)", () => {
    expect(
      parseTemplatesSearch({ q: 4624, active: true, technique: 't1059.001', page: 3, platform: ' windows ' }),
    ).toEqual({ q: '4624', active: 'true', technique: 'T1059.001', page: 3, platform: 'windows' });
  });

  it('drops empty, unknown and out-of-range values instead of failing the page', () => {
    expect(parseTemplatesSearch({ q: '  ', active: 'maybe', page: 1, tactic: null, extra: 'x' })).toEqual({});
    expect(parseRulesSearch({ deployed: 'false', page: -2, technique: 'not-an-id' })).toEqual({
      deployed: 'false',
      technique: 'not-an-id',
    });
    expect(parseDefensesSearch({ implementation: 'unset', tactic: 'Harden' })).toEqual({
      implementation: 'unset',
      tactic: 'Harden',
    });
    expect(parseDefensesSearch({ implementation: 'maybe' })).toEqual({});
  });
});
