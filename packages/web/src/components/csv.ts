/**
 * CSV as the app's "Download CSV" links write it: RFC 4180 quoting, CRLF lines, and a guard against
 * formula injection (a text cell starting with `=`, `+`, `-`, `@`, a tab or a CR is prefixed with `'`
 * so a spreadsheet shows it instead of running it). Numbers are written as they are, negative ones too.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !/^-?\d+(\.\d+)?$/.test(text))
    text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows (the first one the header) as one CSV text. */
export function toCsv(rows: readonly (readonly (string | number)[])[]): string {
  return `${rows.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** A `data:` address for a CSV download link (no script, no object URL to free). */
export const csvHref = (csv: string): string => `data:text/csv;charset=utf-8,${encodeURIComponent(csv)}`;
