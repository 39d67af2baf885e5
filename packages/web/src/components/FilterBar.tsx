import { type ReactNode, useId } from 'react';
import { secondaryButton } from './buttons';
import { inputClass } from './SearchField';

/** The filter bar above a list: a `<search>` landmark holding the page's fields. */
export function FilterBar({ children }: { children: ReactNode }) {
  return (
    <search className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
      {children}
    </search>
  );
}

export interface Option<V extends string = string> {
  value: V;
  label: string;
}

/** A labelled `<select>` of a filter bar. */
export function SelectField<V extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: V;
  options: readonly Option<V>[];
  onChange: (value: V) => void;
}) {
  const id = useId();
  return (
    <label htmlFor={id} className="text-sm font-medium text-slate-700">
      {label}
      <select
        id={id}
        className={`${inputClass} mt-1`}
        value={value}
        onChange={(e) => onChange(e.target.value as V)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * "Clear filters": always there, disabled while nothing is filtered, so the bar does not reflow as
 * filters come and go.
 */
export function ClearFilters({ filtered, onClear }: { filtered: boolean; onClear: () => void }) {
  return (
    <button type="button" className={secondaryButton} disabled={!filtered} onClick={onClear}>
      Clear filters
    </button>
  );
}
