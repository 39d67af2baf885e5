import { cleanup, render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Column } from './DataTable';
import { VirtualTable } from './VirtualTable';

// happy-dom has no layout: give the scroll area a laptop-sized box and every row 40 px.
beforeAll(() => {
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    const height = this.tagName === 'TR' ? 40 : 720;
    return {
      x: 0,
      y: 0,
      top: 0,
      left: 0,
      right: 1200,
      bottom: height,
      width: 1200,
      height,
      toJSON: () => ({}),
    };
  });
  for (const prop of ['offsetHeight', 'clientHeight'] as const)
    vi.spyOn(HTMLElement.prototype, prop, 'get').mockImplementation(function (this: HTMLElement) {
      return this.tagName === 'TR' ? 40 : 720;
    });
});
afterAll(() => vi.restoreAllMocks());
afterEach(cleanup);

interface Row {
  id: string;
  name: string;
}
const rowsOf = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, name: `Row ${i}` }));
const columns: Column<Row>[] = [{ header: 'Name', cell: (r) => r.name }];

function renderTable(
  rows: Row[],
  props: { total?: number; totalEstimated?: boolean; hasMore?: boolean; loadingMore?: boolean } = {},
) {
  const loadMore = vi.fn();
  render(
    <VirtualTable
      label="Things"
      columns={columns}
      rows={rows}
      rowKey={(r) => r.id}
      rowTestId="row"
      total={props.total ?? rows.length}
      totalEstimated={props.totalEstimated}
      hasMore={props.hasMore ?? false}
      loadingMore={props.loadingMore ?? false}
      loadMore={loadMore}
    />,
  );
  return { loadMore };
}

describe('VirtualTable', () => {
  it('renders only the rows in view, not all 5,000, inside a labelled scroll area', () => {
    renderTable(rowsOf(5000));
    const region = screen.getByRole('region', { name: 'Things' });
    const rendered = within(region).getAllByTestId('row');
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(60);
    expect(rendered[0]?.textContent).toBe('Row 0');
    // Screen readers hear the whole size: header row + 5,000 rows, and each row's place in it.
    expect(within(region).getByRole('table').getAttribute('aria-rowcount')).toBe('5001');
    expect(rendered[0]?.getAttribute('aria-rowindex')).toBe('2');
    screen.getByText('5,000 of 5,000 loaded');
  });

  it('asks for the next page when the loaded rows end within view', () => {
    const { loadMore } = renderTable(rowsOf(20), { total: 500, hasMore: true });
    expect(screen.getAllByTestId('row')).toHaveLength(20);
    expect(loadMore).toHaveBeenCalled();
    screen.getByText('20 of 500 loaded');
  });

  it('says when the total is an estimate', () => {
    renderTable(rowsOf(20), { total: 48_000, totalEstimated: true, hasMore: true });
    screen.getByText('20 of ≈ 48,000 loaded');
  });

  it('does not ask again while a page is loading, nor when everything is loaded', () => {
    expect(
      renderTable(rowsOf(20), { total: 500, hasMore: true, loadingMore: true }).loadMore,
    ).not.toHaveBeenCalled();
    cleanup();
    expect(renderTable(rowsOf(20)).loadMore).not.toHaveBeenCalled();
  });

  it('does not ask for more while the end of the loaded rows is far below the view', () => {
    expect(renderTable(rowsOf(400), { total: 1000, hasMore: true }).loadMore).not.toHaveBeenCalled();
  });
});
