import type { TechniqueScore } from '@aegis/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createMemoryHistory, createRootRoute, createRouter, RouterProvider } from '@tanstack/react-router';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TechniqueScorePanel } from './TechniqueScorePanel';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const fig = (value: number | null) => ({
  value,
  display: value === null ? null : Math.round(value * 10) / 10,
});
const TEST_ID = '10000000-0000-4000-8000-000000000001';

/**
 * Worked example 2 of analysis spec §1.4, T1566.001: one Windows procedure detected 120 days ago, no
 * deployed rule, C = 16.2, no D3FEND inventory; S_own = 59.96 over the applicable weight 85.
 */
function example2(): TechniqueScore {
  const w = 85;
  const cT = 2 / 3;
  const cF = (365 - 120) / (365 - 30);
  const points = (weight: number, v: number) => fig((100 * weight * v) / w);
  return {
    id: '20000000-0000-4000-8000-000000000001',
    attackId: 'T1566.001',
    name: 'Spearphishing Attachment',
    isSubtechnique: true,
    parent: { id: '20000000-0000-4000-8000-000000000002', attackId: 'T1566', name: 'Phishing' },
    tactics: ['initial-access'],
    platforms: ['Linux', 'macOS', 'Windows'],
    coverageStatus: 'partial',
    ownScore: fig((40 * cT + 20 * 0.5 + 15 * cF + 10 / 3) / 0.85),
    aggregateScore: fig((40 * cT + 20 * 0.5 + 15 * cF + 10 / 3) / 0.85),
    configVersion: 4,
    computedAt: '2026-12-03T14:05:39.694Z',
    applicableWeight: w,
    components: {
      tests: {
        value: cT,
        weight: 40,
        applicable: true,
        points: points(40, cT),
        results: [
          {
            id: TEST_ID,
            title: 'Macro document opens a shell',
            procedureKey: 'template:abc',
            platform: 'windows',
            attackPlatform: 'Windows',
            outcome: 'detected',
            value: cT,
            executionStartedAt: '2026-08-05T10:00:00.000Z',
            validatedAt: '2026-08-06T10:00:00.000Z',
          },
        ],
      },
      rules: {
        value: 0.5,
        weight: 20,
        applicable: true,
        points: points(20, 0.5),
        deployed: 0,
        catalog: 16.2,
        deployedSat: 3,
        catalogSat: 5,
        groups: [
          { source: 'sigma', status: 'stable', deployed: false, count: 1, weight: 1 },
          { source: 'sigma', status: 'test', deployed: false, count: 16, weight: 0.6 },
          { source: 'sigma', status: 'experimental', deployed: false, count: 2, weight: 0.3 },
          { source: 'elastic', status: 'production', deployed: false, count: 5, weight: 1 },
        ],
      },
      d3fend: {
        value: null,
        weight: 15,
        applicable: false,
        points: fig(null),
        mode: 'inventory',
        mapped: 25,
        implemented: 0,
        partial: 0,
        saturation: 3,
        notAssessed: true,
      },
      freshness: {
        value: cF,
        weight: 15,
        applicable: true,
        points: points(15, cF),
        ageDays: 120,
        newestSuccessAt: '2026-08-05T10:00:00.000Z',
        newestSuccessId: TEST_ID,
        graceDays: 30,
        staleDays: 365,
      },
      platform: {
        value: 1 / 3,
        weight: 10,
        applicable: true,
        points: points(10, 1 / 3),
        relevant: ['Linux', 'macOS', 'Windows'],
        covered: ['Windows'],
      },
    },
    warnings: [],
    rollup: 'average',
    subtechniques: [],
  };
}

/** The panel for `attackId`, its one request answered with `status` and `body`. */
async function renderPanel(status: number, body: unknown) {
  const urls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }),
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const rootRoute = createRootRoute({
    component: () => (
      <QueryClientProvider client={client}>
        <TechniqueScorePanel attackId="T1566.001" platforms={['Linux', 'macOS', 'Windows']} />
      </QueryClientProvider>
    ),
  });
  const router = createRouter({
    routeTree: rootRoute,
    history: createMemoryHistory({ initialEntries: ['/'] }),
  });
  render(<RouterProvider router={router as never} />);
  return urls;
}

const cells = (row: HTMLElement) => [
  ...[...row.querySelectorAll('th, td')].map((c) => c.textContent?.trim()),
];

describe('TechniqueScorePanel', () => {
  it('shows worked example 2: the own score, each component’s value, weight and points', async () => {
    const urls = await renderPanel(200, example2());
    expect(await screen.findByTestId('own-score')).toHaveProperty('textContent', '60.0');
    expect(urls).toEqual(['/api/v1/scores/techniques/T1566.001']);
    expect(cells(screen.getByTestId('component-tests'))).toEqual(['Validated tests', '0.667', '40', '31.4']);
    expect(cells(screen.getByTestId('component-rules'))).toEqual(['Detection rules', '0.500', '20', '11.8']);
    expect(cells(screen.getByTestId('component-freshness'))).toEqual(['Freshness', '0.731', '15', '12.9']);
    expect(cells(screen.getByTestId('component-platform'))).toEqual([
      'Platform diversity',
      '0.333',
      '10',
      '3.9',
    ]);
    // D3FEND is left out, greyed, with why; its weight is not in the denominator.
    const d3fend = screen.getByTestId('component-d3fend');
    expect(d3fend.dataset.applicable).toBe('false');
    expect(cells(d3fend)).toEqual([
      'D3FEND countermeasuresNot applicable: no D3FEND inventory yet',
      '—',
      '(15)',
      '—',
    ]);
    expect(screen.getByTestId('applicable-weight').textContent).toBe('85');
    expect(screen.getByTestId('score-config-version').textContent).toBe('v4');
  });

  it('lays out the inputs each value comes from', async () => {
    await renderPanel(200, example2());
    const tests = await screen.findByTestId('inputs-tests');
    const row = within(tests).getByTestId('counted-test');
    expect(within(row).getByRole('link', { name: 'Macro document opens a shell' }).getAttribute('href')).toBe(
      `/tests/${TEST_ID}`,
    );
    expect(row.textContent).toContain('Detected');
    expect(tests.textContent).toContain('Mean of the values: 0.667 ÷ 1 = 0.667');
    const rules = screen.getByTestId('inputs-rules');
    expect(rules.textContent).toContain('0.5 × min(1, 16.2 ÷ 5) = 0.500');
    expect(within(rules).getAllByTestId('rule-group')).toHaveLength(4);
    expect(screen.getByTestId('inputs-freshness').textContent).toContain(
      '(365 − 120.0) ÷ (365 − 30) = 0.731',
    );
    expect(screen.getByTestId('freshness-age').textContent).toBe('120.0 days');
    expect(screen.getByTestId('inputs-platform').textContent).toContain('1 of 3 relevant: 1 ÷ 3 = 0.333');
    expect(screen.getByTestId('inputs-d3fend').textContent).toContain('25 countermeasures are mapped');
    expect(screen.getByText(/A sub-technique: its own score counts in the aggregate of/)).toBeTruthy();
    expect(screen.queryByTestId('aggregate-score')).toBeNull();
  });

  it('lists a parent’s sub-techniques and how the aggregate is taken over them', async () => {
    const parent: TechniqueScore = {
      ...example2(),
      attackId: 'T1059',
      name: 'Command and Scripting Interpreter',
      isSubtechnique: false,
      parent: null,
      ownScore: fig(17.5),
      aggregateScore: fig((17.5 + 72.5 + 55) / 3),
      subtechniques: [
        {
          id: '30000000-0000-4000-8000-000000000001',
          attackId: 'T1059.001',
          name: 'PowerShell',
          ownScore: fig(72.5),
        },
        {
          id: '30000000-0000-4000-8000-000000000003',
          attackId: 'T1059.003',
          name: 'Windows Command Shell',
          ownScore: fig(55),
        },
      ],
    };
    await renderPanel(200, parent);
    expect((await screen.findByTestId('aggregate-score')).textContent).toBe('48.3');
    expect(screen.getByTestId('rollup-phrase').textContent).toBe(
      'average of itself and its 2 sub-techniques',
    );
    expect(screen.getByText(/\(17\.5 \+ 72\.5 \+ 55\.0\) ÷ 3 = 48\.3/)).toBeTruthy();
    expect(screen.getAllByTestId('aggregate-member').map((r) => r.textContent)).toEqual([
      'T1059 Command and Scripting Interpreter (itself)17.5',
      'T1059.001 PowerShell72.5',
      'T1059.003 Windows Command Shell55.0',
    ]);
  });

  it('says a technique outside the platform scope is not scored, greyed', async () => {
    await renderPanel(404, {
      error: {
        code: 'not_found',
        message:
          "Score of T1595: it is outside the organisation's platform scope or not active, so it is not scored; technique not found",
        requestId: 'r1',
      },
    });
    const text = await screen.findByTestId('score-not-scored');
    expect(text.textContent).toContain('Out of scope.');
    expect(text.textContent).toContain('(Linux, macOS, Windows)');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
