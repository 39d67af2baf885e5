import type { DurationFigure, OperationalMetrics } from '@aegis/contracts';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareTrend } from '../format';
import { TrendArrow } from './MetricFigure';
import { MetricsSummary } from './MetricsSummary';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const fig = (value: number | null) => ({ value, display: value });
const none = { noTimestamp: 0, negative: 0, outlier: 0 };
const duration = (mean: number | null, n: number, unit: 'seconds' | 'days' = 'seconds'): DurationFigure => ({
  unit,
  mean: fig(mean),
  median: fig(mean),
  p90: fig(mean),
  n,
  excluded: none,
});

/** Worked example of spec §2.3: MTTD 410 s over 3 detections (a low sample), no fix completed yet. */
function metrics(): OperationalMetrics {
  return {
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-04-01T00:00:00.000Z',
    timezone: 'UTC',
    filters: {},
    mttd: duration(410, 3),
    mttdByTool: [],
    mttp: duration(null, 0),
    undetectedShare: { value: fig(0.25), numerator: 1, denominator: 4 },
    mttr: { ...duration(null, 0, 'days'), open: { n: 1, meanAgeDays: fig(12) } },
    mttv: duration(null, 0, 'days'),
    efficacy: {
      value: fig(0.75),
      numerator: 6,
      denominator: 8,
      split: { prevented: 2, detected: 4, logged: 1, not_detected: 1 },
    },
    expectationMet: { value: fig(null), numerator: 0, denominator: 0, withoutExpectation: 8 },
    alertFidelity: { value: fig(null), numerator: 0, denominator: 0 },
    velocity: { gross: 5, regressions: 1, net: 4 },
    configVersion: 1,
    computedAt: '2026-04-01T00:00:00.000Z',
  };
}

function renderSummary(body: unknown) {
  const fetch = vi.fn(
    async (_url: string) =>
      new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } }),
  );
  vi.stubGlobal('fetch', fetch);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <MetricsSummary />
    </QueryClientProvider>,
  );
  return fetch;
}

const card = (testId: string) => within(screen.getByTestId(testId));

describe('MetricsSummary', () => {
  it('asks for the last 90 days and shows dashes until the answer arrives', async () => {
    const fetch = renderSummary(metrics());
    expect(card('summary-mttd').getByTestId('metric-value').textContent).toBe('—');
    await waitFor(() =>
      expect(card('summary-efficacy').getByTestId('metric-value').textContent).toBe('75.0%'),
    );
    const url = new URL(String(fetch.mock.calls[0]?.[0]), 'http://x');
    expect(url.pathname).toBe('/api/v1/metrics/operational');
    const days =
      (Date.parse(url.searchParams.get('to') ?? '') - Date.parse(url.searchParams.get('from') ?? '')) /
      86_400_000;
    expect(days).toBe(90);
  });

  it('greys a figure over fewer than five samples as a low sample, and not one over more', async () => {
    renderSummary(metrics());
    await waitFor(() => expect(card('summary-mttd').getByTestId('metric-value').textContent).toBe('6.8 min'));
    expect(card('summary-mttd').getByTestId('low-sample').textContent).toBe('low sample');
    expect(card('summary-mttd').getByTestId('metric-value').parentElement?.className).toContain(
      'text-slate-500',
    );
    expect(card('summary-efficacy').queryByTestId('low-sample')).toBeNull();
    expect(card('summary-undetected').getByTestId('low-sample')).toBeTruthy();
  });

  it('shows an empty figure as "—", without a low-sample label', async () => {
    renderSummary(metrics());
    await waitFor(() =>
      expect(card('summary-efficacy').getByTestId('metric-value').textContent).toBe('75.0%'),
    );
    expect(card('summary-mttr').getByTestId('metric-value').textContent).toBe('—');
    expect(card('summary-mttr').queryByTestId('low-sample')).toBeNull();
    expect(card('summary-mttr').getByTestId('metric-basis').textContent).toBe('0 fixes; 1 open');
  });
});

describe('TrendArrow', () => {
  it('points down in green for a shorter MTTD and says the previous value to screen readers', () => {
    const trend = compareTrend(300, 600, { lowerIsBetter: true, previousText: '10.0 min' });
    render(<TrendArrow trend={trend} previous="10.0 min" />);
    const arrow = screen.getByTestId('trend');
    expect(arrow.dataset.direction).toBe('down');
    expect(arrow.className).toContain('text-emerald-700');
    expect(arrow.querySelector('[aria-hidden="true"]')?.textContent).toBe('▼ prev. 10.0 min');
    expect(arrow.querySelector('.sr-only')?.textContent).toBe(
      'down from 10.0 min in the previous period (better)',
    );
  });

  it('points down in red for a lower efficacy', () => {
    const trend = compareTrend(0.5, 0.75, { lowerIsBetter: false, previousText: '75.0%' });
    render(<TrendArrow trend={trend} previous="75.0%" />);
    const arrow = screen.getByTestId('trend');
    expect(arrow.dataset.direction).toBe('down');
    expect(arrow.className).toContain('text-red-700');
  });
});
