import { Link } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { coverageStyles } from '../../../components/coverage';
import type { GridItem } from '../grid';

interface Props {
  item: GridItem;
  layerTitle: string;
  onClose: () => void;
}

/** "Why this colour": the cell's layer value and its inputs, its coverage, and the way to the technique. */
export function CellPanel({ item, layerTitle, onClose }: Props) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
  }, []);
  const { cell } = item;
  const id = cell.attackId ?? cell.id;
  return (
    <aside
      aria-labelledby="cell-panel-title"
      data-testid="cell-panel"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
      className="w-80 shrink-0 overflow-auto rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <div className="flex items-start justify-between gap-2">
        <h2
          id="cell-panel-title"
          ref={heading}
          tabIndex={-1}
          className="text-base font-semibold text-slate-900"
        >
          <span className="block text-xs font-medium text-slate-600">{cell.attackId}</span>
          {cell.name}
        </h2>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close the details"
          className="rounded px-2 py-0.5 text-lg leading-none text-slate-600 hover:bg-slate-100"
        >
          ×
        </button>
      </div>
      <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1.5 text-sm">
        <dt className="text-slate-600">Tactic</dt>
        <dd>{item.tacticName}</dd>
        <dt className="text-slate-600">{layerTitle}</dt>
        <dd className="flex items-center gap-1.5">
          <span
            aria-hidden="true"
            className="size-3 shrink-0 rounded-sm border border-black/20"
            style={{ background: cell.color ?? 'transparent' }}
          />
          {cell.label}
        </dd>
        <dt className="text-slate-600">Value</dt>
        <dd>{cell.value ?? '—'}</dd>
        <dt className="text-slate-600">Coverage</dt>
        <dd>{coverageStyles[cell.coverageStatus].label}</dd>
        <dt className="text-slate-600">Platforms</dt>
        <dd>{cell.platforms.join(', ') || '—'}</dd>
        <dt className="text-slate-600">Scope</dt>
        <dd>{cell.inScope ? 'In scope' : 'Out of the organisation’s scope'}</dd>
      </dl>
      <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-600">Why this colour</h3>
      <p data-testid="cell-detail" className="mt-1 text-sm text-slate-800">
        {cell.detail}
      </p>
      <Link
        to="/techniques/$id"
        params={{ id }}
        className="mt-4 inline-block text-sm font-medium text-sky-700 underline hover:text-sky-900"
      >
        Open {cell.attackId ?? cell.name}
      </Link>
    </aside>
  );
}
