import { secondaryButton } from './buttons';

/**
 * "1–50 of 312" with Previous / Next, under a paged table. An estimated total (a large list counts
 * exactly only up to a bound) reads "of ≈ 48,000", and the end is where a page comes back short.
 */
export function Pager({
  offset,
  pageSize,
  total,
  estimated = false,
  pageItems,
  onChange,
}: {
  offset: number;
  pageSize: number;
  total: number;
  estimated?: boolean;
  /** Rows on the shown page: with an estimated total, a short page is the last one. */
  pageItems?: number;
  onChange: (offset: number) => void;
}) {
  const atEnd = estimated ? (pageItems ?? pageSize) < pageSize : offset + pageSize >= total;
  return (
    <nav
      aria-label="Pages"
      className="flex items-center justify-between border-t border-slate-100 px-3 py-2 text-sm text-slate-600"
    >
      <span>
        {total === 0 ? 0 : offset + 1}–
        {estimated ? offset + (pageItems ?? pageSize) : Math.min(offset + pageSize, total)} of{' '}
        {formatTotal(total, estimated)}
      </span>
      <div className="flex gap-2">
        <button
          type="button"
          className={secondaryButton}
          disabled={offset === 0}
          onClick={() => onChange(Math.max(0, offset - pageSize))}
        >
          Previous
        </button>
        <button
          type="button"
          className={secondaryButton}
          disabled={atEnd}
          onClick={() => onChange(offset + pageSize)}
        >
          Next
        </button>
      </div>
    </nav>
  );
}

/** A list total for people: "48,210", or "≈ 48,000" when the server estimated it. */
export function formatTotal(total: number, estimated = false): string {
  return estimated ? `≈ ${total.toLocaleString('en')}` : total.toLocaleString('en');
}
