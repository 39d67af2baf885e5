import type {
  CoverageMove,
  DurationFigure,
  ExecutiveDashboard,
  PeriodFigures,
  RatioFigure,
} from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useMemo } from 'react';
import { describeError } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { CoverageBadge } from '../../../components/coverage';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { QueryView } from '../../../components/QueryView';
import { TacticCoverageChart } from '../../dashboard/components/TacticCoverageChart';
import { TacticCoverageTable } from '../../dashboard/components/TacticCoverageTable';
import { formatScore } from '../../scores/format';
import { ScoreTrendChart } from '../../snapshots/components/ScoreTrendChart';
import { scoreTrendTable } from '../../snapshots/format';
import { Card, formatDateTime } from '../../test-cases/components/ui';
import { type Period, useExecutiveDashboard, useMetricTrend, useOperationalMetrics } from '../api';
import { ChartFrame } from '../components/ChartFrame';
import { DataIntegrityTable } from '../components/DataIntegrityTable';
import { MetricFigure, TrendArrow } from '../components/MetricFigure';
import { PeriodPicker } from '../components/PeriodPicker';
import { QueryCard } from '../components/QueryCard';
import { ToolMttdChart } from '../components/ToolMttdChart';
import { TrendChart } from '../components/TrendChart';
import {
  compareTrend,
  formatDuration,
  formatMean,
  formatPercent,
  lastDays,
  MIN_TREND_WEEKS,
  plural,
  ratioBasis,
  toolRows,
  toolTable,
  trendWeeks,
  weekRows,
  weekTable,
} from '../format';
import type { PeriodDays } from '../search';

/**
 * The executive dashboard (leads and admins): the organisation's score, coverage by tactic, the
 * period's detection figures beside the previous period's, what moved, the oldest open fix, the
 * weekly trend and the per-tool MTTD. Large headline type for a projector; prints without the
 * navigation and controls. Recharts comes with this page's chunk only (ADR 24).
 */
export function ExecutivePage() {
  const user = useUser();
  return (
    <div className="executive mx-auto flex max-w-7xl flex-col gap-4">
      {hasRole(user, ROLE_GROUPS.leads) ? (
        <ExecutiveContent />
      ) : (
        <>
          <PageHeader title="Executive Dashboard" />
          <ErrorMessage message="Only leads and admins can open this page." />
        </>
      )}
    </div>
  );
}

function ExecutiveContent() {
  const search = useSearch({ from: '/app/executive' });
  const navigate = useNavigate({ from: '/executive' });
  const days: PeriodDays = search.days ?? 90;
  // One period per choice, fixed at the minute it was chosen: its query key does not move.
  const period = useMemo(() => lastDays(days), [days]);
  const dashboard = useExecutiveDashboard(period);
  return (
    <>
      <PageHeader title="Executive Dashboard">
        <PeriodPicker days={days} onChange={(d) => void navigate({ search: { days: d } })} />
      </PageHeader>
      <QueryView
        query={dashboard}
        loading="Loading the executive dashboard…"
        failed="The executive dashboard could not be loaded."
      >
        {(d) => <Figures d={d} days={days} period={period} />}
      </QueryView>
    </>
  );
}

function Figures({ d, days, period }: { d: ExecutiveDashboard; days: PeriodDays; period: Period }) {
  return (
    <>
      <p data-testid="executive-period" className="-mt-2 text-sm text-slate-600">
        Last {days} days: {formatDateTime(d.current.from)} to {formatDateTime(d.current.to)}, compared with
        the {days} days before. Computed {formatDateTime(d.computedAt)} (time zone {d.timezone}).
      </p>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card title="Organisation score" labelId="exec-score-title">
            <div className="grid grid-cols-2 gap-3">
              <ScoreFigure
                label="Score (equal weights)"
                value={formatScore(d.organization.score)}
                testId="exec-score"
              />
              <ScoreFigure
                label="Threat-weighted"
                value={formatScore(d.organization.threatScore)}
                testId="exec-threat-score"
              />
            </div>
            {d.organization.trend.length > 0 ? (
              <div className="mt-3" data-testid="exec-score-trend">
                <ChartFrame
                  name="exec-score-trend"
                  caption="Organisation score at each snapshot of the period"
                  table={scoreTrendTable(d.organization.trend)}
                  filename="organisation-score-trend.csv"
                >
                  <ScoreTrendChart table={scoreTrendTable(d.organization.trend)} />
                </ChartFrame>
              </div>
            ) : (
              <p className="mt-2 text-sm text-slate-600" data-testid="exec-score-trend-empty">
                The score’s trend is drawn from snapshots: none was taken in this period (a daily one is taken
                at 01:00; leads take one from the Comparison page).
              </p>
            )}
            <p className="mt-2 text-sm text-slate-600">
              {d.organization.techniqueCount === 0
                ? 'No score has been computed yet: scores follow validated tests within minutes.'
                : `Over the ${d.organization.techniqueCount} top-level techniques in the organisation’s scope; threat-weighted counts each by the groups that use it.`}
            </p>
          </Card>
        </div>
        <Card title="Risk summary" labelId="exec-risk-title">
          <p data-testid="risk-placeholder" className="text-sm text-slate-600">
            The risk summary arrives with the risk feature: stale coverage and risk scores per technique.
          </p>
        </Card>
      </div>
      <DetectionFigures current={d.current} previous={d.previous} />
      <Card title="Coverage by tactic" labelId="exec-tactics-title">
        {d.coverageByTactic.items.length === 0 ? (
          <EmptyState>No ATT&CK data has been imported yet.</EmptyState>
        ) : (
          <>
            <div aria-hidden="true">
              <TacticCoverageChart rows={d.coverageByTactic.items} />
            </div>
            <TacticCoverageTable rows={d.coverageByTactic.items} />
          </>
        )}
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Top improvements" labelId="exec-improvements-title">
          <Moves
            moves={d.improvements}
            testId="improvement"
            none="No technique rose a coverage rank in the period."
          />
        </Card>
        <Card title="Top regressions" labelId="exec-regressions-title">
          <Moves
            moves={d.regressions}
            testId="regression"
            none="No technique fell a coverage rank in the period."
          />
        </Card>
      </div>
      <Card title="Oldest open remediation" labelId="exec-remediation-title">
        {d.oldestOpenRemediation ? (
          <p data-testid="oldest-remediation" className="text-base">
            <Link
              to="/tests/$id"
              params={{ id: d.oldestOpenRemediation.testId }}
              className="font-medium text-sky-700 hover:underline"
            >
              {d.oldestOpenRemediation.title}
            </Link>{' '}
            <span className="text-slate-600">
              ({d.oldestOpenRemediation.technique.attackId ?? d.oldestOpenRemediation.technique.name}) open
              since {formatDateTime(d.oldestOpenRemediation.openedAt)}:{' '}
              <span className="font-semibold text-slate-900">
                {formatDuration(d.oldestOpenRemediation.ageDays.value, 'days')}
              </span>
            </span>
          </p>
        ) : (
          <p className="text-sm text-slate-600">No remediation is open.</p>
        )}
      </Card>
      <WeeklyTrend period={period} days={days} />
      <ToolMttd period={period} />
      <Card title="Data integrity" labelId="exec-integrity-title">
        <p className="mb-2 text-sm text-slate-600">
          The records the time metrics left out in the period, and why: fix them on the test.
        </p>
        <DataIntegrityTable period={period} />
      </Card>
    </>
  );
}

function ScoreFigure({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="metric-card rounded-md border border-slate-200 bg-slate-50 p-3">
      <p className="text-xs font-medium uppercase tracking-wide text-slate-600">{label}</p>
      <p className="text-5xl font-semibold tabular-nums text-slate-900">
        <span data-testid={testId}>{value}</span>
        <span className="text-base font-normal text-slate-600"> / 100</span>
      </p>
    </div>
  );
}

/** Efficacy with its split, MTTD with the undetected share beside it, MTTR with its open items. */
function DetectionFigures({ current, previous }: { current: PeriodFigures; previous: PeriodFigures }) {
  const split = current.efficacy.split;
  const arrow = (now: number | null, before: number | null, lowerIsBetter: boolean, previousText: string) => (
    <TrendArrow trend={compareTrend(now, before, { lowerIsBetter, previousText })} previous={previousText} />
  );
  // A figure's value, its sample and its arrow against the previous period.
  const ratio = (pick: (p: PeriodFigures) => RatioFigure, lowerIsBetter: boolean) => {
    const [now, before] = [pick(current), pick(previous)];
    return {
      value: formatPercent(now.value),
      n: now.denominator,
      trend: arrow(now.value.value, before.value.value, lowerIsBetter, formatPercent(before.value)),
    };
  };
  const duration = (pick: (p: PeriodFigures) => DurationFigure) => {
    const [now, before] = [pick(current), pick(previous)];
    return {
      value: formatMean(now),
      n: now.n,
      trend: arrow(now.mean.value, before.mean.value, true, formatMean(before)),
    };
  };
  return (
    <Card title="Detection and response" labelId="exec-detection-title">
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
        <MetricFigure
          size="headline"
          label="Detection efficacy"
          testId="exec-efficacy"
          {...ratio((p) => p.efficacy, false)}
          basis={
            <>
              <span data-testid="efficacy-basis">{ratioBasis(current.efficacy, 'results')}</span>
              <span className="block">
                Prevented {split.prevented} · detected {split.detected} · logged {split.logged} · not detected{' '}
                {split.not_detected}
              </span>
            </>
          }
        />
        <MetricFigure
          size="headline"
          label="Mean time to detect"
          testId="exec-mttd"
          {...duration((p) => p.mttd)}
          basis={
            <span data-testid="mttd-basis">
              {plural(current.mttd.n, 'detection')}; median{' '}
              {formatDuration(current.mttd.median.value, current.mttd.unit)}
            </span>
          }
        />
        <MetricFigure
          size="headline"
          label="Undetected share"
          testId="exec-undetected"
          {...ratio((p) => p.undetectedShare, true)}
          basis={ratioBasis(current.undetectedShare, 'validated tests', 'missed or only logged')}
        />
        <MetricFigure
          size="headline"
          label="Mean time to remediate"
          testId="exec-mttr"
          {...duration((p) => p.mttr)}
          basis={`${current.mttr.n} fixed, ${current.mttr.open.n} open (mean age ${formatDuration(current.mttr.open.meanAgeDays.value, 'days')})`}
        />
      </div>
      <p className="mt-3 text-sm text-slate-600">
        Coverage velocity: {current.velocity.gross} techniques up a rank, {current.velocity.regressions} down,
        net {current.velocity.net} (previous period: net {previous.velocity.net}).
      </p>
    </Card>
  );
}

function Moves({ moves, testId, none }: { moves: CoverageMove[]; testId: string; none: string }) {
  if (moves.length === 0) return <p className="text-sm text-slate-600">{none}</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {moves.map((m) => (
        <li
          key={m.technique.id}
          data-testid={testId}
          className="flex flex-wrap items-center gap-2 py-1.5 text-sm"
        >
          <Link
            to="/techniques/$id"
            params={{ id: m.technique.attackId ?? m.technique.id }}
            className="min-w-0 flex-1 truncate text-sky-700 hover:underline"
          >
            <span className="font-mono">{m.technique.attackId}</span> {m.technique.name}
          </Link>
          <CoverageBadge status={m.from} />
          <span aria-hidden="true">→</span>
          <span className="sr-only">to</span>
          <CoverageBadge status={m.to} />
        </li>
      ))}
    </ul>
  );
}

/**
 * MTTD and efficacy week by week over the period picked above (at least `MIN_TREND_WEEKS` weeks,
 * so the last 30 days still draw a line).
 */
function WeeklyTrend({ period, days }: { period: Period; days: PeriodDays }) {
  const weeks = useMemo(() => trendWeeks(period), [period]);
  const mttd = useMetricTrend('mttd', weeks);
  const efficacy = useMetricTrend('efficacy', weeks);
  const failed = mttd.error ?? efficacy.error;
  const rows = mttd.data && efficacy.data ? weekRows(mttd.data, efficacy.data) : undefined;
  return (
    <Card
      title={`Weekly trend, last ${weeks.from === period.from ? `${days} days` : `${MIN_TREND_WEEKS} weeks`}`}
      labelId="exec-trend-title"
    >
      {failed ? (
        <ErrorMessage
          title="The trend could not be loaded."
          message={describeError(failed)}
          onRetry={() => void Promise.all([mttd.refetch(), efficacy.refetch()])}
        />
      ) : rows ? (
        <ChartFrame
          name="trend"
          caption="MTTD and detection efficacy per week"
          table={weekTable(rows)}
          filename="weekly-trend.csv"
        >
          <TrendChart rows={rows} />
        </ChartFrame>
      ) : (
        <Spinner label="Loading the trend…" />
      )}
    </Card>
  );
}

function ToolMttd({ period }: { period: Period }) {
  return (
    <QueryCard
      title="Mean time to detect per tool"
      labelId="exec-tools-title"
      query={useOperationalMetrics(period)}
      loading="Loading the tools…"
      failed="The per-tool figures could not be loaded."
      isEmpty={(m) => m.mttdByTool.length === 0}
      empty="No tool recorded a detection time in the period."
    >
      {(m) => {
        const rows = toolRows(m.mttdByTool);
        return (
          <ChartFrame
            name="tools"
            caption="MTTD per defensive tool"
            table={toolTable(rows)}
            filename="mttd-per-tool.csv"
          >
            <ToolMttdChart rows={rows} />
          </ChartFrame>
        );
      }}
    </QueryCard>
  );
}
