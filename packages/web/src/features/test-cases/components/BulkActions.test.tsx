import type { BulkTestResponse } from '@aegis/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BulkActions, type Selection } from './BulkActions';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const idOf = (n: number) => `10000000-0000-4000-8000-00000000000${n}`;
const RITA = {
  id: '00000000-0000-4000-8000-000000000001',
  username: 'rita',
  displayName: 'Rita',
  role: 'red_tech',
};
const BOB = {
  id: '00000000-0000-4000-8000-000000000002',
  username: 'bob',
  displayName: 'Bob',
  role: 'blue_tech',
};

/** Three tests selected on the list. */
function Page({ canStart = true }: { canStart?: boolean }) {
  const [selection, setSelection] = useState<Selection>(
    new Map([1, 2, 3].map((n) => [idOf(n), `Test ${n}`])),
  );
  return <BulkActions selection={selection} onClear={() => setSelection(new Map())} canStart={canStart} />;
}

/** The bar over three selected tests; the API answers the pickers and `bulk`. Returns the bulk bodies sent. */
async function renderBar(bulk: BulkTestResponse, canStart = true) {
  const sent: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const json = (body: unknown) =>
        new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
      if (url.startsWith('/api/v1/users/assignable?side=red')) return json({ items: [RITA] });
      if (url.startsWith('/api/v1/users/assignable?side=blue')) return json({ items: [BOB] });
      if (url === '/api/v1/tests/bulk') {
        sent.push(JSON.parse(String(init?.body)));
        return json(bulk);
      }
      return new Response('{}', { status: 404 });
    }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const rootRoute = createRootRoute({
    component: () => (
      <QueryClientProvider client={client}>
        <Page canStart={canStart} />
      </QueryClientProvider>
    ),
  });
  const router = createRouter({
    routeTree: rootRoute,
    history: createMemoryHistory({ initialEntries: ['/'] }),
  });
  render(<RouterProvider router={router as never} />);
  await screen.findByRole('toolbar', { name: 'Bulk actions' });
  return sent;
}

describe('BulkActions', () => {
  it('assigns the red person only, then reports each test that did not go through by title', async () => {
    const sent = await renderBar({
      results: [
        { id: idOf(1), status: 'done', message: 'Assigned (red: Rita (rita))' },
        { id: idOf(2), status: 'skipped', message: 'Already assigned (red: Rita (rita))' },
        { id: idOf(3), status: 'failed', message: 'A test in state validated cannot be reassigned' },
      ],
      done: 1,
      skipped: 1,
      failed: 1,
    });
    expect(screen.getByText('3 selected')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Assign…' }));
    const form = screen.getByRole('form', { name: 'Assign the selected tests' });
    const submit = within(form).getByRole('button', { name: 'Assign 3 tests' });
    expect(submit).toHaveProperty('disabled', true);
    const red = within(form).getByLabelText('Red person');
    await waitFor(() => expect(within(red).getByRole('option', { name: 'Rita (red tech)' })).toBeTruthy());
    fireEvent.change(red, { target: { value: RITA.id } });
    fireEvent.click(submit);

    const report = await screen.findByTestId('bulk-report');
    expect(sent).toEqual([{ action: 'assign', assignedRedId: RITA.id, ids: [idOf(1), idOf(2), idOf(3)] }]);
    expect(report.closest('[role="status"]')).toBeTruthy();
    expect(report.textContent).toContain('Assignment: 1 done, 1 skipped, 1 failed');
    expect(
      within(report)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      'Skipped: Test 2 — Already assigned (red: Rita (rita))',
      'Failed: Test 3 — A test in state validated cannot be reassigned',
    ]);
    expect(within(report).getByRole('link', { name: 'Test 3' }).getAttribute('href')).toBe(
      `/tests/${idOf(3)}`,
    );
    // The selection is cleared with the bar; the report stays until dismissed.
    expect(screen.queryByRole('toolbar')).toBeNull();
    fireEvent.click(within(report).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByTestId('bulk-report')).toBeNull();
  });

  it('unassigns a side with "Unassigned", and starts execution in one click', async () => {
    const sent = await renderBar({ results: [], done: 3, skipped: 0, failed: 0 });
    fireEvent.click(screen.getByRole('button', { name: 'Assign…' }));
    fireEvent.change(screen.getByLabelText('Blue person'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Assign 3 tests' }));
    await screen.findByText('Assignment: 3 done, 0 skipped, 0 failed');
    expect(sent[0]).toEqual({ action: 'assign', assignedBlueId: null, ids: [idOf(1), idOf(2), idOf(3)] });
    cleanup();

    const again = await renderBar({ results: [], done: 3, skipped: 0, failed: 0 });
    fireEvent.click(screen.getByRole('button', { name: 'Start execution' }));
    await screen.findByText('Start execution: 3 done, 0 skipped, 0 failed');
    expect(again[0]).toEqual({ action: 'start_execution', ids: [idOf(1), idOf(2), idOf(3)] });
  });

  it('offers no "Start execution" to a role that may not start it (a blue lead)', async () => {
    await renderBar({ results: [], done: 0, skipped: 0, failed: 0 }, false);
    expect(screen.getByRole('button', { name: 'Assign…' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start execution' })).toBeNull();
  });
});
