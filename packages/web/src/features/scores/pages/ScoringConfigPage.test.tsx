import type { Role, ScoringConfigRecord } from '@aegis/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthProvider, meQueryKey } from '../../../app/auth';
import { me } from '../../../test/me';
import { scoreKeys } from '../api';
import { ScoringConfigPage } from './ScoringConfigPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const record: ScoringConfigRecord = {
  version: 3,
  values: {
    weights: { tests: 40, rules: 20, d3fend: 15, freshness: 15, platform: 10 },
    outcomeValues: { prevented: 1, detected: 0.6, logged: 0.3, not_detected: 0 },
    ruleDeployedSat: 3,
    ruleCatalogSat: 5,
    d3fendSat: 3,
    graceDays: 30,
    staleDays: 365,
    d3fendMode: 'inventory',
    rollup: 'average',
    actorIncludeSoftware: false,
    ruleStatusWeights: { sigma: { stable: 1, test: 0.6 } },
  },
  sources: {
    'weights.tests': 'api',
    'weights.rules': 'default',
    'weights.d3fend': 'default',
    'weights.freshness': 'default',
    'weights.platform': 'default',
    outcomeValues: 'default',
    ruleDeployedSat: 'default',
    ruleCatalogSat: 'default',
    d3fendSat: 'default',
    graceDays: 'default',
    staleDays: 'env',
    d3fendMode: 'default',
    rollup: 'default',
    actorIncludeSoftware: 'default',
    ruleStatusWeights: 'default',
  },
  updatedAt: '2026-12-03T14:00:00.000Z',
  updatedBy: { id: '00000000-0000-4000-8000-000000000009', username: 'ada', displayName: 'Ada Admin' },
};

/** Signed in as `role` with the configuration cached; `fetch` answers any request with `status`/`body`. */
function renderPage(role: Role, answer?: { status: number; body: unknown }) {
  const requests: { url: string; init?: RequestInit }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      requests.push({ url, init });
      return new Response(JSON.stringify(answer?.body ?? {}), {
        status: answer?.status ?? 200,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false, staleTime: Number.POSITIVE_INFINITY } },
  });
  client.setQueryData(meQueryKey, me(role));
  client.setQueryData(scoreKeys.config, record);
  render(
    <QueryClientProvider client={client}>
      <AuthProvider>
        <ScoringConfigPage />
      </AuthProvider>
    </QueryClientProvider>,
  );
  return requests;
}

const weight = (name: string) => screen.getByRole('spinbutton', { name }) as HTMLInputElement;

describe('ScoringConfigPage', () => {
  it('shows each value with where it came from, the version and who changed it', () => {
    renderPage('admin');
    expect(screen.getByTestId('config-version').textContent).toBe('3');
    expect(screen.getByText(/changed by Ada Admin/)).toBeTruthy();
    expect(weight('Validated tests').value).toBe('40');
    const badges = screen.getAllByTestId('config-source').map((b) => b.textContent);
    // The legend's three, then one per value: tests came from the API, staleDays from env.
    expect(badges.slice(0, 4)).toEqual(['default', 'env', 'API', 'API']);
    expect(badges.filter((b) => b === 'env')).toHaveLength(2);
  });

  it('sums the weights live and warns, without refusing, when they do not make 100', () => {
    renderPage('admin');
    expect(screen.getByTestId('weight-sum').textContent).toBe('100');
    expect(screen.queryByTestId('weight-sum-warning')).toBeNull();
    fireEvent.change(weight('Validated tests'), { target: { value: '100' } });
    expect(screen.getByTestId('weight-sum').textContent).toBe('160');
    expect(screen.getByTestId('weight-sum-warning').textContent).toContain('only their ratios matter');
    expect(screen.getByRole('button', { name: 'Save and recompute' })).toHaveProperty('disabled', false);
  });

  it('sends the whole configuration and shows the server’s refusal next to the field', async () => {
    const requests = renderPage('admin', {
      status: 400,
      body: {
        error: {
          code: 'validation_error',
          message: 'Invalid request',
          details: {
            issues: [
              {
                path: 'body.weights.rules',
                message: 'the rules weight must be a whole number from 0 to 100',
              },
              { path: 'body.graceDays', message: 'graceDays must be less than staleDays' },
            ],
          },
          requestId: 'r1',
        },
      },
    });
    fireEvent.change(weight('Detection rules'), { target: { value: '2.5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save and recompute' }));
    await waitFor(() => expect(requests).toHaveLength(1));
    const message = await screen.findByText('the rules weight must be a whole number from 0 to 100');
    expect(weight('Detection rules').getAttribute('aria-describedby')).toBe(message.id);
    expect(weight('Detection rules').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('graceDays must be less than staleDays')).toBeTruthy();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('/api/v1/scores/config');
    expect(requests[0]?.init?.method).toBe('PUT');
    const body = JSON.parse(String(requests[0]?.init?.body));
    expect(body).toEqual({ ...record.values, weights: { ...record.values.weights, rules: 2.5 } });
  });

  it('is read-only for a lead', () => {
    const requests = renderPage('blue_lead');
    expect(screen.getByTestId('config-read-only')).toBeTruthy();
    expect(weight('Validated tests').closest('fieldset')?.disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save and recompute' })).toBeNull();
    expect(requests).toHaveLength(0);
  });

  it('is not for a viewer or a technician', async () => {
    for (const role of ['viewer', 'red_tech'] as const) {
      renderPage(role);
      await waitFor(() =>
        expect(screen.getByRole('alert').textContent).toBe('Only leads and admins can open this page.'),
      );
      expect(screen.queryByRole('spinbutton')).toBeNull();
      cleanup();
    }
  });
});
