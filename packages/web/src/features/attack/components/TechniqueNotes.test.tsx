import type { Role, Technique } from '@aegis/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, meQueryKey } from '../../../app/auth';
import { me } from '../../../test/me';
import { attackKeys, useTechnique } from '../api';
import { TechniqueNotes } from './TechniqueNotes';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const technique = (notes: string) =>
  ({
    id: '20000000-0000-4000-8000-000000000001',
    attackId: 'T1003',
    name: 'OS Credential Dumping',
    notes,
  }) as Technique;

/** The technique as the page holds it: from the query cache, which a save updates. */
function CachedTechnique() {
  const { data } = useTechnique('T1003');
  return data ? <TechniqueNotes technique={data} /> : null;
}

/** Signed in as `role`; the session and the technique are already cached, so nothing is fetched. */
function renderNotes(role: Role, notes = 'Watch **lsass** access.') {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
  });
  client.setQueryData(meQueryKey, me(role));
  client.setQueryData(attackKeys.technique('T1003'), technique(notes));
  return render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <CachedTechnique />
      </AuthProvider>
    </QueryClientProvider>,
  );
}

const respond = (status: number, body: unknown) =>
  vi.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }),
  );

describe('TechniqueNotes', () => {
  it.each<[Role, boolean]>([
    ['viewer', false],
    ['red_tech', false],
    ['blue_tech', false],
    ['red_lead', true],
    ['blue_lead', true],
    ['admin', true],
  ])('%s sees the rendered notes; may edit them: %s', (role, mayEdit) => {
    renderNotes(role);
    expect(screen.getByText('lsass').tagName).toBe('STRONG');
    expect(screen.queryByRole('button', { name: 'Edit notes' }) !== null).toBe(mayEdit);
  });

  it('tells readers when there are no notes, and offers leads to add some', () => {
    renderNotes('viewer', '');
    expect(screen.getByText('No notes yet.')).toBeTruthy();
    cleanup();
    renderNotes('red_lead', '');
    expect(screen.getByRole('button', { name: 'Add notes' })).toBeTruthy();
  });

  it('saves the edited notes with PATCH and shows the saved value', async () => {
    const fetch = respond(200, technique('Seen by the **EDR** since May.'));
    vi.stubGlobal('fetch', fetch);
    renderNotes('red_lead');
    fireEvent.click(screen.getByRole('button', { name: 'Edit notes' }));
    const form = screen.getByRole('form', { name: 'Edit notes' });
    const field = within(form).getByLabelText('Notes (Markdown)');
    expect(field).toHaveProperty('value', 'Watch **lsass** access.');
    fireEvent.change(field, { target: { value: 'Seen by the **EDR** since May.' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save notes' }));

    await screen.findByText('Notes saved.');
    expect(fetch).toHaveBeenCalledTimes(1);
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('/api/v1/techniques/20000000-0000-4000-8000-000000000001');
    expect(init?.method).toBe('PATCH');
    expect(JSON.parse(String(init?.body))).toEqual({ notes: 'Seen by the **EDR** since May.' });
    expect(screen.queryByRole('form')).toBeNull();
    expect(screen.getByText('EDR').tagName).toBe('STRONG');
    expect(screen.queryByText('lsass')).toBeNull();
    expect(screen.getByRole('button', { name: 'Edit notes' })).toBeTruthy();
  });

  it("shows the server's validation error next to the field, in words", async () => {
    vi.stubGlobal(
      'fetch',
      respond(400, {
        error: {
          code: 'validation_error',
          message: 'body.notes: Too big: expected string to have <=20000 characters',
          details: {
            issues: [{ path: 'body.notes', message: 'Too big: expected string to have <=20000 characters' }],
          },
        },
      }),
    );
    renderNotes('blue_lead');
    fireEvent.click(screen.getByRole('button', { name: 'Edit notes' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save notes' }));
    const field = screen.getByLabelText('Notes (Markdown)');
    await waitFor(() => expect(field.getAttribute('aria-invalid')).toBe('true'));
    expect(screen.getByText('Too big: expected string to have <=20000 characters')).toBeTruthy();
    expect(screen.queryByText('Notes saved.')).toBeNull();
  });

  it('refuses notes over the limit before sending them', () => {
    const fetch = respond(200, {});
    vi.stubGlobal('fetch', fetch);
    renderNotes('admin');
    fireEvent.click(screen.getByRole('button', { name: 'Edit notes' }));
    fireEvent.change(screen.getByLabelText('Notes (Markdown)'), { target: { value: 'x'.repeat(20_001) } });
    expect(screen.getByText('Notes can be at most 20,000 characters.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save notes' })).toHaveProperty('disabled', true);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('says why a save failed when it is not a field error', async () => {
    vi.stubGlobal('fetch', respond(403, { error: { code: 'forbidden', message: 'Forbidden' } }));
    renderNotes('red_lead');
    fireEvent.click(screen.getByRole('button', { name: 'Edit notes' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save notes' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The notes were not saved: You do not have permission to do this.',
    );
  });
});
