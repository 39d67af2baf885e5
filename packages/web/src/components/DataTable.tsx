import type { CSSProperties, ReactNode } from 'react';

export interface Column<T> {
  /** Column heading; give a visually hidden one (`<span className="sr-only">`) to action columns. */
  header: ReactNode;
  cell: (row: T) => ReactNode;
  className?: string;
}

/** Header row shared by the plain and the virtualised tables. */
export function TableHead<T>({
  columns,
  sticky = false,
}: {
  columns: readonly Column<T>[];
  sticky?: boolean;
}) {
  return (
    <thead className={`bg-slate-50 text-xs text-slate-500 ${sticky ? 'sticky top-0 z-10 shadow-sm' : ''}`}>
      <tr>
        {columns.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: columns are static per page.
          <th key={i} scope="col" className={`px-3 py-2 font-medium ${c.className ?? ''}`}>
            {c.header}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function TableRow<T>({
  row,
  columns,
  testId,
  style,
  index,
  ariaRowIndex,
  measure,
}: {
  row: T;
  columns: readonly Column<T>[];
  testId?: string;
  style?: CSSProperties;
  index?: number;
  ariaRowIndex?: number;
  measure?: (el: HTMLTableRowElement | null) => void;
}) {
  return (
    <tr
      data-testid={testId}
      data-index={index}
      aria-rowindex={ariaRowIndex}
      ref={measure}
      style={style}
      className="border-t border-slate-100 align-top hover:bg-slate-50"
    >
      {columns.map((c, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: columns are static per page.
        <td key={i} className={`px-3 py-2 ${c.className ?? ''}`}>
          {c.cell(row)}
        </td>
      ))}
    </tr>
  );
}

/** A bordered list table: one column definition renders the header and every row. */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  rowTestId,
  busy = false,
  footer,
}: {
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowTestId?: string;
  busy?: boolean;
  footer?: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm" aria-busy={busy}>
        <TableHead columns={columns} />
        <tbody>
          {rows.map((row) => (
            <TableRow key={rowKey(row)} row={row} columns={columns} testId={rowTestId} />
          ))}
        </tbody>
      </table>
      {footer}
    </div>
  );
}
