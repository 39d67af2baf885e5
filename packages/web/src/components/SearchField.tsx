/** The text-input look shared by every form and filter bar. */
export const inputClass =
  'w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-900 ' +
  'disabled:bg-slate-50 disabled:text-slate-600 aria-invalid:border-red-500';

/** The free-text search box of the list pages' filter bars (the page debounces `value`). */
export function SearchField(props: {
  id: string;
  placeholder: string;
  value: string;
  onChange: (v: string) => void;
}) {
  return (
    <label htmlFor={props.id} className="min-w-56 flex-1 text-sm font-medium text-slate-700">
      Search
      <input
        id={props.id}
        type="search"
        placeholder={props.placeholder}
        className={`${inputClass} mt-1`}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </label>
  );
}
