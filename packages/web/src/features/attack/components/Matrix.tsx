import type { TechniqueSummary } from '@aegis/contracts';
import { type KeyboardEvent, type MouseEvent, memo } from 'react';
import { coverageStyles } from '../../../components/coverage';
import type { MatrixColumn } from '../matrix';

interface MatrixProps {
  columns: MatrixColumn[];
  /** Which techniques pass the filters (all when undefined). */
  visible?: (technique: TechniqueSummary) => boolean;
  expanded: ReadonlySet<string>;
  onToggle: (techniqueId: string) => void;
  /** Sub-techniques by parent id, once loaded; undefined while loading. */
  subtechniques?: ReadonlyMap<string, TechniqueSummary[]>;
  subtechniquesError?: string;
  onOpen: (attackIdOrId: string) => void;
}

export function techniqueHref(technique: Pick<TechniqueSummary, 'attackId' | 'id'>): string {
  return `/techniques/${encodeURIComponent(technique.attackId ?? technique.id)}`;
}

/** Arrow keys move between cells: up/down within a tactic, left/right to the next tactic's same row. */
function moveFocus(event: KeyboardEvent<HTMLDivElement>) {
  const deltas: Record<string, [number, number]> = {
    ArrowUp: [0, -1],
    ArrowDown: [0, 1],
    ArrowLeft: [-1, 0],
    ArrowRight: [1, 0],
  };
  const delta = deltas[event.key];
  const target = event.target as HTMLElement;
  if (!delta || target.dataset.col === undefined) return;
  const grid = event.currentTarget;
  const col = Number(target.dataset.col) + delta[0];
  const row = Number(target.dataset.row) + delta[1];
  const cells = grid.querySelectorAll<HTMLElement>(`[data-col="${col}"][data-row]`);
  if (cells.length === 0 || row < 0) return;
  event.preventDefault();
  cells[Math.min(row, cells.length - 1)]?.focus();
}

/** The ATT&CK matrix: one column per tactic in matrix order, one cell per technique, coloured by coverage. */
export function Matrix({
  columns,
  visible,
  expanded,
  onToggle,
  subtechniques,
  subtechniquesError,
  onOpen,
}: MatrixProps) {
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: arrow-key navigation between the focusable cells
    <div
      data-testid="matrix-grid"
      onKeyDown={moveFocus}
      className="grid gap-2"
      style={{ gridTemplateColumns: `repeat(${columns.length}, minmax(9.5rem, 1fr))` }}
    >
      {columns.map((column, col) => {
        const shown = visible ? column.techniques.filter(visible) : column.techniques;
        return (
          <section
            key={column.tactic.id}
            data-testid="tactic-column"
            aria-labelledby={`tactic-${column.tactic.id}`}
          >
            <header className="sticky top-0 z-10 mb-2 rounded-md bg-slate-800 px-2 py-2 text-white shadow-sm">
              <h2 id={`tactic-${column.tactic.id}`} className="text-[13px] font-semibold leading-tight">
                {column.tactic.name}
              </h2>
              <p className="text-[11px] text-slate-300">
                {shown.length === column.techniques.length
                  ? `${column.techniques.length} techniques`
                  : `${shown.length} of ${column.techniques.length}`}
              </p>
            </header>
            <ul className="flex flex-col gap-1">
              {shown.map((technique, row) => (
                <MatrixCell
                  key={technique.id}
                  technique={technique}
                  col={col}
                  row={row}
                  isExpanded={expanded.has(technique.id)}
                  onToggle={onToggle}
                  subs={expanded.has(technique.id) ? subtechniques?.get(technique.id) : undefined}
                  subsLoading={expanded.has(technique.id) && !subtechniques && !subtechniquesError}
                  subsError={expanded.has(technique.id) ? subtechniquesError : undefined}
                  onOpen={onOpen}
                />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

interface CellProps {
  technique: TechniqueSummary;
  col: number;
  row: number;
  isExpanded: boolean;
  onToggle: (techniqueId: string) => void;
  subs: TechniqueSummary[] | undefined;
  subsLoading: boolean;
  subsError: string | undefined;
  onOpen: (attackIdOrId: string) => void;
}

function openHandler(onOpen: (id: string) => void, id: string) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    // Let the browser handle new-tab clicks; plain clicks navigate inside the app.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    onOpen(id);
  };
}

const MatrixCell = memo(function MatrixCell({
  technique,
  col,
  row,
  isExpanded,
  onToggle,
  subs,
  subsLoading,
  subsError,
  onOpen,
}: CellProps) {
  const style = coverageStyles[technique.coverageStatus];
  const id = technique.attackId ?? technique.id;
  return (
    <li
      data-testid="technique-cell"
      data-status={technique.coverageStatus}
      data-attack-id={technique.attackId ?? ''}
      className={`rounded border text-xs transition-colors ${style.cell}`}
    >
      <div className="flex items-start">
        <a
          href={techniqueHref(technique)}
          onClick={openHandler(onOpen, id)}
          data-col={col}
          data-row={row}
          title={`${technique.attackId ?? ''} ${technique.name} — ${style.label}`}
          className="min-w-0 flex-1 rounded px-1.5 py-1 focus-visible:outline-offset-0"
        >
          <span className="block font-medium leading-snug">{technique.name}</span>
          <span className="flex items-center gap-1 text-[10px] opacity-75">
            {technique.attackId}
            {technique.reviewRequired && (
              <span className="rounded bg-orange-500 px-1 font-semibold text-white" title="Review required">
                review
              </span>
            )}
          </span>
        </a>
        {technique.subtechniqueCount > 0 && (
          <button
            type="button"
            onClick={() => onToggle(technique.id)}
            aria-expanded={isExpanded}
            aria-label={`${isExpanded ? 'Hide' : 'Show'} ${technique.subtechniqueCount} sub-techniques of ${technique.name}`}
            className="m-0.5 shrink-0 rounded px-1 py-0.5 text-[10px] font-semibold tabular-nums hover:bg-black/10"
          >
            {isExpanded ? '▾' : '▸'}
            {technique.subtechniqueCount}
          </button>
        )}
      </div>
      {isExpanded && (
        <div className="border-t border-black/10 px-1.5 py-1">
          {subsLoading && <p className="text-[10px] text-slate-500">Loading sub-techniques…</p>}
          {subsError && <p className="text-[10px] text-red-700">{subsError}</p>}
          {subs && (
            <ul className="flex flex-col gap-0.5">
              {subs.map((sub) => (
                <li key={sub.id} data-testid="subtechnique-cell" data-status={sub.coverageStatus}>
                  <a
                    href={techniqueHref(sub)}
                    onClick={openHandler(onOpen, sub.attackId ?? sub.id)}
                    className={`block rounded border px-1 py-0.5 text-[11px] leading-snug ${coverageStyles[sub.coverageStatus].cell}`}
                  >
                    <span className="opacity-70">{sub.attackId?.slice(sub.attackId.indexOf('.'))}</span>{' '}
                    {sub.name}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
});
