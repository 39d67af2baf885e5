import type { AttackRef } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { NotInRelease } from '../../attack/components/NotInRelease';

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

/**
 * Techniques as links to their pages, ATT&CK id first; ids the loaded release lacks (`unresolved`)
 * are named with why and how to fix it, not hidden behind a "—".
 */
export function TechniqueLinks({
  techniques,
  unresolved = [],
}: {
  techniques: AttackRef[];
  unresolved?: readonly string[];
}) {
  if (techniques.length === 0 && unresolved.length === 0) return <span className="text-slate-500">—</span>;
  if (techniques.length === 0) return <NotInRelease attackIds={unresolved} />;
  return (
    <>
      <TechniqueList techniques={techniques} />
      <NotInRelease attackIds={unresolved} />
    </>
  );
}

function TechniqueList({ techniques }: { techniques: AttackRef[] }) {
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

import { useDebounced } from '../../../components/useDebounced';

/**
 * A list's search box whose text lives in the URL: typed text is committed (`commit`) once the user
 * pauses, and a URL change from elsewhere (Back, "Clear filters") refreshes the box.
 */
export function useUrlSearchText(
  urlValue: string | undefined,
  commit: (q: string | undefined) => void,
): [string, (text: string) => void] {
  const [text, setText] = useState(urlValue ?? '');
  const q = useDebounced(text);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the debounced text settles.
  useEffect(() => {
    if (q !== (urlValue ?? '')) commit(q || undefined);
  }, [q]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the URL changes.
  useEffect(() => {
    if ((urlValue ?? '') !== q) setText(urlValue ?? '');
  }, [urlValue]);
  return [text, setText];
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

const levelStyles: Record<string, string> = {
  critical: 'border-red-400 bg-red-50 text-red-900',
  high: 'border-orange-300 bg-orange-50 text-orange-900',
  medium: 'border-amber-300 bg-amber-50 text-amber-900',
  low: 'border-sky-300 bg-sky-50 text-sky-900',
};

/** A detection rule's level (Sigma's informational … critical). */
export function LevelBadge({ level }: { level: string | null }) {
  if (!level) return <span className="text-slate-500">—</span>;
  return (
    <span
      className={`rounded-full border px-2 py-0.5 text-xs ${levelStyles[level] ?? 'border-slate-300 bg-slate-100 text-slate-700'}`}
    >
      {level}
    </span>
  );
}
