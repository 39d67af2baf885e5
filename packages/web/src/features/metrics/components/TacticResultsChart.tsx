import { Bar, Legend, Tooltip } from 'recharts';
import type { TacticRow } from '../workflow';
import { HorizontalBarChart } from './HorizontalBarChart';

/** The outcomes, best first, each in its colour (the legend names them; the table holds the numbers). */
const OUTCOMES = [
  ['prevented', 'Prevented', '#047857'],
  ['detected', 'Detected', '#0369a1'],
  ['logged', 'Logged', '#d97706'],
  ['notDetected', 'Not detected', '#b91c1c'],
] as const;

/** Per tactic, its current results in the period stacked by outcome (ADR 24). */
export function TacticResultsChart({ rows }: { rows: readonly TacticRow[] }) {
  return (
    <HorizontalBarChart
      data={[...rows]}
      categoryKey="tactic"
      unit="results"
      counts
      categoryWidth={160}
      rightMargin={24}
      height={32 * rows.length + 72}
    >
      <Tooltip />
      <Legend
        wrapperStyle={{ fontSize: 12 }}
        itemSorter={(item) => OUTCOMES.findIndex(([key]) => key === item.dataKey)}
      />
      {OUTCOMES.map(([key, name, colour]) => (
        <Bar
          key={key}
          dataKey={key}
          name={name}
          stackId="results"
          fill={colour}
          isAnimationActive={false}
          barSize={20}
        />
      ))}
    </HorizontalBarChart>
  );
}
