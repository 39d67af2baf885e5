import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartTable } from '../../metrics/format';

/** The two scores, told apart by colour and by dash (not by colour alone). */
const SERIES = [
  { dataKey: 'score', name: 'Score (equal weights)', stroke: '#0369a1' },
  { dataKey: 'threat', name: 'Threat-weighted', stroke: '#b45309', strokeDasharray: '6 3' },
] as const;

/**
 * The organisation score at each snapshot, equal and threat-weighted, drawn from the rows of its
 * table (ADR 24: Recharts, this lazily loaded page only). A snapshot without a score leaves a gap.
 */
export function ScoreTrendChart({ table }: { table: ChartTable }) {
  const num = (v: string | number | undefined) => (v === '' || v === undefined ? null : Number(v));
  const data = table.body.map((row) => ({
    taken: String(row[0]).slice(0, 16),
    score: num(row[2]),
    threat: num(row[3]),
  }));
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={data} margin={{ top: 8, right: 16, bottom: 0, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="taken" tick={{ fontSize: 11, fill: '#475569' }} interval="preserveStartEnd" />
        <YAxis
          // From 0 up to the next ten above the highest score: a low score still shows its moves.
          domain={[0, (max: number) => Math.min(100, Math.max(10, Math.ceil(max / 10) * 10))]}
          tickCount={6}
          allowDecimals={false}
          tick={{ fontSize: 11, fill: '#475569' }}
          label={{ value: 'Score', angle: -90, position: 'insideLeft', fontSize: 11, fill: '#475569' }}
        />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {SERIES.map((line) => (
          <Line key={line.dataKey} dot={{ r: 3 }} strokeWidth={2} isAnimationActive={false} {...line} />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
