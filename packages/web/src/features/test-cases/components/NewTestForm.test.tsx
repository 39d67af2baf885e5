import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NewTestForm, platformChoices } from './NewTestForm';

const techniques: Record<string, { tactics: string[]; platforms: string[]; name: string }> = {
  'T1059.001': { name: 'PowerShell', tactics: ['execution'], platforms: ['Windows'] },
  T1053: {
    name: 'Scheduled Task/Job',
    tactics: ['execution', 'persistence'],
    platforms: ['Windows', 'Linux', 'PRE'],
  },
};
const people = {
  red: [
    { id: '00000000-0000-4000-8000-000000000001', username: 'rita', displayName: 'Rita', role: 'red_tech' },
  ],
  blue: [
    { id: '00000000-0000-4000-8000-000000000002', username: 'bob', displayName: 'Bob', role: 'blue_tech' },
  ],
};

let posted: unknown[];
beforeEach(() => {
  posted = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = new URL(String(input), 'http://aegis.test');
    const json = (body: unknown, status = 200) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/api/v1/platforms')
      return json({
        items: [
          { name: 'Linux', inScope: true, techniqueCount: 354 },
          { name: 'PRE', inScope: false, techniqueCount: 92 },
          { name: 'Windows', inScope: true, techniqueCount: 472 },
        ],
      });
    if (url.pathname === '/api/v1/tactics')
      return json({
        items: [
          { shortname: 'execution', name: 'Execution' },
          { shortname: 'persistence', name: 'Persistence' },
        ],
      });
    if (url.pathname === '/api/v1/users/assignable')
      return json({ items: people[url.searchParams.get('side') as 'red' | 'blue'] });
    const t = /^\/api\/v1\/techniques\/(.+)$/.exec(url.pathname);
    if (t?.[1]) {
      const found = techniques[decodeURIComponent(t[1])];
      return found
        ? json({ id: 'x', attackId: t[1], parent: null, ...found })
        : json({ error: { code: 'not_found', message: 'no', requestId: 'r' } }, 404);
    }
    if (url.pathname === '/api/v1/tests' && init?.method === 'POST') {
      posted.push(JSON.parse(String(init.body)));
      return json({ id: '10000000-0000-4000-8000-000000000001' }, 201);
    }
    return json({ error: { code: 'not_found', message: url.pathname, requestId: 'r' } }, 404);
  });
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function renderForm(props: { initialTechnique?: string; canAssign?: boolean } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const onCreated = vi.fn();
  render(
    <QueryClientProvider client={client}>
      <NewTestForm
        canAssign={props.canAssign ?? false}
        initialTechnique={props.initialTechnique}
        onCreated={onCreated}
      />
    </QueryClientProvider>,
  );
  return onCreated;
}

const select = (label: string) => screen.getByLabelText(label) as HTMLSelectElement;
const optionTexts = (s: HTMLSelectElement) => [...s.options].map((o) => o.text);

describe('platformChoices', () => {
  it("offers the scope, narrowed to the technique's platforms when it names some in scope", () => {
    expect(platformChoices(['Linux', 'Windows'], undefined)).toEqual(['Linux', 'Windows']);
    expect(platformChoices(['Linux', 'Windows'], ['Windows', 'PRE'])).toEqual(['Windows']);
    expect(platformChoices(['Linux', 'Windows'], ['PRE'])).toEqual(['Linux', 'Windows']);
  });
});

describe('NewTestForm', () => {
  it("defaults the tactic and the platform to the technique's only ones, and sends them", async () => {
    const onCreated = renderForm({ initialTechnique: 'T1059.001' });
    expect(screen.getByRole('group', { name: 'Technique' }).textContent).toContain('T1059.001');
    await waitFor(() => expect(select('Tactic').value).toBe('execution'));
    expect(optionTexts(select('Tactic'))).toEqual(['Execution']);
    await waitFor(() => expect(select('Platform').value).toBe('Windows'));
    expect(screen.queryByLabelText('Red person')).toBeNull();

    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Cradle' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create test' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(posted).toEqual([
      { technique: 'T1059.001', title: 'Cradle', description: '', tactic: 'execution', platform: 'Windows' },
    ]);
  });

  it('asks for the tactic when the technique has several, and offers only in-scope platforms', async () => {
    renderForm({ initialTechnique: 'T1053' });
    await waitFor(() =>
      expect(optionTexts(select('Tactic'))).toEqual(['Choose…', 'Execution', 'Persistence']),
    );
    expect(select('Tactic').value).toBe('');
    await waitFor(() => expect(optionTexts(select('Platform'))).toEqual(['Not set', 'Linux', 'Windows']));

    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Task' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create test' }));
    expect(await screen.findByText('Choose the tactic this test exercises.')).toBeTruthy();
    expect(posted).toEqual([]);
  });

  it('asks for a technique before sending, and offers the whole scope without one', async () => {
    renderForm();
    await waitFor(() => expect(optionTexts(select('Platform'))).toEqual(['Not set', 'Linux', 'Windows']));
    fireEvent.click(screen.getByRole('button', { name: 'Create test' }));
    expect(await screen.findByText('Choose the technique this test exercises.')).toBeTruthy();
    expect(posted).toEqual([]);
  });

  it('lets leads and admins pick the red and the blue person', async () => {
    const onCreated = renderForm({ initialTechnique: 'T1059.001', canAssign: true });
    await waitFor(() => expect(optionTexts(select('Red person'))).toEqual(['Unassigned', 'Rita (red tech)']));
    await waitFor(() =>
      expect(optionTexts(select('Blue person'))).toEqual(['Unassigned', 'Bob (blue tech)']),
    );
    fireEvent.change(select('Red person'), { target: { value: people.red[0]?.id } });
    fireEvent.change(select('Blue person'), { target: { value: people.blue[0]?.id } });
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Cradle' } });
    await waitFor(() => expect(select('Platform').value).toBe('Windows'));
    const form = screen.getByRole('form', { name: 'New test' });
    fireEvent.click(within(form).getByRole('button', { name: 'Create test' }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(posted[0]).toMatchObject({ assignedRedId: people.red[0]?.id, assignedBlueId: people.blue[0]?.id });
  });
});
