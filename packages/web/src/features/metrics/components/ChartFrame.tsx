import type { ReactNode } from 'react';
import type { ChartTable } from '../format';
import { CsvLink, NumbersTable } from './NumbersTable';

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
          <NumbersTable table={table} caption={caption} testId={`${name}-table`} className="mt-2" />
        </details>
        <CsvLink table={table} filename={filename} caption={caption} testId={`${name}-csv`} />
      </div>
    </div>
  );
}
