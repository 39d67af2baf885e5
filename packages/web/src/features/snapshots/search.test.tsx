import { describe, expect, it } from 'vitest';
import { parseComparisonSearch } from './search';

const ID = '0b6f2c4e-9a51-4c1e-8f3a-2d7e5b9c1a40';

describe('parseComparisonSearch', () => {
  it('keeps a comparison as the address carries it', () => {
    expect(
      parseComparisonSearch({
        from: ID,
        to: 'now',
        threshold: '2.5',
        all: 'true',
        show: 'regressed',
        page: '3',
      }),
    ).toEqual({ from: ID, to: 'now', threshold: 2.5, all: true, show: 'regressed', page: 3 });
  });

  it('takes values the router already parsed', () => {
    expect(parseComparisonSearch({ threshold: 0, all: true, page: 2 })).toEqual({
      threshold: 0,
      all: true,
      page: 2,
    });
  });

  it('drops what the API would refuse, so the page falls back to its defaults', () => {
    expect(
      parseComparisonSearch({
        from: 'latest',
        to: `${ID}x`,
        threshold: '101',
        all: 'yes',
        show: 'worse',
        page: '1',
      }),
    ).toEqual({});
    expect(parseComparisonSearch({ threshold: '' })).toEqual({});
    expect(parseComparisonSearch({ threshold: '-1', page: '2.5' })).toEqual({});
  });
});
