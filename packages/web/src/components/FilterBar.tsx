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

/**
 * A filter's options: "any" (the empty value) first, then `options`, plus the current value (from a
 * link) when the list lacks it, so the select shows what the list is filtered by.
 */
export function optionsWithAny(any: string, options: readonly Option[], current?: string): Option[] {
  const listed =
    current && !options.some((o) => o.value === current)
      ? [...options, { value: current, label: current }]
      : options;
  return [{ value: '', label: any }, ...listed];
}

/** `optionsWithAny` for counted values (`{key, total}`: statistics buckets, facets), as "key (total)". */
export function countedOptions(
  any: string,
  counted: readonly { key: string; total: number }[] | undefined,
  current?: string,
  /** How a key reads (a tactic's name for its shortname); the key itself by default. */
  labelOf: (key: string) => string = (key) => key,
): Option[] {
  return optionsWithAny(
    any,
    (counted ?? []).map((c) => ({ value: c.key, label: `${labelOf(c.key)} (${c.total})` })),
    current,
  );
}

/** A yes/no filter's options. */
export function yesNoOptions(any: string, yes: string, no: string): Option<'' | 'true' | 'false'>[] {
  return [
    { value: '', label: any },
    { value: 'true', label: yes },
    { value: 'false', label: no },
  ];
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
