import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { ToolRow } from '../format';

/** Per defensive tool, its MTTD in minutes as a horizontal bar, the value at its end (ADR 24). */
export function ToolMttdChart({ rows }: { rows: readonly ToolRow[] }) {
  const data = rows.map((r) => ({ tool: r.tool, mttd: r.mttdMinutes === '' ? null : Number(r.mttdMinutes) }));
  return (
    <ResponsiveContainer width="100%" height={Math.max(120, 44 * data.length + 40)}>
      <BarChart
        data={data}
        layout="vertical"
        margin={{ top: 4, right: 48, bottom: 4, left: 8 }}
        accessibilityLayer={false}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" horizontal={false} />
        <XAxis
          type="number"
          tick={{ fontSize: 11, fill: '#475569' }}
          label={{
            value: 'minutes',
            position: 'insideBottomRight',
            offset: -2,
            fontSize: 11,
            fill: '#475569',
          }}
        />
        <YAxis type="category" dataKey="tool" width={120} tick={{ fontSize: 12, fill: '#334155' }} />
        <Bar dataKey="mttd" name="MTTD (minutes)" fill="#0369a1" isAnimationActive={false} barSize={22}>
          <LabelList dataKey="mttd" position="right" style={{ fontSize: 12, fill: '#0f172a' }} />
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}
