import type { AttackRef } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';

/** A code listing: preformatted, scrollable, never interpreted. */
export function CodeBlock({ code, label }: { code: string; label?: string }) {
  return (
    <figure className="min-w-0">
      {label && <figcaption className="mb-1 text-xs font-medium text-slate-500">{label}</figcaption>}
      <pre
        // biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable regions must be reachable by keyboard.
        tabIndex={0}
        className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-5 text-slate-100"
      >
        <code>{code}</code>
      </pre>
    </figure>
  );
}

/** Techniques as links to their pages, ATT&CK id first. */
export function TechniqueLinks({ techniques }: { techniques: AttackRef[] }) {
  if (techniques.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="flex flex-wrap gap-1">
      {techniques.map((t) => (
        <li key={t.id}>
          <Link
            to="/techniques/$id"
            params={{ id: t.attackId ?? t.id }}
            title={t.name}
            className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-sky-800 hover:bg-sky-100"
          >
            {t.attackId ?? t.name}
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** `text` debounced: the value to query with once the user pauses typing. */
export function useDebounced(text: string, ms = 250): string {
  const [value, setValue] = useState(text.trim());
  useEffect(() => {
    const t = setTimeout(() => setValue(text.trim()), ms);
    return () => clearTimeout(t);
  }, [text, ms]);
  return value;
}

export { Pager } from '../../../components/Pager';

export function ActiveBadge({ active, removed }: { active: boolean; removed?: boolean }) {
  if (removed)
    return (
      <span className="rounded-full border border-red-300 bg-red-50 px-2 py-0.5 text-xs text-red-800">
        Removed upstream
      </span>
    );
  return active ? (
    <span className="rounded-full border border-emerald-300 bg-emerald-50 px-2 py-0.5 text-xs text-emerald-800">
      Active
    </span>
  ) : (
    <span className="rounded-full border border-slate-300 bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
      Inactive
    </span>
  );
}
