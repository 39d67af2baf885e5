import { Bar, LabelList } from 'recharts';
import type { FunnelRow } from '../workflow';
import { HorizontalBarChart } from './HorizontalBarChart';

/**
 * The pipeline funnel: of the tests created in the period, how many reached each step, as
 * horizontal bars with the count and the share of the step before at their end (ADR 24).
 */
export function FunnelChart({ rows }: { rows: readonly FunnelRow[] }) {
  const data = rows.map((r) => ({
    step: r.step,
    tests: r.tests,
    label: r.sharePercent === '' ? String(r.tests) : `${r.tests} (${r.sharePercent}%)`,
  }));
  return (
    <HorizontalBarChart
      data={data}
      categoryKey="step"
      unit="tests"
      counts
      categoryWidth={136}
      rightMargin={96}
      height={44 * data.length + 40}
    >
      <Bar dataKey="tests" name="Tests" fill="#0369a1" isAnimationActive={false} barSize={24}>
        <LabelList dataKey="label" position="right" style={{ fontSize: 12, fill: '#0f172a' }} />
      </Bar>
    </HorizontalBarChart>
  );
}
