import { describe, expect, it } from 'vitest';
import { csvHref, toCsv } from './csv';

describe('toCsv', () => {
  it('quotes commas, quotes and line breaks, and ends every line with CRLF', () => {
    expect(
      toCsv([
        ['a', 'b'],
        ['x, y', 'say "hi"'],
        ['two\nlines', 3],
      ]),
    ).toBe('a,b\r\n"x, y","say ""hi"""\r\n"two\nlines",3\r\n');
  });

  it.each(['=SUM(A1)', '+1+1', '-cmd', '@import', '\tx', '\rx'])(
    'keeps a spreadsheet from running %j as a formula',
    (text) => {
      expect(toCsv([[text]]).startsWith(`'`) || toCsv([[text]]).startsWith(`"'`)).toBe(true);
    },
  );

  it('writes numbers as they are, negative ones and negative numbers as text too', () => {
    expect(toCsv([[-4, '-4.5', '', 0]])).toBe('-4,-4.5,,0\r\n');
  });

  it('makes a data address the browser downloads', () => {
    expect(csvHref('a,b\r\n')).toBe('data:text/csv;charset=utf-8,a%2Cb%0D%0A');
  });
});
