import {
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
  memo,
  type PointerEvent,
  useCallback,
  useImperativeHandle,
  useRef,
  useState,
} from 'react';
import { readableText } from '../../../components/contrast';
import { EMPTY_CELL, HATCH, OUT_OF_SCOPE_CELL } from '../exports';
import { type GridItem, type GridLayout, nextKey } from '../grid';

export type SelectMode = 'toggle' | 'range';

interface Props {
  layout: GridLayout;
  /** The roving tab stop: the one cell Tab reaches. */
  activeKey: string | null;
  selected: ReadonlySet<string>;
  compact: boolean;
  onActivate: (key: string) => void;
  onOpen: (key: string) => void;
  onSelect: (key: string, mode: SelectMode) => void;
  onToggleExpand: (techniqueId: string) => void;
  onEscape: () => void;
}

const cellSelector = (key: string) => `[data-key="${CSS.escape(key)}"]`;

/**
 * The ATT&CK matrix: a column per tactic, a cell per (technique, tactic). One Tab stop (a roving
 * tabindex), arrows to move, Enter to open the cell's panel, Space to select, + and − to show or hide
 * sub-techniques. Cells are memoised on what they show, so moving focus or hovering re-renders two
 * cells and the tooltip, not the grid.
 */
export function HeatmapGrid({
  layout,
  activeKey,
  selected,
  compact,
  onActivate,
  onOpen,
  onSelect,
  onToggleExpand,
  onEscape,
}: Props) {
  const gridRef = useRef<HTMLElement>(null);
  const tooltip = useRef<TooltipHandle>(null);
  const tabStop = activeKey && layout.byKey.has(activeKey) ? activeKey : (layout.shown[0]?.key ?? null);

  const focusKey = useCallback(
    (key: string) => {
      onActivate(key);
      const el = gridRef.current?.querySelector<HTMLElement>(cellSelector(key));
      el?.focus();
      el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    },
    [onActivate],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    const key = (event.target as HTMLElement).dataset.key;
    if (!key) return;
    const item = layout.byKey.get(key);
    if (event.key === 'Enter') {
      event.preventDefault();
      onOpen(key);
    } else if (event.key === ' ') {
      event.preventDefault();
      onSelect(key, event.shiftKey ? 'range' : 'toggle');
    } else if ((event.key === '+' || event.key === '-') && item && item.subCount > 0) {
      event.preventDefault();
      if (item.expanded !== (event.key === '+')) onToggleExpand(item.cell.id);
    } else if (event.key === 'Escape') {
      tooltip.current?.hide();
      onEscape();
    } else {
      const next = nextKey(layout, key, event.key, event.ctrlKey || event.metaKey);
      if (!next) return;
      event.preventDefault();
      focusKey(next);
    }
  };

  const onClick = (event: MouseEvent<HTMLElement>) => {
    const target = event.target as HTMLElement;
    const toggle = target.closest<HTMLElement>('[data-toggle]');
    if (toggle?.dataset.toggle) return onToggleExpand(toggle.dataset.toggle);
    const key = target.closest<HTMLElement>('[data-key]')?.dataset.key;
    if (!key) return;
    onActivate(key);
    if (event.ctrlKey || event.metaKey) onSelect(key, 'toggle');
    else if (event.shiftKey) onSelect(key, 'range');
    else onOpen(key);
  };

  const showTip = (target: EventTarget) => {
    const el = (target as HTMLElement).closest<HTMLElement>('[data-key]');
    const item = el?.dataset.key ? layout.byKey.get(el.dataset.key) : undefined;
    if (el && item) tooltip.current?.show(item, el.getBoundingClientRect());
  };

  return (
    <>
      <section
        ref={gridRef}
        aria-label="ATT&CK matrix"
        aria-describedby="matrix-keys"
        data-testid="matrix-grid"
        onKeyDown={onKeyDown}
        onClick={onClick}
        onPointerOver={(e: PointerEvent) => showTip(e.target)}
        onPointerLeave={() => tooltip.current?.hide()}
        onFocus={(e: FocusEvent) => showTip(e.target)}
        onBlur={() => tooltip.current?.hide()}
        className={`grid ${compact ? 'gap-1' : 'gap-2'}`}
        style={{
          gridTemplateColumns: `repeat(${layout.columns.length}, ${compact ? 'minmax(0, 1fr)' : 'minmax(9.5rem, 1fr)'})`,
        }}
      >
        <p id="matrix-keys" className="sr-only">
          Arrow keys move between cells, Home and End to the row's ends, Enter opens the cell's details, Space
          selects, plus and minus show or hide sub-techniques.
        </p>
        {layout.columns.map((column) => (
          <section
            key={column.shortname}
            data-testid="tactic-column"
            data-tactic={column.shortname}
            aria-label={column.name}
          >
            <header className="sticky top-0 z-10 mb-1 rounded bg-slate-800 px-1.5 py-1.5 text-white shadow-sm">
              <h2
                className={`${compact ? 'text-[11px]' : 'text-[13px]'} font-semibold leading-tight hyphens-auto break-words`}
              >
                {column.name}
              </h2>
              <p className="text-[10px] text-slate-300">
                {column.items.length === column.techniqueCount
                  ? `${column.techniqueCount} techniques`
                  : `${column.items.length} cells · ${column.techniqueCount} techniques`}
              </p>
            </header>
            <ul className="flex flex-col gap-0.5">
              {column.items.map((item) => (
                <Cell
                  key={item.key}
                  item={item}
                  tabbable={item.key === tabStop}
                  selected={selected.has(item.key)}
                  compact={compact}
                />
              ))}
            </ul>
          </section>
        ))}
      </section>
      <Tooltip ref={tooltip} />
    </>
  );
}

export function cellLabel(item: GridItem, selected = false): string {
  const id = item.cell.attackId ? `${item.cell.attackId} ` : '';
  const subs = item.subCount > 0 ? `, ${item.subCount} sub-techniques${item.expanded ? ' shown' : ''}` : '';
  return `${id}${item.cell.name}, ${item.tacticName}: ${item.cell.label}${subs}${selected ? ', selected' : ''}`;
}

const Cell = memo(function Cell({
  item,
  tabbable,
  selected,
  compact,
}: {
  item: GridItem;
  tabbable: boolean;
  selected: boolean;
  compact: boolean;
}) {
  const { cell } = item;
  const background = cell.color ?? (cell.inScope ? EMPTY_CELL : OUT_OF_SCOPE_CELL);
  const sub = cell.isSubtechnique;
  return (
    <li
      data-testid={sub ? 'subtechnique-cell' : 'technique-cell'}
      data-attack-id={cell.attackId ?? ''}
      data-tactic={item.tactic}
      data-status={cell.coverageStatus}
      data-match={item.match || undefined}
      data-selected={selected || undefined}
      className={`relative flex items-stretch rounded border ${sub ? 'ml-2' : ''} ${
        item.match ? 'outline-2 outline-offset-1 outline-fuchsia-700' : ''
      } ${selected ? 'border-slate-900 ring-2 ring-inset ring-slate-900' : 'border-black/15'}`}
      style={{
        background: cell.inScope ? background : HATCH,
        color: readableText(background),
      }}
    >
      <button
        type="button"
        data-key={item.key}
        tabIndex={tabbable ? 0 : -1}
        aria-label={cellLabel(item, selected)}
        className={`min-w-0 flex-1 rounded text-left focus-visible:outline-3 focus-visible:outline-offset-1 focus-visible:outline-sky-700 ${
          compact ? 'px-1 py-0.5 text-[10px] leading-tight' : 'px-1.5 py-1 text-xs leading-snug'
        }`}
      >
        <span className={`block font-semibold tabular-nums ${compact ? 'text-[9.5px]' : 'text-[10px]'}`}>
          {cell.attackId}
        </span>{' '}
        <span className="block hyphens-auto break-words">{cell.name}</span>
      </button>
      {item.subCount > 0 && (
        <button
          type="button"
          tabIndex={-1}
          data-toggle={cell.id}
          aria-expanded={item.expanded}
          aria-label={`${item.expanded ? 'Hide' : 'Show'} ${item.subCount} sub-techniques of ${cell.name}`}
          className="shrink-0 rounded px-0.5 text-[10px] font-semibold tabular-nums hover:bg-black/10"
        >
          {item.expanded ? '▾' : '▸'}
          {item.subCount}
        </button>
      )}
    </li>
  );
});

interface TooltipHandle {
  show: (item: GridItem, rect: DOMRect) => void;
  hide: () => void;
}

/** One tooltip for the whole grid (label and detail), moved to the cell under the pointer or focus. */
function Tooltip({ ref }: { ref: React.Ref<TooltipHandle> }) {
  const [tip, setTip] = useState<{ item: GridItem; rect: DOMRect } | null>(null);
  useImperativeHandle(
    ref,
    () => ({ show: (item, rect) => setTip({ item, rect }), hide: () => setTip(null) }),
    [],
  );
  if (!tip) return null;
  const { item, rect } = tip;
  const below = rect.bottom + 96 < window.innerHeight;
  const left = Math.min(Math.max(8, rect.left), window.innerWidth - 296);
  return (
    <div
      role="tooltip"
      data-testid="matrix-tooltip"
      className="pointer-events-none fixed z-50 w-72 rounded-md bg-slate-900 px-2.5 py-2 text-xs text-white shadow-lg"
      style={below ? { left, top: rect.bottom + 4 } : { left, bottom: window.innerHeight - rect.top + 4 }}
    >
      <p className="font-semibold">
        {item.cell.attackId} {item.cell.name}
      </p>
      <p className="text-slate-200">
        {item.tacticName} · {item.cell.label}
      </p>
      <p className="mt-1 text-slate-300">{item.cell.detail}</p>
    </div>
  );
}
