import type { TechniqueSummary } from '@aegis/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rankTechniques, type TechniqueChoice, TechniquePicker } from './TechniquePicker';

let n = 0;
function technique(attackId: string, name: string, parent?: string): TechniqueSummary {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    attackId,
    stixId: `attack-pattern--${n}`,
    domain: 'enterprise-attack',
    name,
    tactics: ['execution'],
    platforms: ['Windows'],
    isSubtechnique: parent !== undefined,
    parent: parent
      ? { id: '00000000-0000-4000-8000-999999999999', attackId: attackId.slice(0, 5), name: parent }
      : null,
    subtechniqueCount: 0,
    deprecated: false,
    revoked: false,
    version: '1.0',
    modified: null,
    coverageStatus: 'untested',
    reviewRequired: false,
  };
}

// In ATT&CK order, as the API answers: the first two match "powershell" in their descriptions only.
const catalog = [
  technique('T1003', 'OS Credential Dumping'),
  technique('T1027', 'Obfuscated Files or Information'),
  technique('T1059', 'Command and Scripting Interpreter'),
  technique('T1059.001', 'PowerShell', 'Command and Scripting Interpreter'),
  technique('T1546.013', 'PowerShell Profile', 'Event Triggered Execution'),
];

describe('rankTechniques', () => {
  it('puts the exact id, then id prefixes, then names before description-only matches', () => {
    const byId = rankTechniques(catalog, 't1059').map((t) => t.attackId);
    expect(byId.slice(0, 2)).toEqual(['T1059', 'T1059.001']);
    const byName = rankTechniques(catalog, 'powershell').map((t) => t.attackId);
    expect(byName).toEqual(['T1059.001', 'T1546.013', 'T1003', 'T1027', 'T1059']);
  });

  it('matches sub-techniques by their parent name after their own name', () => {
    const ranked = rankTechniques(catalog, 'scripting').map((t) => t.attackId);
    expect(ranked.slice(0, 2)).toEqual(['T1059', 'T1059.001']);
  });

  it('leaves out techniques already chosen', () => {
    const ranked = rankTechniques(catalog, 'powershell', new Set(['T1059.001']));
    expect(ranked.map((t) => t.attackId)).not.toContain('T1059.001');
  });
});

function Harness({
  multiple = true,
  initial = [],
  onChange,
}: {
  multiple?: boolean;
  initial?: TechniqueChoice[];
  onChange?: (v: TechniqueChoice[]) => void;
}) {
  const [value, setValue] = useState<TechniqueChoice[]>(initial);
  return (
    <TechniquePicker
      label="Techniques"
      multiple={multiple}
      value={value}
      onChange={(next) => {
        setValue(next);
        onChange?.(next);
      }}
    />
  );
}

function renderPicker(props: Parameters<typeof Harness>[0] = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <Harness {...props} />
    </QueryClientProvider>,
  );
}

describe('TechniquePicker', () => {
  let requests: URL[];
  beforeEach(() => {
    requests = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
      const url = new URL(String(input), 'http://aegis.test');
      requests.push(url);
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const items = catalog.filter(
        (t) =>
          t.attackId?.toLowerCase().startsWith(q) || t.name.toLowerCase().includes(q) || q === 'powershell',
      );
      return new Response(JSON.stringify({ items, total: items.length, limit: 500, offset: 0 }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    });
  });
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
  });

  it('searches the knowledge base and chooses the best match with the keyboard', async () => {
    const onChange = vi.fn();
    renderPicker({ onChange });
    const input = screen.getByRole('combobox', { name: 'Techniques' });
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'powershell' } });

    const first = await screen.findByRole('option', { name: /T1059\.001/ });
    expect(first.getAttribute('aria-selected')).toBe('true');
    expect(requests.at(-1)?.pathname).toBe('/api/v1/techniques');
    expect(requests.at(-1)?.searchParams.get('q')).toBe('powershell');
    expect(input.getAttribute('aria-expanded')).toBe('true');

    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(screen.getByRole('option', { name: /T1546\.013/ }).getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'ArrowUp' });
    fireEvent.keyDown(input, { key: 'Enter' });

    expect(onChange).toHaveBeenLastCalledWith([
      { attackId: 'T1059.001', name: 'Command and Scripting Interpreter: PowerShell' },
    ]);
    expect(screen.getByTestId('technique-chip').textContent).toContain('T1059.001');
    expect((input as HTMLInputElement).value).toBe('');
  });

  it('chooses with the mouse and removes with the chip button or Backspace', async () => {
    const onChange = vi.fn();
    renderPicker({ onChange, initial: [{ attackId: 'T1003', name: 'OS Credential Dumping' }] });
    const input = screen.getByRole('combobox', { name: 'Techniques' });
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 't1027' } });
    fireEvent.click(await screen.findByRole('option', { name: /T1027/ }));
    expect(onChange).toHaveBeenLastCalledWith([
      { attackId: 'T1003', name: 'OS Credential Dumping' },
      { attackId: 'T1027', name: 'Obfuscated Files or Information' },
    ]);

    fireEvent.click(screen.getByRole('button', { name: 'Remove T1003' }));
    expect(onChange).toHaveBeenLastCalledWith([
      { attackId: 'T1027', name: 'Obfuscated Files or Information' },
    ]);
    fireEvent.keyDown(input, { key: 'Backspace' });
    expect(onChange).toHaveBeenLastCalledWith([]);
  });

  it('adds a typed ATT&CK id the search does not know, and a pasted list of ids', async () => {
    const onChange = vi.fn();
    renderPicker({ onChange });
    const input = screen.getByRole('combobox', { name: 'Techniques' });
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 't9999' } });
    await screen.findByText(/No live technique matches “t9999”\. Press Enter to add it as typed\./);
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onChange).toHaveBeenLastCalledWith([{ attackId: 'T9999' }]);

    fireEvent.change(input, { target: { value: 'T1059.001, t1105 T9999' } });
    expect(onChange).toHaveBeenLastCalledWith([
      { attackId: 'T9999' },
      { attackId: 'T1059.001' },
      { attackId: 'T1105' },
    ]);
  });

  it('asks for more text before searching by name', async () => {
    renderPicker();
    const input = screen.getByRole('combobox', { name: 'Techniques' });
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'p' } });
    expect(screen.getByText(/at least two letters/)).toBeTruthy();
    await new Promise((r) => setTimeout(r, 300));
    expect(requests).toHaveLength(0);
  });

  it('holds one technique in single mode, with a clear button that gives the input back', async () => {
    const onChange = vi.fn();
    renderPicker({ multiple: false, onChange, initial: [{ attackId: 'T1059.001' }] });
    expect(screen.queryByRole('combobox')).toBeNull();
    expect(screen.getByRole('group', { name: 'Techniques' }).textContent).toContain('T1059.001');

    fireEvent.click(screen.getByRole('button', { name: 'Clear techniques' }));
    expect(onChange).toHaveBeenLastCalledWith([]);
    const input = await screen.findByRole('combobox', { name: 'Techniques' });
    await waitFor(() => expect(document.activeElement).toBe(input));

    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'T1003' } });
    await screen.findByRole('option', { name: /T1003/ });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(onChange).toHaveBeenLastCalledWith([{ attackId: 'T1003', name: 'OS Credential Dumping' }]);
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Clear techniques' })),
    );
  });
});
