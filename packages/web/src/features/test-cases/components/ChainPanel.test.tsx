import type { TestCase, TestCaseSummary } from '@aegis/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChainPanel } from './ChainPanel';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ROOT = '10000000-0000-4000-8000-000000000000';
const idOf = (n: number) => `10000000-0000-4000-8000-00000000000${n}`;
const summary = (n: number, state: TestCaseSummary['state'], outcome: TestCaseSummary['outcome']) =>
  ({ id: n === 0 ? ROOT : idOf(n), retestNumber: n, state, outcome }) as TestCaseSummary;

/** Renders the panel for test `n` of a chain whose API answer is `items`; returns the URLs asked. */
async function renderChain(n: number, items: TestCaseSummary[]) {
  const urls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ items, total: items.length, limit: 50, offset: 0 }), {
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  const test = { id: n === 0 ? ROOT : idOf(n), chain: { rootId: ROOT, retestOfId: null, retestNumber: n } };
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const rootRoute = createRootRoute({
    component: () => (
      <QueryClientProvider client={client}>
        <ChainPanel test={test as TestCase} />
      </QueryClientProvider>
    ),
  });
  const router = createRouter({
    routeTree: rootRoute,
    history: createMemoryHistory({ initialEntries: ['/'] }),
  });
  render(<RouterProvider router={router as never} />);
  await waitFor(() => expect(urls).toHaveLength(1));
  return urls;
}

describe('ChainPanel', () => {
  it('lists the first test and its re-tests in order, linking the others and marking this one', async () => {
    const urls = await renderChain(1, [
      summary(0, 'validated', 'logged'),
      summary(1, 'validated', 'not_detected'),
      summary(2, 'draft', null),
    ]);
    expect(urls[0]).toBe(`/api/v1/tests?chain=${ROOT}&sort=retestNumber&order=asc&limit=50`);
    const items = await screen.findAllByTestId('chain-test');
    expect(items.map((li) => li.textContent)).toEqual([
      'First testLoggedValidated',
      'Re-test #1 (this test)Not detectedValidated',
      'Re-test #2—Draft',
    ]);
    expect(screen.getByText('Re-test #1 (this test)').getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('link', { name: 'First test' }).getAttribute('href')).toBe(`/tests/${ROOT}`);
    expect(screen.getByRole('link', { name: 'Re-test #2' }).getAttribute('href')).toBe(`/tests/${idOf(2)}`);
  });

  it('shows nothing for a test that was never re-tested', async () => {
    await renderChain(0, [summary(0, 'in_review', 'detected')]);
    await waitFor(() => expect(screen.queryByText('Re-test chain')).toBeNull());
    expect(screen.queryAllByTestId('chain-test')).toHaveLength(0);
  });
});
