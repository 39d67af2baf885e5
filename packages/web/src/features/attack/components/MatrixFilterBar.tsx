import { coverageOrder, coverageStyles } from '../../../components/coverage';
import { isFiltered, type MatrixFilters, noFilters } from '../matrix';

interface Props {
  filters: MatrixFilters;
  platforms: string[];
  onChange: (filters: MatrixFilters) => void;
}

const field = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm';

export function MatrixFilterBar({ filters, platforms, onChange }: Props) {
  return (
    <form
      aria-label="Filter the matrix"
      className="flex flex-wrap items-center gap-2"
      onSubmit={(e) => e.preventDefault()}
    >
      <label className="sr-only" htmlFor="matrix-search">
        Search techniques
      </label>
      <input
        id="matrix-search"
        type="search"
        placeholder="Search name or ID…"
        value={filters.search}
        onChange={(e) => onChange({ ...filters, search: e.target.value })}
        className={`${field} w-56`}
      />
      <label className="sr-only" htmlFor="matrix-platform">
        Platform
      </label>
      <select
        id="matrix-platform"
        value={filters.platform}
        onChange={(e) => onChange({ ...filters, platform: e.target.value })}
        className={field}
      >
        <option value="">All platforms</option>
        {platforms.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <label className="sr-only" htmlFor="matrix-status">
        Coverage status
      </label>
      <select
        id="matrix-status"
        value={filters.status}
        onChange={(e) => onChange({ ...filters, status: e.target.value as MatrixFilters['status'] })}
        className={field}
      >
        <option value="">All statuses</option>
        {coverageOrder.map((s) => (
          <option key={s} value={s}>
            {coverageStyles[s].label}
          </option>
        ))}
      </select>
      <label className="flex items-center gap-1.5 text-sm text-slate-700">
        <input
          type="checkbox"
          checked={filters.reviewOnly}
          onChange={(e) => onChange({ ...filters, reviewOnly: e.target.checked })}
          className="size-4 accent-sky-600"
        />
        Review required
      </label>
      {isFiltered(filters) && (
        <button
          type="button"
          onClick={() => onChange(noFilters)}
          className="rounded-md px-2 py-1.5 text-sm text-sky-700 hover:bg-sky-50"
        >
          Clear filters
        </button>
      )}
    </form>
  );
}
