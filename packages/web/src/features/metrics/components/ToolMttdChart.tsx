import { Bar, LabelList } from 'recharts';
import type { ToolRow } from '../format';
import { HorizontalBarChart } from './HorizontalBarChart';

/** Per defensive tool, its MTTD in minutes as a horizontal bar, the value at its end (ADR 24). */
export function ToolMttdChart({ rows }: { rows: readonly ToolRow[] }) {
  const data = rows.map((r) => ({ tool: r.tool, mttd: r.mttdMinutes === '' ? null : Number(r.mttdMinutes) }));
  return (
    <HorizontalBarChart
      data={data}
      categoryKey="tool"
      unit="minutes"
      height={Math.max(120, 44 * data.length + 40)}
    >
      <Bar dataKey="mttd" name="MTTD (minutes)" fill="#0369a1" isAnimationActive={false} barSize={22}>
        <LabelList dataKey="mttd" position="right" style={{ fontSize: 12, fill: '#0f172a' }} />
      </Bar>
    </HorizontalBarChart>
  );
}
