import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { buildItem, buildLayer, twoStepRevoked } from '../layer-fixtures';
import { LayerPreview } from './LayerPreview';

afterEach(cleanup);

const SCRIPT = '<script>window.pwned = true</script>';
const IMG = '<img src=x onerror="window.pwned = true">';

const layer = buildLayer({
  name: `Pins ${IMG}`,
  description: `Least likely <b>technique</b> ${SCRIPT}`,
  counts: {
    entries: 3,
    active: 1,
    revoked: 1,
    deprecated: 0,
    unknown: 1,
    tacticDropped: 1,
    collisions: 0,
    claimed: 2,
  },
  items: [
    buildItem({ position: 0, originalTechniqueId: 'T1059', comment: 'plain' }),
    twoStepRevoked(1),
    buildItem({
      position: 2,
      originalTechniqueId: 'T1685',
      attackId: null,
      techniqueId: null,
      resolution: 'unknown',
      tactic: null,
      claimed: false,
      comment: SCRIPT,
      warnings: ['TECHNIQUE_UNKNOWN'],
    }),
  ],
  warnings: [
    {
      code: 'TACTIC_NOT_APPLICABLE',
      message: 'T1574.001 is not in defense-evasion (after T1073 → T1574.002 → T1574.001)',
      entry: 1,
    },
    { code: 'TECHNIQUE_UNKNOWN', message: 'T1685 is not in ATT&CK 18.1', entry: 2 },
  ],
});

async function renderPreview() {
  const rootRoute = createRootRoute({ component: () => <LayerPreview layer={layer} /> });
  const router = createRouter({
    routeTree: rootRoute,
    history: createMemoryHistory({ initialEntries: ['/'] }),
  });
  render(<RouterProvider router={router as never} />);
  await waitFor(() => expect(screen.getByTestId('layer-preview')).toBeTruthy());
}

describe('a layer preview', () => {
  it('shows markup from the file as text, never as HTML', async () => {
    await renderPreview();
    const preview = screen.getByTestId('layer-preview');
    expect(preview.querySelector('script')).toBeNull();
    expect(preview.querySelector('img')).toBeNull();
    expect(preview.querySelector('b')).toBeNull();
    expect(screen.getByRole('heading', { level: 3 }).textContent).toBe(`Pins ${IMG}`);
    expect(screen.getByTestId('layer-description').textContent).toBe(
      `Least likely <b>technique</b> ${SCRIPT}`,
    );
    expect(screen.getByTestId('item-comment').textContent).toBe(SCRIPT);
    expect(preview.innerHTML).toContain('&lt;script&gt;window.pwned = true&lt;/script&gt;');
    expect((window as { pwned?: boolean }).pwned).toBeUndefined();
  });

  it('shows the counts, the warnings by code with the entries they name, and the unresolved entries', async () => {
    await renderPreview();
    const counts = screen.getByTestId('preview-counts');
    expect(within(counts).getByTestId('count-entries').querySelector('dd')?.textContent).toBe('3');
    expect(within(counts).getByTestId('count-revoked').textContent).toContain('revoked → resolved');

    const groups = screen.getAllByTestId('warning-group');
    expect(groups.map((g) => g.dataset.code)).toEqual(['TECHNIQUE_UNKNOWN', 'TACTIC_NOT_APPLICABLE']);
    const dropped = within(groups[1] as HTMLElement);
    expect(dropped.getByRole('heading').textContent).toContain('Tactic dropped');
    expect(dropped.getByTestId('warning-chain').textContent).toBe('T1073 → T1574.002 → T1574.001');
    expect(dropped.getByTestId('warning-entry').textContent).toContain('defense-evasion → all tactics');

    const unresolved = screen.getByRole('region', {
      name: 'Unresolved entries of Pins <img src=x onerror="window.pwned = true">',
    });
    expect(
      within(unresolved)
        .getAllByTestId('claimed-item')
        .map((r) => r.querySelector('td')?.textContent),
    ).toEqual(['3']);
    expect(within(unresolved).getByTestId('item-resolution').textContent).toBe('Unknown');
  });
});
