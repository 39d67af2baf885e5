import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import { type Column, TableHead, TableRow } from './DataTable';
import { formatTotal } from './Pager';

/** How close to the last loaded row the table asks for the next page. */
const PREFETCH_ROWS = 25;

/**
 * A list table that renders only the rows in view (TanStack Virtual) inside its own scroll area,
 * with a sticky header, and loads further pages as the user scrolls (`loadMore`). Rows may differ
 * in height: each rendered row is measured. Spacer rows keep the table semantic (real `<tr>`s,
 * `aria-rowcount`/`aria-rowindex` for screen readers).
 */
export function VirtualTable<T>({
  label,
  columns,
  rows,
  rowKey,
  rowTestId,
  total,
  totalEstimated = false,
  hasMore,
  loadingMore,
  loadMore,
  busy = false,
  estimateRowHeight = 37,
}: {
  label: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowTestId?: string;
  total: number;
  /** The server estimated `total` (shown as "≈"). */
  totalEstimated?: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  busy?: boolean;
  estimateRowHeight?: number;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateRowHeight,
    getItemKey: (index) => {
      const row = rows[index];
      return row === undefined ? index : rowKey(row);
    },
    overscan: 8,
    // Before layout (and in tests without one) assume a laptop-sized viewport.
    initialRect: { width: 1200, height: 720 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= 0 && lastIndex >= rows.length - PREFETCH_ROWS) loadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, loadMore]);

  const top = items[0]?.start ?? 0;
  const bottom = Math.max(0, virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0));

  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <section
        ref={scrollRef}
        aria-label={label}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the scroll area must be reachable by keyboard.
        tabIndex={0}
        className="max-h-[max(20rem,calc(100vh-17rem))] overflow-auto"
      >
        <table className="w-full text-left text-sm" aria-busy={busy} aria-rowcount={total + 1}>
          <TableHead columns={columns} sticky />
          <tbody>
            {top > 0 && (
              <tr data-spacer="" style={{ height: top }}>
                <td colSpan={columns.length} />
              </tr>
            )}
            {items.map((item) => {
              const row = rows[item.index];
              if (row === undefined) return null;
              return (
                <TableRow
                  key={item.key}
                  row={row}
                  columns={columns}
                  testId={rowTestId}
                  index={item.index}
                  ariaRowIndex={item.index + 2}
                  measure={virtualizer.measureElement}
                />
              );
            })}
            {bottom > 0 && (
              <tr data-spacer="" style={{ height: bottom }}>
                <td colSpan={columns.length} />
              </tr>
            )}
          </tbody>
        </table>
      </section>
      <p
        aria-live="polite"
        className="flex items-center justify-between border-t border-slate-100 px-3 py-2 text-sm text-slate-600"
      >
        <span>
          {rows.length.toLocaleString('en')} of {formatTotal(total, totalEstimated)} loaded
        </span>
        {loadingMore && <span>Loading more…</span>}
      </p>
    </div>
  );
}
