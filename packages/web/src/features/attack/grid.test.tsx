import { describe, expect, it } from 'vitest';
import { sampleHeatmap } from './fixtures.test-data';
import { buildGrid, type GridOptions, matchesQuery, nextKey, rangeKeys } from './grid';

const none: GridOptions = { expanded: new Set(), expandAll: false, query: '', onlyMatches: false };
const ids = (items: { cell: { attackId: string | null } }[]) => items.map((i) => i.cell.attackId);

describe('buildGrid', () => {
  it('puts each technique under each of its tactics, by name, sub-techniques hidden until expanded', () => {
    const grid = buildGrid(sampleHeatmap(), none);
    expect(grid.columns.map((c) => ids(c.items))).toEqual([
      ['T1566', 'T1078'],
      ['T1059', 'T1203', 'T1078'],
      ['T1110', 'T1003'],
    ]);
    expect(grid.columns[2]?.items[1]).toMatchObject({ subCount: 2, expanded: false });
  });

  it('shows sub-techniques by id under an expanded technique, or everywhere with expand all', () => {
    const heatmap = sampleHeatmap();
    const parent = heatmap.techniques.find((t) => t.attackId === 'T1003')?.id as string;
    expect(ids(buildGrid(heatmap, { ...none, expanded: new Set([parent]) }).columns[2]?.items ?? [])).toEqual(
      ['T1110', 'T1003', 'T1003.001', 'T1003.002'],
    );
    expect(buildGrid(heatmap, { ...none, expandAll: true }).shown).toHaveLength(9);
  });
});

describe('search', () => {
  it('matches ids and names, sub-techniques included, ignoring case', () => {
    expect(matchesQuery({ attackId: 'T1003.001', name: 'LSASS Memory' }, 'lsass')).toBe(true);
    expect(matchesQuery({ attackId: 'T1003.001', name: 'LSASS Memory' }, 't1003.00')).toBe(true);
    expect(matchesQuery({ attackId: 'T1003', name: 'OS Credential Dumping' }, 'lsass')).toBe(false);
    expect(matchesQuery({ attackId: 'T1003', name: 'x' }, '  ')).toBe(false);
  });

  it('finds "LSASS" in a sub-technique and expands its parent to show it', () => {
    const grid = buildGrid(sampleHeatmap(), { ...none, query: 'LSASS' });
    expect(ids(grid.matches)).toEqual(['T1003.001']);
    expect(ids(grid.columns[2]?.items ?? [])).toEqual(['T1110', 'T1003', 'T1003.001', 'T1003.002']);
  });

  it('with "show only matches" keeps the matches and the techniques holding them', () => {
    const grid = buildGrid(sampleHeatmap(), { ...none, query: 'lsass', onlyMatches: true });
    expect(ids(grid.shown)).toEqual(['T1003', 'T1003.001']);
    const byName = buildGrid(sampleHeatmap(), { ...none, query: 'valid', onlyMatches: true });
    expect(byName.shown.map((i) => `${i.cell.attackId}@${i.tactic}`)).toEqual([
      'T1078@initial-access',
      'T1078@execution',
    ]);
  });
});

describe('range selection', () => {
  it('takes the cells between two in reading order', () => {
    const grid = buildGrid(sampleHeatmap(), none);
    const [a, b] = [grid.columns[0]?.items[1]?.key, grid.columns[1]?.items[1]?.key] as [string, string];
    expect(rangeKeys(grid, b, a).map((k) => grid.byKey.get(k)?.cell.attackId)).toEqual([
      'T1078',
      'T1059',
      'T1203',
    ]);
  });
});

describe('nextKey', () => {
  const grid = buildGrid(sampleHeatmap(), none);
  const key = (col: number, row: number) => grid.columns[col]?.items[row]?.key as string;
  const at = (k: string | null) => {
    const item = k ? grid.byKey.get(k) : undefined;
    return item ? [item.col, item.row] : null;
  };

  it.each([
    ['ArrowDown', [0, 0], [0, 1]],
    ['ArrowDown', [0, 1], [0, 1]],
    ['ArrowUp', [0, 0], [0, 0]],
    ['ArrowRight', [0, 1], [1, 1]],
    ['ArrowRight', [1, 2], [2, 1]],
    ['ArrowRight', [2, 0], [2, 0]],
    ['ArrowLeft', [1, 2], [0, 1]],
    ['Home', [2, 1], [0, 1]],
    ['End', [0, 0], [2, 0]],
    ['PageDown', [1, 0], [1, 2]],
  ] as const)('%s from %j goes to %j', (k, [c, r], expected) => {
    expect(at(nextKey(grid, key(c, r), k))).toEqual(expected);
  });

  it('Ctrl+Home and Ctrl+End go to the first and last cell; other keys do nothing', () => {
    expect(at(nextKey(grid, key(1, 1), 'Home', true))).toEqual([0, 0]);
    expect(at(nextKey(grid, key(0, 0), 'End', true))).toEqual([2, 1]);
    expect(nextKey(grid, key(0, 0), 'a')).toBeNull();
  });

  it('skips empty columns', () => {
    const filtered = buildGrid(sampleHeatmap(), { ...none, query: 'e', onlyMatches: true });
    const first = filtered.columns.find((c) => c.items.length > 0)?.items[0]?.key ?? null;
    expect(nextKey(filtered, null, 'ArrowDown')).toBe(first);
  });
});
