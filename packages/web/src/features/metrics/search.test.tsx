import { describe, expect, it } from 'vitest';
import { parseMetricsSearch } from './search';

describe('the metrics page’s URL', () => {
  it('keeps a known period and the filters, trimmed', () => {
    expect(
      parseMetricsSearch({ days: 365, tactic: 'credential-access', platform: ' Windows ', tool: 'EDR' }),
    ).toEqual({ days: 365, tactic: 'credential-access', platform: 'Windows', tool: 'EDR' });
  });

  it('drops what the API would refuse: an unknown period, a tactic that is not a shortname, empty values', () => {
    expect(parseMetricsSearch({ days: 7, tactic: 'Credential Access', platform: '', tool: '  ' })).toEqual(
      {},
    );
    expect(parseMetricsSearch({ tool: 'x'.repeat(300) }).tool).toHaveLength(100);
  });
});
