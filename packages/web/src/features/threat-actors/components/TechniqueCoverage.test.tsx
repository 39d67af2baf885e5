import type { CoverageStatus, TechniqueUse } from '@aegis/contracts';
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TechniqueCoverage } from './TechniqueCoverage';

afterEach(cleanup);

let seq = 0;
const use = (attackId: string, name: string, coverageStatus: CoverageStatus, tactics = ['execution']) => ({
  id: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
  attackId,
  name,
  coverageStatus,
  tactics,
});

// Out of order on purpose; T1003.006 must sort after T1003 and T1059 after both (numeric ids).
const techniques: TechniqueUse[] = [
  use('T1059', 'Command and Scripting Interpreter', 'partial'),
  use('T1003.006', 'DCSync', 'validated', ['credential-access']),
  use('T1550', 'Use Alternate Authentication Material', 'untested', ['defense-evasion', 'lateral-movement']),
  use('T1003', 'OS Credential Dumping', 'validated', ['credential-access']),
  use('T1134.005', 'SID-History Injection', 'not_covered', ['privilege-escalation']),
];

// The server's counts: of the in-scope techniques only, which here leaves out one validated one.
const serverCounts = { counts: { validated: 1, partial: 1, not_covered: 1, untested: 1 }, total: 4 };

/** The table needs a router for its technique links. */
async function renderTable(
  rows: readonly TechniqueUse[] = techniques,
  /** null: the server has not answered yet. */
  coverage: typeof serverCounts | null = serverCounts,
) {
  const rootRoute = createRootRoute({
    component: () => (
      <TechniqueCoverage
        techniques={rows}
        coverage={coverage ?? undefined}
        countsNote={<p>Counts: 4 in-scope techniques; 1 out of scope</p>}
        subject="this group"
      />
    ),
  });
  const router = createRouter({
    routeTree: rootRoute,
    history: createMemoryHistory({ initialEntries: ['/'] }),
  });
  render(<RouterProvider router={router as never} />);
  await screen.findByRole('heading', { name: `Techniques (${rows.length})` });
}

const shownIds = () =>
  screen.queryAllByTestId('technique-use').map((row) => row.querySelector('td')?.textContent);
const sortBy = (column: RegExp) => fireEvent.click(screen.getByRole('button', { name: column }));
const filter = (label: RegExp) => screen.getByRole('button', { name: label });

describe('TechniqueCoverage', () => {
  it('lists every technique by ATT&CK id, linked to its page, with its tactics and coverage', async () => {
    await renderTable();
    expect(shownIds()).toEqual(['T1003', 'T1003.006', 'T1059', 'T1134.005', 'T1550']);
    const row = screen.getAllByTestId('technique-use')[4] as HTMLElement;
    expect(within(row).getByRole('link', { name: 'Use Alternate Authentication Material' })).toHaveProperty(
      'pathname',
      '/techniques/T1550',
    );
    expect(row.textContent).toContain('defense-evasion, lateral-movement');
    expect(row.textContent).toContain('Untested');
    expect(screen.getByRole('img', { name: '1 of 4 techniques validated' })).toBeTruthy();
    expect(screen.getByText('Counts: 4 in-scope techniques; 1 out of scope')).toBeTruthy();
  });

  it('shows a dash for each count and no bar until the server has counted', async () => {
    await renderTable(techniques, null);
    expect(filter(/^Validated/).textContent).toBe('Validated–');
    expect(screen.queryByRole('img', { name: /techniques validated$/ })).toBeNull();
    expect(shownIds()).toHaveLength(5);
  });

  it('sorts by name or coverage, and reverses on a second click', async () => {
    await renderTable();
    sortBy(/^Technique/);
    expect(shownIds()).toEqual(['T1059', 'T1003.006', 'T1003', 'T1134.005', 'T1550']);
    expect(screen.getByRole('button', { name: /^Technique\W+sorted ascending$/ })).toBeTruthy();
    sortBy(/^Technique/);
    expect(shownIds()).toEqual(['T1550', 'T1134.005', 'T1003', 'T1003.006', 'T1059']);
    expect(screen.getByRole('button', { name: /^Technique\W+sorted descending$/ })).toBeTruthy();
    // Coverage in the legend's order (validated first), ties by ATT&CK id; a new column starts ascending.
    sortBy(/^Coverage/);
    expect(shownIds()).toEqual(['T1003', 'T1003.006', 'T1059', 'T1134.005', 'T1550']);
    sortBy(/^Coverage/);
    expect(shownIds()).toEqual(['T1550', 'T1134.005', 'T1059', 'T1003.006', 'T1003']);
  });

  it('filters by coverage status, each with the server’s count, and says when nothing has it', async () => {
    await renderTable();
    // The count is the server's (in scope); the filter shows every listed technique with the status.
    expect(filter(/^Validated/).textContent).toBe('Validated1');
    expect(filter(/^Validated/).getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(filter(/^Validated/));
    expect(filter(/^Validated/).getAttribute('aria-pressed')).toBe('true');
    expect(shownIds()).toEqual(['T1003', 'T1003.006']);
    fireEvent.click(filter(/^Not covered/));
    expect(shownIds()).toEqual(['T1134.005']);
    fireEvent.click(filter(/^Not covered/));
    expect(shownIds()).toHaveLength(5);
    fireEvent.click(filter(/^In progress/));
    expect(screen.getByText('No technique of this group is in progress.')).toBeTruthy();
  });

  it('explains an empty list', async () => {
    await renderTable([]);
    expect(screen.getByText('No technique is attributed to this group.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
