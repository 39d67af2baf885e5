import type { TechniqueSummary } from '@aegis/contracts';
import { type KeyboardEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { describeError } from '../../../app/api';
import { useDebounced } from '../../../components/useDebounced';
import { searchableTechniqueText, useTechniqueSearch } from '../api';

/** A chosen technique: its ATT&CK id, and its name once the knowledge base has told us. */
export interface TechniqueChoice {
  attackId: string;
  name?: string;
}

export const ATTACK_ID = /^T\d{4}(\.\d{3})?$/i;
const MAX_OPTIONS = 10;

/**
 * Best matches first: the exact ATT&CK id, id prefixes, names starting with the text, names (or the
 * parent's name) containing it, then the rest (matched on the description only); ATT&CK order
 * within each rank. Techniques already chosen are left out.
 */
export function rankTechniques(
  items: readonly TechniqueSummary[],
  text: string,
  exclude: ReadonlySet<string> = new Set(),
): TechniqueSummary[] {
  const needle = text.trim().toLowerCase();
  const rank = (t: TechniqueSummary): number => {
    const id = (t.attackId ?? '').toLowerCase();
    const name = t.name.toLowerCase();
    if (id === needle) return 0;
    if (id.startsWith(needle)) return 1;
    if (name.startsWith(needle)) return 2;
    if (name.includes(needle)) return 3;
    if (t.parent?.name.toLowerCase().includes(needle)) return 4;
    return 5;
  };
  return items
    .filter((t) => t.attackId !== null && !exclude.has(t.attackId.toUpperCase()))
    .map((t, index) => ({ t, index, rank: rank(t) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((x) => x.t);
}

const displayName = (t: TechniqueSummary) => (t.parent ? `${t.parent.name}: ${t.name}` : t.name);

/**
 * A combobox that finds ATT&CK techniques in the knowledge base by id or name (`GET /techniques?q=`).
 * `multiple` keeps a list of chips (the template form); otherwise choosing replaces the one value and
 * a clear button removes it (the list filters). Enter on a typed ATT&CK id adds it as typed, so ids
 * can be pasted; the server is the judge of whether they exist.
 */
export function TechniquePicker({
  label,
  value,
  onChange,
  multiple = false,
  error,
  hint,
  placeholder = 'ATT&CK id or name',
  className = '',
}: {
  label: string;
  value: readonly TechniqueChoice[];
  onChange: (next: TechniqueChoice[]) => void;
  multiple?: boolean;
  error?: string;
  hint?: string;
  placeholder?: string;
  className?: string;
}) {
  const id = useId();
  const ids = {
    label: `${id}-label`,
    input: `${id}-input`,
    list: `${id}-list`,
    hint: `${id}-hint`,
    error: `${id}-error`,
    option: (i: number) => `${id}-option-${i}`,
  };
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const typed = text.trim();
  const query = useDebounced(text, 200);
  const search = useTechniqueSearch(query);
  const inputRef = useRef<HTMLInputElement>(null);
  const clearRef = useRef<HTMLButtonElement>(null);
  /** Where focus goes once the chips re-render (the input can disappear or come back). */
  const focusNext = useRef<'input' | 'clear' | null>(null);

  const chosen = useMemo(() => new Set(value.map((v) => v.attackId.toUpperCase())), [value]);
  const ranked = useMemo(
    () => (search.data ? rankTechniques(search.data.items, query, chosen) : []),
    [search.data, query, chosen],
  );
  const options = ranked.slice(0, MAX_OPTIONS);
  const showInput = multiple || value.length === 0;
  const expanded = open && typed.length > 0 && options.length > 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: focus moves once the new chips are rendered.
  useEffect(() => {
    if (focusNext.current === 'clear') clearRef.current?.focus();
    if (focusNext.current === 'input') inputRef.current?.focus();
    focusNext.current = null;
  }, [value]);

  // A new answer (or new text) starts again from the best match.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset whenever the options change.
  useEffect(() => setActive(0), [ranked]);

  const choose = (choice: TechniqueChoice) => {
    const next = { ...choice, attackId: choice.attackId.toUpperCase() };
    setText('');
    setOpen(false);
    if (chosen.has(next.attackId)) return;
    focusNext.current = multiple ? 'input' : 'clear';
    onChange(multiple ? [...value, next] : [next]);
  };
  const remove = (attackId: string) => {
    focusNext.current = 'input';
    onChange(value.filter((v) => v.attackId !== attackId));
  };

  const onInput = (next: string) => {
    // A pasted list of ids ("T1059.001, T1105") becomes chips at once.
    const tokens = next.split(/[\s,;]+/).filter(Boolean);
    if (multiple && tokens.length > 1 && tokens.every((t) => ATTACK_ID.test(t))) {
      const fresh = [...new Set(tokens.map((t) => t.toUpperCase()))].filter((t) => !chosen.has(t));
      setText('');
      onChange([...value, ...fresh.map((attackId) => ({ attackId }))]);
      return;
    }
    setText(next);
    setOpen(true);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, Math.max(options.length - 1, 0)));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      if (!typed) return; // an empty picker lets Enter submit the form
      e.preventDefault();
      const option = expanded && query === typed ? options[active] : undefined;
      if (option?.attackId) choose({ attackId: option.attackId, name: displayName(option) });
      else if (ATTACK_ID.test(typed)) choose({ attackId: typed });
    } else if (e.key === 'Escape') {
      if (open && typed) {
        e.preventDefault();
        setOpen(false);
      } else if (text) {
        e.preventDefault();
        setText('');
      }
    } else if (e.key === 'Backspace' && text === '' && multiple && value.length > 0) {
      const last = value.at(-1);
      if (last) remove(last.attackId);
    }
  };

  const status = (() => {
    if (!open || !typed) return null;
    if (!searchableTechniqueText(typed))
      return 'Type an ATT&CK id (T1059) or at least two letters of a name.';
    if (search.isError) return `The search failed: ${describeError(search.error)}`;
    if (query !== typed || search.isFetching) return options.length > 0 ? null : 'Searching…';
    if (options.length === 0)
      return `No live technique matches “${typed}”.${ATTACK_ID.test(typed) ? ' Press Enter to add it as typed.' : ''}`;
    if (ranked.length > options.length)
      return `Best ${options.length} of ${search.data?.total ?? ranked.length} matches; type more to narrow.`;
    return null;
  })();

  const LabelTag = showInput ? 'label' : 'span';
  const describedBy = [hint ? ids.hint : null, error ? ids.error : null].filter(Boolean).join(' ');

  return (
    <div className={`text-sm ${className}`}>
      <LabelTag
        id={ids.label}
        htmlFor={showInput ? ids.input : undefined}
        className="font-medium text-slate-700"
      >
        {label}
      </LabelTag>
      <div className="relative">
        {/* biome-ignore lint/a11y/useSemanticElements: a fieldset would restyle the filter bar; the group only names the chips. */}
        <div
          role="group"
          aria-labelledby={ids.label}
          className={`mt-1 flex min-h-[2.125rem] flex-wrap items-center gap-1 rounded-md border bg-white px-1.5 py-1 ${
            error ? 'border-red-500' : 'border-slate-300'
          }`}
        >
          {value.map((v) => (
            <span
              key={v.attackId}
              data-testid="technique-chip"
              className="inline-flex max-w-full items-center gap-1 rounded border border-sky-200 bg-sky-50 py-0.5 pr-0.5 pl-1.5 text-xs text-sky-900"
            >
              <span className="font-mono">{v.attackId}</span>
              {v.name && (
                <span
                  title={v.name}
                  className={`${multiple ? 'max-w-52' : 'min-w-0'} truncate text-slate-600`}
                >
                  {v.name}
                </span>
              )}
              <button
                ref={multiple ? undefined : clearRef}
                type="button"
                aria-label={multiple ? `Remove ${v.attackId}` : `Clear ${label.toLowerCase()}`}
                title={multiple ? `Remove ${v.attackId}` : `Clear ${label.toLowerCase()}`}
                onClick={() => remove(v.attackId)}
                className="grid size-5 place-items-center rounded text-slate-500 hover:bg-sky-100 hover:text-slate-900"
              >
                <span aria-hidden="true">×</span>
              </button>
            </span>
          ))}
          {showInput && (
            <input
              ref={inputRef}
              id={ids.input}
              type="text"
              role="combobox"
              aria-expanded={expanded}
              aria-controls={ids.list}
              aria-autocomplete="list"
              aria-activedescendant={expanded ? ids.option(active) : undefined}
              aria-invalid={error ? true : undefined}
              aria-describedby={describedBy || undefined}
              autoComplete="off"
              spellCheck={false}
              placeholder={value.length > 0 ? 'Add another…' : placeholder}
              className="min-w-28 flex-1 rounded border-0 bg-transparent px-1 py-0.5 text-sm text-slate-900"
              value={text}
              onChange={(e) => onInput(e.target.value)}
              onKeyDown={onKeyDown}
              onFocus={() => setOpen(true)}
              onBlur={() => setOpen(false)}
            />
          )}
        </div>
        {(expanded || status) && (
          <div className="absolute top-full right-0 left-0 z-20 mt-1 min-w-72 overflow-hidden rounded-md border border-slate-200 bg-white shadow-lg">
            {expanded && (
              <div
                id={ids.list}
                role="listbox"
                aria-label={`${label}: matches`}
                className="max-h-72 overflow-auto py-1"
              >
                {options.map((t, i) => (
                  // biome-ignore lint/a11y/useKeyWithClickEvents: keys are handled by the combobox input (aria-activedescendant).
                  <div
                    key={t.id}
                    id={ids.option(i)}
                    role="option"
                    tabIndex={-1}
                    aria-selected={i === active}
                    // Keep focus in the input: a click must not blur it before it chooses.
                    onMouseDown={(e) => e.preventDefault()}
                    onMouseEnter={() => setActive(i)}
                    onClick={() => t.attackId && choose({ attackId: t.attackId, name: displayName(t) })}
                    className={`flex cursor-pointer items-baseline gap-2 px-3 py-1.5 ${
                      i === active ? 'bg-sky-100 text-sky-950' : 'text-slate-800'
                    }`}
                  >
                    <span className="w-20 shrink-0 font-mono text-xs">{t.attackId}</span>
                    <span className="min-w-0 truncate">{displayName(t)}</span>
                  </div>
                ))}
              </div>
            )}
            {status && (
              <p
                role="status"
                className="border-t border-slate-100 px-3 py-1.5 text-xs text-slate-600 first:border-t-0"
              >
                {status}
              </p>
            )}
          </div>
        )}
      </div>
      {hint && (
        <p id={ids.hint} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={ids.error} className="mt-1 text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
