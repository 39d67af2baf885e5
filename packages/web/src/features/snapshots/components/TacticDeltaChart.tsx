import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  ReferenceLine,
  ResponsiveContainer,
  XAxis,
  YAxis,
} from 'recharts';
import type { ChartTable } from '../../metrics/format';

/**
 * Each tactic's score move as a horizontal bar, left of zero when it fell and right when it rose,
 * drawn from the rows of its table (ADR 24: Recharts, this lazily loaded page only).
 */
export function TacticDeltaChart({ table }: { table: ChartTable }) {
  const data = table.body.map(([tactic, , , delta]) => ({
    tactic: String(tactic),
    delta: delta === '' ? null : Number(delta),
  }));
  const extent = Math.max(1, ...data.map((d) => Math.abs(d.delta ?? 0)));
  return (
    <ResponsiveContainer width="100%" height={Math.max(120, 26 * data.length + 40)}>
      <BarChart
        data={data}
        layout="vertical"
        margin={{ top: 4, right: 48, bottom: 4, left: 8 }}
        accessibilityLayer={false}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" horizontal={false} />
        <XAxis
          type="number"
          domain={[-extent, extent]}
          tickFormatter={(v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1))}
          tick={{ fontSize: 11, fill: '#475569' }}
        />
        <YAxis type="category" dataKey="tactic" width={170} tick={{ fontSize: 12, fill: '#334155' }} />
        <ReferenceLine x={0} stroke="#64748b" />
        <Bar dataKey="delta" name="Δ score" isAnimationActive={false} barSize={16}>
          {data.map((d) => (
            <Cell key={d.tactic} fill={(d.delta ?? 0) < 0 ? '#b91c1c' : '#047857'} />
          ))}
          <LabelList dataKey="delta" position="right" style={{ fontSize: 11, fill: '#0f172a' }} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
