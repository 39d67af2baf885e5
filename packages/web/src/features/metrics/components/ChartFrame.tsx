import type { ReactNode } from 'react';
import { secondaryButton } from '../../../components/buttons';
import { csvHref } from '../../../components/csv';
import { type ChartTable, NONE, tableCsv } from '../format';

/**
 * A chart with its accessible form: the same numbers as a table under a disclosure (open when
 * printed) and as a CSV download. The chart itself is decoration for screen readers.
 */
export function ChartFrame({
  name,
  caption,
  table,
  filename,
  children,
}: {
  /** Names the test ids: `${name}-chart`, `${name}-table`, `${name}-csv`. */
  name: string;
  caption: string;
  table: ChartTable;
  filename: string;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-2">
      <div data-testid={`${name}-chart`} aria-hidden="true">
        {children}
      </div>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <details className="min-w-0 flex-1 text-sm">
          <summary className="cursor-pointer text-slate-600">Show as a table</summary>
          <table data-testid={`${name}-table`} className="mt-2 w-full text-left text-xs">
            <caption className="sr-only">{caption}</caption>
            <thead className="text-slate-600">
              <tr>
                {table.header.map((h, i) => (
                  <th key={h} className={`py-1 pr-2 font-medium ${i > 0 ? 'text-right' : ''}`}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.body.map((row) => (
                <tr key={String(row[0])} className="border-t border-slate-100">
                  {row.map((value, i) =>
                    i === 0 ? (
                      <th key={table.header[i]} scope="row" className="py-1 pr-2 font-normal">
                        {value}
                      </th>
                    ) : (
                      <td key={table.header[i]} className="py-1 pr-2 text-right tabular-nums">
                        {value === '' ? NONE : value}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </details>
        <a
          data-testid={`${name}-csv`}
          href={csvHref(tableCsv(table))}
          download={filename}
          className={`no-print ${secondaryButton}`}
        >
          Download CSV<span className="sr-only"> of the {caption.toLowerCase()}</span>
        </a>
      </div>
    </div>
  );
}
