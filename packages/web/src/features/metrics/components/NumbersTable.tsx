import { secondaryButton } from '../../../components/buttons';
import { csvHref } from '../../../components/csv';
import { type ChartTable, NONE, tableCsv } from '../format';

/**
 * A `ChartTable` as a table: the first column names each row, the others are numbers (an empty cell
 * shows "—"). A row resting on a low sample is greyed and says so.
 */
export function NumbersTable({
  table,
  caption,
  testId,
  className = '',
  size = 'text-xs',
}: {
  table: ChartTable;
  caption: string;
  testId: string;
  className?: string;
  size?: 'text-xs' | 'text-sm';
}) {
  // Numbers are right-aligned; a column of words (a role) reads from the left.
  const numeric = table.header.map(
    (_, i) =>
      i > 0 && table.body.every((row) => typeof row[i] === 'number' || /^-?[\d.]*$/.test(String(row[i]))),
  );
  return (
    <table data-testid={testId} className={`w-full text-left ${size} ${className}`}>
      <caption className="sr-only">{caption}</caption>
      <thead className="text-slate-600">
        <tr>
          {table.header.map((h, i) => (
            <th key={h} className={`py-1 pr-2 font-medium ${numeric[i] ? 'text-right' : ''}`}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {table.body.map((row, r) => {
          const low = table.lowSample?.[r] ?? false;
          return (
            <tr key={String(row[0])} className={`border-t border-slate-100 ${low ? 'text-slate-500' : ''}`}>
              {row.map((value, i) =>
                i === 0 ? (
                  <th
                    key={table.header[i]}
                    scope="row"
                    className="whitespace-nowrap py-1 pr-2 font-normal print:whitespace-normal"
                  >
                    {value}
                    {low && (
                      <span
                        data-testid="low-sample"
                        className="ml-2 whitespace-nowrap rounded bg-slate-200 px-1 py-0.5 text-[0.7rem] font-medium text-slate-700"
                      >
                        low sample
                      </span>
                    )}
                  </th>
                ) : (
                  <td
                    key={table.header[i]}
                    className={`py-1 pr-2 ${numeric[i] ? 'text-right tabular-nums' : 'whitespace-nowrap print:whitespace-normal'}`}
                  >
                    {value === '' ? NONE : value}
                  </td>
                ),
              )}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** "Download CSV" of a table's numbers, as they are (the CSV leaves an empty cell empty). */
export function CsvLink({
  table,
  filename,
  caption,
  testId,
}: {
  table: ChartTable;
  filename: string;
  caption: string;
  testId: string;
}) {
  return (
    <a
      data-testid={testId}
      href={csvHref(tableCsv(table))}
      download={filename}
      className={`no-print shrink-0 ${secondaryButton}`}
    >
      Download CSV<span className="sr-only"> of the {caption.toLowerCase()}</span>
    </a>
  );
}
