import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { coverageOrder, coverageStyles } from '../../../components/coverage';
import type { TacticCoverageRow } from '../coverage';

/** The swatch colours of `coverageStyles` (Tailwind 400s, slate-300), as values SVG can use. */
const fills = {
  validated: '#34d399',
  partial: '#fbbf24',
  not_covered: '#f87171',
  in_progress: '#38bdf8',
  untested: '#cbd5e1',
} as const;

/** Stacked bars: per tactic, its techniques by coverage status. Loaded lazily (recharts is large). */
export default function TacticCoverageChart({ rows }: { rows: TacticCoverageRow[] }) {
  return (
    <ResponsiveContainer width="100%" height={340}>
      <BarChart accessibilityLayer={false} data={rows} margin={{ top: 8, right: 8, bottom: 64, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="tactic" angle={-35} textAnchor="end" interval={0} tick={{ fontSize: 11 }} />
        <YAxis allowDecimals={false} tick={{ fontSize: 11 }} />
        <Tooltip />
        <Legend verticalAlign="top" height={28} wrapperStyle={{ fontSize: 12 }} />
        {coverageOrder.map((status) => (
          <Bar
            key={status}
            dataKey={status}
            name={coverageStyles[status].label}
            stackId="coverage"
            fill={fills[status]}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
