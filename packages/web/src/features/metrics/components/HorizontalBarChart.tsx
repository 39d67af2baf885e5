import type { ReactNode } from 'react';
import { BarChart, CartesianGrid, ResponsiveContainer, XAxis, YAxis } from 'recharts';

/**
 * The analysis pages' horizontal bars (ADR 24): one row per category, the value axis labelled with
 * its unit; `children` are the `Bar`s. Only lazily loaded pages import it.
 */
export function HorizontalBarChart({
  data,
  categoryKey,
  unit,
  counts = false,
  categoryWidth = 120,
  rightMargin = 48,
  height,
  children,
}: {
  data: object[];
  /** The field of a row that names it (the bar's label on the category axis). */
  categoryKey: string;
  /** The value axis' label: "minutes", "tests". */
  unit: string;
  /** Whole numbers only on the value axis. */
  counts?: boolean;
  categoryWidth?: number;
  /** Room for the labels at the bars' end. */
  rightMargin?: number;
  height: number;
  children: ReactNode;
}) {
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart
        data={data}
        layout="vertical"
        margin={{ top: 4, right: rightMargin, bottom: 4, left: 8 }}
        accessibilityLayer={false}
      >
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" horizontal={false} />
        <XAxis
          type="number"
          allowDecimals={!counts}
          tick={{ fontSize: 11, fill: '#475569' }}
          label={{ value: unit, position: 'insideBottomRight', offset: -2, fontSize: 11, fill: '#475569' }}
        />
        <YAxis
          type="category"
          dataKey={categoryKey}
          width={categoryWidth}
          tick={{ fontSize: 12, fill: '#334155' }}
        />
        {children}
      </BarChart>
    </ResponsiveContainer>
  );
}
