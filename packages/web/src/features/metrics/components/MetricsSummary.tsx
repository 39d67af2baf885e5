import type { OperationalMetrics } from '@aegis/contracts';
import { useState } from 'react';
import { describeError } from '../../../app/api';
import { ErrorMessage } from '../../../components/Feedback';
import { useOperationalMetrics } from '../api';
import { formatMean, formatPercent, lastDays, NONE, plural, ratioBasis } from '../format';
import { MetricFigure } from './MetricFigure';

/** The four figures every dashboard shows, from one `GET /metrics/operational` answer. */
export function summaryFigures(m: OperationalMetrics | undefined) {
  return {
    efficacy: {
      value: m ? formatPercent(m.efficacy.value) : NONE,
      n: m?.efficacy.denominator,
      basis: m ? ratioBasis(m.efficacy, 'results', 'prevented or detected') : ' ',
    },
    mttd: {
      value: m ? formatMean(m.mttd) : NONE,
      n: m?.mttd.n,
      basis: m ? plural(m.mttd.n, 'detection') : ' ',
    },
    mttr: {
      value: m ? formatMean(m.mttr) : NONE,
      n: m?.mttr.n,
      basis: m ? `${plural(m.mttr.n, 'fix', 'fixes')}; ${m.mttr.open.n} open` : ' ',
    },
    undetected: {
      value: m ? formatPercent(m.undetectedShare.value) : NONE,
      n: m?.undetectedShare.denominator,
      basis: m ? ratioBasis(m.undetectedShare, 'validated tests', 'missed or only logged') : ' ',
    },
  };
}

/**
 * The dashboard's metrics for everyone: efficacy, MTTD, MTTR and the undetected share of the last
 * 90 days, in plain elements (no chart library on the first paint, ADR 18 and 24). Dashes until the
 * answer arrives, so nothing moves.
 */
export function MetricsSummary() {
  const [period] = useState(() => lastDays(90));
  const metrics = useOperationalMetrics(period);
  const f = summaryFigures(metrics.data);
  return (
    <section
      aria-labelledby="metrics-summary-title"
      data-testid="metrics-summary"
      className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
    >
      <h2
        id="metrics-summary-title"
        className="mb-4 text-sm font-semibold uppercase tracking-wide text-slate-500"
      >
        Metrics, last 90 days
      </h2>
      {metrics.isError ? (
        <ErrorMessage message={describeError(metrics.error)} onRetry={() => void metrics.refetch()} />
      ) : (
        <div aria-busy={metrics.isPending} className="grid grid-cols-2 gap-3 lg:grid-cols-4">
          <MetricFigure label="Detection efficacy" testId="summary-efficacy" {...f.efficacy} />
          <MetricFigure label="Mean time to detect" testId="summary-mttd" {...f.mttd} />
          <MetricFigure label="Undetected share" testId="summary-undetected" {...f.undetected} />
          <MetricFigure label="Mean time to remediate" testId="summary-mttr" {...f.mttr} />
        </div>
      )}
    </section>
  );
}
