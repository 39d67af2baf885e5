import type { CoverageGroup } from '@aegis/contracts';
import { coverageOrder, coverageStyles } from '../../../components/coverage';

/** The tactic chart's figures as a table under a disclosure: the chart's accessible form. */
export function TacticCoverageTable({ rows }: { rows: readonly CoverageGroup[] }) {
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-slate-600">Show as a table</summary>
      <table data-testid="tactic-table" className="mt-2 w-full text-left text-xs">
        <caption className="sr-only">Top-level in-scope techniques per tactic by coverage status</caption>
        <thead className="text-slate-500">
          <tr>
            <th className="py-1 pr-2 font-medium">Tactic</th>
            {coverageOrder.map((s) => (
              <th key={s} className="py-1 pr-2 text-right font-medium">
                {coverageStyles[s].label}
              </th>
            ))}
            <th className="py-1 text-right font-medium">Total</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} className="border-t border-slate-100">
              <th scope="row" className="py-1 pr-2 font-normal">
                {r.name}
              </th>
              {coverageOrder.map((s) => (
                <td key={s} className="py-1 pr-2 text-right tabular-nums">
                  {r.counts[s]}
                </td>
              ))}
              <td className="py-1 text-right tabular-nums">{r.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
