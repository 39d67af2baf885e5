import type { IntegrityIssue } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { QueryView } from '../../../components/QueryView';
import { formatDateTime } from '../../test-cases/components/ui';
import { type Period, useDataIntegrity } from '../api';
import { NONE, oneDecimal } from '../format';

const METRICS: Record<IntegrityIssue['metric'], string> = {
  mttd: 'MTTD',
  'mttd-tool': 'MTTD per tool',
  mttp: 'MTTP',
  mttr: 'MTTR',
  mttv: 'MTTV',
};
const REASONS: Record<IntegrityIssue['reason'], string> = {
  noTimestamp: 'No end timestamp',
  negative: 'Ends before it starts',
  outlier: 'Longer than the maximum',
};

/**
 * What the time metrics left out in the period and why (leads and admins): each record links to its
 * test, where the timestamps are fixed.
 */
export function DataIntegrityTable({ period }: { period: Period }) {
  return (
    <QueryView
      query={useDataIntegrity(period)}
      loading="Loading the data integrity report…"
      failed="The data integrity report could not be loaded."
      isEmpty={(d) => d.items.length === 0}
      empty="No record was left out of the time metrics in this period."
    >
      {(report) => (
        <div className="overflow-x-auto">
          <table data-testid="integrity-table" className="w-full text-left text-sm">
            <caption className="sr-only">Records left out of the time metrics, and why</caption>
            <thead className="text-xs text-slate-600">
              <tr>
                <th className="py-1 pr-3 font-medium">Metric</th>
                <th className="py-1 pr-3 font-medium">Reason</th>
                <th className="py-1 pr-3 font-medium">Test</th>
                <th className="py-1 pr-3 font-medium">Start</th>
                <th className="py-1 pr-3 font-medium">End</th>
                <th className="py-1 text-right font-medium">Seconds</th>
              </tr>
            </thead>
            <tbody>
              {report.items.map((item) => (
                <tr
                  key={`${item.metric}-${item.testId}-${item.tool ?? ''}`}
                  data-testid="integrity-row"
                  className="border-t border-slate-100"
                >
                  <td className="py-1 pr-3">
                    {METRICS[item.metric]}
                    {item.tool && <span className="text-slate-600"> ({item.tool})</span>}
                  </td>
                  <td className="py-1 pr-3">{REASONS[item.reason]}</td>
                  <td className="py-1 pr-3">
                    <Link
                      to="/tests/$id"
                      params={{ id: item.testId }}
                      className="text-sky-700 hover:underline"
                    >
                      {item.title}
                    </Link>
                  </td>
                  <td className="py-1 pr-3 whitespace-nowrap">
                    {item.start ? formatDateTime(item.start) : NONE}
                  </td>
                  <td className="py-1 pr-3 whitespace-nowrap">
                    {item.end ? formatDateTime(item.end) : NONE}
                  </td>
                  <td className="py-1 text-right tabular-nums">
                    {item.seconds === null ? NONE : oneDecimal(item.seconds)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.truncated && (
            <p className="mt-2 text-xs text-slate-600">
              The list stops at 500 records; the counts are whole.
            </p>
          )}
          <p className="mt-2 text-xs text-slate-600">
            {report.counts
              .map((c) => `${METRICS[c.metric]}, ${REASONS[c.reason].toLowerCase()}: ${c.n}`)
              .join(' · ')}
          </p>
        </div>
      )}
    </QueryView>
  );
}
