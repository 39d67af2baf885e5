import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { WeekRow } from '../format';

const num = (cell: string): number | null => (cell === '' ? null : Number(cell));

/**
 * MTTD (minutes, left axis) and detection efficacy (percent, right axis) week by week. Recharts,
 * so only the lazily loaded executive page imports it (ADR 24). Weeks without a value leave a gap.
 */
export function TrendChart({ rows }: { rows: readonly WeekRow[] }) {
  const data = rows.map((r) => ({
    week: r.bucket.replace(/^\d{4}-/, ''),
    mttd: num(r.mttdMinutes),
    efficacy: num(r.efficacyPercent),
  }));
  return (
    <ResponsiveContainer width="100%" height={280}>
      <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="week" tick={{ fontSize: 11, fill: '#475569' }} interval="preserveStartEnd" />
        <YAxis
          yAxisId="mttd"
          tick={{ fontSize: 11, fill: '#475569' }}
          label={{ value: 'MTTD (min)', angle: -90, position: 'insideLeft', fontSize: 11, fill: '#475569' }}
        />
        <YAxis
          yAxisId="efficacy"
          orientation="right"
          domain={[0, 100]}
          tick={{ fontSize: 11, fill: '#475569' }}
          label={{ value: 'Efficacy (%)', angle: 90, position: 'insideRight', fontSize: 11, fill: '#475569' }}
        />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line
          yAxisId="mttd"
          dataKey="mttd"
          name="MTTD (minutes)"
          stroke="#0369a1"
          strokeWidth={2}
          dot={{ r: 3 }}
          isAnimationActive={false}
        />
        <Line
          yAxisId="efficacy"
          dataKey="efficacy"
          name="Efficacy (%)"
          stroke="#b45309"
          strokeWidth={2}
          strokeDasharray="6 3"
          dot={{ r: 3 }}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
