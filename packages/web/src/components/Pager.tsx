import { secondaryButton } from './buttons';

/** "1–50 of 312" with Previous / Next, under a paged table. */
export function Pager({
  offset,
  pageSize,
  total,
  onChange,
}: {
  offset: number;
  pageSize: number;
  total: number;
  onChange: (offset: number) => void;
}) {
  return (
    <nav
      aria-label="Pages"
      className="flex items-center justify-between border-t border-slate-100 px-3 py-2 text-sm text-slate-600"
    >
      <span>
        {total === 0 ? 0 : offset + 1}–{Math.min(offset + pageSize, total)} of {total}
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
          disabled={offset + pageSize >= total}
          onClick={() => onChange(offset + pageSize)}
        >
          Next
        </button>
      </div>
    </nav>
  );
}
