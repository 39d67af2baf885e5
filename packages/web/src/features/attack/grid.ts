import type { Heatmap, HeatmapCell } from '@aegis/contracts';

/** One cell of the grid: a technique (or sub-technique) under one of its tactics. */
export interface GridItem {
  /** `tactic|technique id`: unique in the grid, stable across layers and filters. */
  key: string;
  cell: HeatmapCell;
  tactic: string;
  tacticName: string;
  col: number;
  row: number;
  /** Sub-techniques of this technique under this tactic (0 for sub-techniques). */
  subCount: number;
  expanded: boolean;
  /** Matches the search text. */
  match: boolean;
}

export interface GridColumn {
  shortname: string;
  name: string;
  items: GridItem[];
  /** Top-level techniques of the tactic before the search narrowed it. */
  techniqueCount: number;
}

export interface GridLayout {
  columns: GridColumn[];
  byKey: ReadonlyMap<string, GridItem>;
  /** Every cell shown, column by column (the CSV and SVG exports write these). */
  shown: GridItem[];
  /** The cells matching the search, in the same order. */
  matches: GridItem[];
}

export interface GridOptions {
  /** Techniques (ids) whose sub-techniques are shown. */
  expanded: ReadonlySet<string>;
  expandAll: boolean;
  query: string;
  onlyMatches: boolean;
}

/** Case-insensitive search over the ATT&CK id and the name, sub-techniques included. */
export function matchesQuery(cell: Pick<HeatmapCell, 'attackId' | 'name'>, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (!q) return false;
  return (cell.attackId ?? '').toLowerCase().includes(q) || cell.name.toLowerCase().includes(q);
}

const byName = (a: HeatmapCell, b: HeatmapCell) => a.name.localeCompare(b.name);
const byAttackId = (a: HeatmapCell, b: HeatmapCell) => (a.attackId ?? '').localeCompare(b.attackId ?? '');

/**
 * The heatmap as columns of cells in matrix order: techniques by name, each followed by its
 * sub-techniques when expanded. A sub-technique matching the search expands its parent; with
 * `onlyMatches`, only matches (and the parents holding them) stay. A sub-technique whose parent the
 * filters removed stands on its own.
 */
export function buildGrid(
  heatmap: Pick<Heatmap, 'tactics' | 'techniques'>,
  options: GridOptions,
): GridLayout {
  const searching = options.query.trim() !== '';
  const ids = new Set(heatmap.techniques.map((t) => t.id));
  const subsOf = new Map<string, HeatmapCell[]>();
  const tops: HeatmapCell[] = [];
  for (const t of heatmap.techniques) {
    if (t.isSubtechnique && t.parentId && ids.has(t.parentId)) {
      const list = subsOf.get(t.parentId) ?? [];
      list.push(t);
      subsOf.set(t.parentId, list);
    } else tops.push(t);
  }
  tops.sort(byName);
  for (const list of subsOf.values()) list.sort(byAttackId);

  const byKey = new Map<string, GridItem>();
  const shown: GridItem[] = [];
  const matches: GridItem[] = [];
  const columns = heatmap.tactics.map((tactic, col): GridColumn => {
    const items: GridItem[] = [];
    const push = (cell: HeatmapCell, match: boolean, subCount: number, expanded: boolean) => {
      const item: GridItem = {
        key: `${tactic.shortname}|${cell.id}`,
        cell,
        tactic: tactic.shortname,
        tacticName: tactic.name,
        col,
        row: items.length,
        subCount,
        expanded,
        match,
      };
      items.push(item);
      byKey.set(item.key, item);
      shown.push(item);
      if (match) matches.push(item);
    };
    const techniques = tops.filter((t) => t.tactics.includes(tactic.shortname));
    for (const technique of techniques) {
      const subs = (subsOf.get(technique.id) ?? []).filter((s) => s.tactics.includes(tactic.shortname));
      const subMatches = searching ? subs.filter((s) => matchesQuery(s, options.query)) : [];
      const match = searching && matchesQuery(technique, options.query);
      if (searching && options.onlyMatches && !match && subMatches.length === 0) continue;
      const expanded =
        subs.length > 0 && (options.expandAll || options.expanded.has(technique.id) || subMatches.length > 0);
      push(technique, match, subs.length, expanded);
      if (!expanded) continue;
      for (const sub of searching && options.onlyMatches ? subMatches : subs)
        push(sub, subMatches.includes(sub), 0, false);
    }
    return { shortname: tactic.shortname, name: tactic.name, items, techniqueCount: techniques.length };
  });
  return { columns, byKey, shown, matches };
}

const PAGE = 10;

/**
 * The roving focus's next cell for a key (the grid pattern of WAI-ARIA APG, on a matrix whose
 * columns differ in length): arrows move within a column or to the next non-empty column's same row
 * (its last row when shorter); Home/End go to the row's first/last column, with Ctrl to the grid's
 * first/last cell; PageUp/PageDown move ten rows. Null: not a navigation key, or nowhere to go.
 */
export function nextKey(
  layout: GridLayout,
  current: string | null,
  key: string,
  ctrl = false,
): string | null {
  const cols = layout.columns.filter((c) => c.items.length > 0);
  if (cols.length === 0) return null;
  const here = current ? layout.byKey.get(current) : undefined;
  const colIndex = here ? cols.findIndex((c) => c.items.includes(here)) : -1;
  if (!here || colIndex < 0) return cols[0]?.items[0]?.key ?? null;
  const at = (c: number, r: number) => {
    const items = (cols[c] as GridColumn).items;
    return (items[Math.max(0, Math.min(r, items.length - 1))] as GridItem).key;
  };
  const last = cols.length - 1;
  switch (key) {
    case 'ArrowUp':
      return at(colIndex, here.row - 1);
    case 'ArrowDown':
      return at(colIndex, here.row + 1);
    case 'PageUp':
      return at(colIndex, here.row - PAGE);
    case 'PageDown':
      return at(colIndex, here.row + PAGE);
    case 'ArrowLeft':
      return at(Math.max(0, colIndex - 1), here.row);
    case 'ArrowRight':
      return at(Math.min(last, colIndex + 1), here.row);
    case 'Home':
      return ctrl ? at(0, 0) : at(0, here.row);
    case 'End':
      return ctrl ? at(last, Number.MAX_SAFE_INTEGER) : at(last, here.row);
    default:
      return null;
  }
}

/** The keys from `anchor` to `to` in the grid's reading order (column by column), both included. */
export function rangeKeys(layout: GridLayout, anchor: string, to: string): string[] {
  const a = layout.shown.findIndex((i) => i.key === anchor);
  const b = layout.shown.findIndex((i) => i.key === to);
  if (a < 0 || b < 0) return [to];
  return layout.shown.slice(Math.min(a, b), Math.max(a, b) + 1).map((i) => i.key);
}
