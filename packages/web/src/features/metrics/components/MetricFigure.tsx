import type { ReactNode } from 'react';
import { isLowSample, NONE, type Trend } from '../format';

const ARROWS = { up: '▲', down: '▼', flat: '▬' } as const;

/**
 * The arrow beside a figure: up, down or flat against the previous period, green when the move is
 * good news and red when it is not (times: lower is better). The arrow is decoration; a screen
 * reader hears the direction and the previous value in words.
 */
export function TrendArrow({ trend, previous }: { trend: Trend; previous: string }) {
  const colour =
    trend.better === null ? 'text-slate-500' : trend.better ? 'text-emerald-700' : 'text-red-700';
  return (
    <span data-testid="trend" data-direction={trend.direction} className={`text-sm ${colour}`}>
      <span aria-hidden="true">
        {ARROWS[trend.direction]} <span className="text-slate-600">prev. {previous}</span>
      </span>
      <span className="sr-only">{trend.words}</span>
    </span>
  );
}

/**
 * One metric: its value (large on the executive page), what it counts, and a "low sample" label
 * with the value greyed when fewer than five samples stand behind it (spec §2.3). A null value
 * shows "—" (spec §0.8).
 */
export function MetricFigure({
  label,
  value,
  n,
  basis,
  trend,
  testId,
  size = 'normal',
}: {
  label: string;
  value: string;
  /** Samples behind the value; omit for figures with no sample size (velocity). */
  n?: number;
  /** A line under the value: "12 detections", "3 of 4 results". */
  basis?: ReactNode;
  trend?: ReactNode;
  testId?: string;
  size?: 'normal' | 'headline';
}) {
  const low = value !== NONE && n !== undefined && isLowSample(n);
  return (
    <div data-testid={testId} className="metric-card rounded-md border border-slate-200 bg-slate-50 p-3">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</p>
      <p
        className={`font-semibold tabular-nums ${size === 'headline' ? 'text-4xl' : 'text-2xl'} ${low ? 'text-slate-500' : 'text-slate-900'}`}
      >
        <span data-testid="metric-value">{value}</span>
        {low && (
          <span
            data-testid="low-sample"
            className="ml-2 whitespace-nowrap rounded bg-slate-200 px-1.5 py-0.5 align-middle text-xs font-medium text-slate-700"
          >
            low sample
          </span>
        )}
      </p>
      {trend && <p className="mt-1">{trend}</p>}
      {basis && (
        <p data-testid="metric-basis" className="mt-1 text-xs text-slate-600">
          {basis}
        </p>
      )}
    </div>
  );
}
