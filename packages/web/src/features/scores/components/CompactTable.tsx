import type { AttackRef, CoverageStatus } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { CoverageBadge } from '../../../components/coverage';
import type { Column } from '../../../components/DataTable';

export type CompactColumn<T> = Column<T> & { align?: 'right' };

/**
 * A small, borderless table of figures inside a panel (the inputs of a score), with the list
 * tables' column definitions; `align: 'right'` columns hold numbers.
 */
export function CompactTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  rowTestId,
}: {
  caption?: string;
  columns: readonly CompactColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowTestId?: string;
}) {
  const align = (c: { align?: 'right' }) => (c.align === 'right' ? 'text-right tabular-nums' : '');
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-xs">
        {caption && <caption className="sr-only">{caption}</caption>}
        <thead className="text-slate-500">
          <tr>
            {columns.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: columns are static per table.
              <th key={i} scope="col" className={`py-1 pr-2 font-medium ${align(c)} ${c.className ?? ''}`}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} data-testid={rowTestId} className="border-t border-slate-100">
              {columns.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are static per table.
                <td key={i} className={`py-1 pr-2 ${align(c)} ${c.className ?? ''}`}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A technique as a link to its page, ATT&CK id first. */
export function techniqueColumn<T extends AttackRef>(header = 'Technique'): Column<T> {
  return {
    header,
    cell: (t) => (
      <Link to="/techniques/$id" params={{ id: t.attackId ?? t.id }} className="text-sky-700 hover:underline">
        <span className="font-mono text-xs text-slate-500">{t.attackId}</span> {t.name}
      </Link>
    ),
  };
}

export function coverageColumn<T extends { coverageStatus: CoverageStatus }>(): Column<T> {
  return {
    header: 'Coverage',
    className: 'w-36 whitespace-nowrap',
    cell: (t) => <CoverageBadge status={t.coverageStatus} />,
  };
}
