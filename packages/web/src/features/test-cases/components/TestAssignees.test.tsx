import type { Role, TestCase, TestState } from '@aegis/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, meQueryKey } from '../../../app/auth';
import { me } from '../../../test/me';
import { TestAssignees } from './TestAssignees';

const ME = '00000000-0000-4000-8000-000000000009';
const RITA = { id: '00000000-0000-4000-8000-000000000001', username: 'rita', displayName: 'Rita' };
const TEST_ID = '10000000-0000-4000-8000-000000000001';

const testCase = (state: TestState, over: Partial<TestCase> = {}) =>
  ({ id: TEST_ID, state, assignedRed: RITA, assignedBlue: null, ...over }) as TestCase;

let requests: { method: string; path: string; body: unknown }[];
beforeEach(() => {
  requests = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = new URL(String(input), 'http://aegis.test');
    const method = init?.method ?? 'GET';
    requests.push({
      method,
      path: `${url.pathname}${url.search}`,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    });
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/api/v1/users/assignable')
      return json({
        items:
          url.searchParams.get('side') === 'red'
            ? [{ ...RITA, role: 'red_tech' }]
            : [
                {
                  id: '00000000-0000-4000-8000-000000000002',
                  username: 'bob',
                  displayName: 'Bob',
                  role: 'blue_tech',
                },
              ],
      });
    if (url.pathname === `/api/v1/tests/${TEST_ID}/take`)
      return json(
        testCase('draft', { assignedBlue: { id: ME, username: 'blue_tech', displayName: 'blue_tech' } }),
      );
    return json(testCase('draft'));
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function renderFor(role: Role, test: TestCase) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(meQueryKey, me(role, ME));
  return render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <TestAssignees test={test} />
      </AuthProvider>
    </QueryClientProvider>,
  );
}

describe('TestAssignees', () => {
  it('lets a lead choose either side, sending the PATCH of that side only', async () => {
    renderFor('red_lead', testCase('red_executing'));
    const blue = screen.getByLabelText('Blue person') as HTMLSelectElement;
    await waitFor(() =>
      expect([...blue.options].map((o) => o.text)).toEqual(['Unassigned', 'Bob (blue tech)']),
    );
    expect((screen.getByLabelText('Red person') as HTMLSelectElement).value).toBe(RITA.id);
    fireEvent.change(blue, { target: { value: '00000000-0000-4000-8000-000000000002' } });
    await waitFor(() => expect(requests.some((r) => r.method === 'PATCH')).toBe(true));
    expect(requests.find((r) => r.method === 'PATCH')).toEqual({
      method: 'PATCH',
      path: `/api/v1/tests/${TEST_ID}`,
      body: { assignedBlueId: '00000000-0000-4000-8000-000000000002' },
    });
  });

  it("offers a tech to take its own team's free side, and nothing else", async () => {
    renderFor('blue_tech', testCase('red_executing'));
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(within(screen.getByTestId('assignee-red')).queryByRole('button')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Take the blue side' }));
    await waitFor(() =>
      expect(requests).toContainEqual({
        method: 'POST',
        path: `/api/v1/tests/${TEST_ID}/take`,
        body: { side: 'blue' },
      }),
    );
  });

  it('shows names only once the test is in review or decided, and to viewers', () => {
    for (const [role, state] of [
      ['red_lead', 'validated'],
      ['blue_tech', 'in_review'],
      ['viewer', 'draft'],
    ] as const) {
      const { unmount } = renderFor(role, testCase(state));
      expect(screen.queryByRole('combobox')).toBeNull();
      expect(screen.queryByRole('button')).toBeNull();
      expect(screen.getByTestId('assignee-red').textContent).toContain('Rita');
      expect(screen.getByTestId('assignee-blue').textContent).toContain('Unassigned');
      unmount();
    }
  });
});
