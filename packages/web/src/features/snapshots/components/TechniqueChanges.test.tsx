import type { Classification, ComparedTechnique, CoverageStatus } from '@aegis/contracts';
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TechniqueChanges } from './TechniqueChanges';

afterEach(cleanup);

const components = { tests: null, rules: null, d3fend: null, freshness: null, platform: null };
const side = (attackId: string, status: CoverageStatus, score: number | null) => ({
  attackId,
  name: attackId,
  status,
  inScope: true,
  score,
  components,
});
const compared = (
  attackId: string,
  classification: Classification,
  from: ComparedTechnique['from'],
  to: ComparedTechnique['to'],
  movedTo: ComparedTechnique['movedTo'] = null,
): ComparedTechnique => ({
  stixId: `attack-pattern--${attackId}`,
  attackId,
  name: `Technique ${attackId}`,
  tactics: ['persistence'],
  isSubtechnique: attackId.includes('.'),
  classification,
  movedTo,
  from,
  to,
  delta: from?.score != null && to?.score != null ? to.score - from.score : null,
});

// The analysis spec's worked example (§4.4), in the server's order: what got worse first.
const techniques = [
  compared(
    'T1059.001',
    'regressed',
    side('T1059.001', 'validated', 72.5),
    side('T1059.001', 'validated', 60.1),
  ),
  compared('T1566.001', 'improved', side('T1566.001', 'partial', 40), side('T1566.001', 'validated', 60)),
  compared('T1486', 'newly_tested', side('T1486', 'untested', 11.8), side('T1486', 'not_covered', 11.8)),
  compared('T1574.002', 'moved', side('T1574.002', 'validated', 30), side('T1574.001', 'validated', 30), {
    stixId: 'attack-pattern--T1574.001',
    attackId: 'T1574.001',
    name: 'DLL',
  }),
  compared('T1677', 'added', null, side('T1677', 'untested', 0)),
];

async function renderChanges(show?: Classification, includesUnchanged = false) {
  const rootRoute = createRootRoute({
    component: () => (
      <TechniqueChanges techniques={techniques} show={show} includesUnchanged={includesUnchanged} />
    ),
  });
  const router = createRouter({
    routeTree: rootRoute,
    history: createMemoryHistory({ initialEntries: ['/'] }),
  });
  render(<RouterProvider router={router as never} />);
  // The router renders on its first load, a tick later.
  await waitFor(() => expect(document.body.textContent).not.toBe(''));
}

const rows = () => screen.queryAllByTestId('compared-technique');
const cells = (row: HTMLElement) => [...row.querySelectorAll('td')].map((td) => td.textContent);

describe('TechniqueChanges', () => {
  it('shows each change: ids linked, status and score from → to, the signed move', async () => {
    await renderChanges();
    expect(rows().map((r) => cells(r))).toEqual([
      ['T1059.001', 'Technique T1059.001', 'Regressed', 'Validated→toValidated', '72.5 →to 60.1', '−12.4'],
      ['T1566.001', 'Technique T1566.001', 'Improved', 'Partial→toValidated', '40.0 →to 60.0', '+20.0'],
      ['T1486', 'Technique T1486', 'Newly tested', 'Untested→toNot covered', '11.8 →to 11.8', '0.0'],
      [
        'T1574.002 → T1574.001',
        'Technique T1574.002now DLL',
        'Moved',
        'Validated→toValidated',
        '30.0 →to 30.0',
        '0.0',
      ],
      ['T1677', 'Technique T1677', 'Added', '—→toUntested', '— →to 0.0', '—'],
    ]);
    const moved = rows()[3] as HTMLElement;
    expect(within(moved).getByRole('link', { name: 'T1574.002' }).getAttribute('href')).toBe(
      '/techniques/T1574.002',
    );
    expect(within(moved).getByRole('link', { name: 'T1574.001' }).getAttribute('href')).toBe(
      '/techniques/T1574.001',
    );
  });

  it('lists only the classification asked for', async () => {
    await renderChanges('moved');
    expect(rows()).toHaveLength(1);
    expect(rows()[0]?.textContent).toContain('T1574.002 → T1574.001');
  });

  it('says why a classification shows nothing', async () => {
    await renderChanges('removed');
    expect(screen.getByText('No technique is removed between these two.')).toBeTruthy();
    cleanup();
    await renderChanges('unchanged');
    expect(screen.getByText(/listed when “Include unchanged techniques” is ticked/)).toBeTruthy();
  });
});
