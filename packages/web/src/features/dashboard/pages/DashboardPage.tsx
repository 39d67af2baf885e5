import type { CoverageReport } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { describeError } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { coverageOrder, coverageStyles } from '../../../components/coverage';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { formatTotal } from '../../../components/Pager';
import { type CoverageQuery, useCoverage } from '../../coverage/api';
import { MetricsSummary } from '../../metrics/components/MetricsSummary';
import { usePendingTasks, useTests } from '../../test-cases/api';
import { TestStateBadge } from '../../test-cases/components/TestStateBadge';
import { ScorePanel } from '../components/ScorePanel';
import { TacticCoverageChart } from '../components/TacticCoverageChart';
import { TacticCoverageTable } from '../components/TacticCoverageTable';

const RECENT_QUERY = { sort: 'updatedAt', order: 'desc', limit: 5 } as const;
const ALL_TECHNIQUES: CoverageQuery = {};
const TOP_LEVEL_BY_TACTIC: CoverageQuery = { by: 'tactic', subtechniques: 'exclude' };

function Panel({
  id,
  title,
  link,
  children,
  className = '',
}: {
  id: string;
  title: string;
  link?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-labelledby={id}
      className={`rounded-lg border border-slate-200 bg-white p-5 shadow-sm ${className}`}
    >
      <div className="mb-4 flex items-center justify-between gap-2">
        <h2 id={id} className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          {title}
        </h2>
        {link}
      </div>
      {children}
    </section>
  );
}

/** What the scope left out of a count: the PRE-only techniques by default (docs/coverage.md). */
const leftOut = (report: CoverageReport) =>
  report.scope
    ? `${report.outOfScope} outside the platform scope (${report.scope.join(', ')})`
    : `${report.outOfScope} PRE-only out of scope`;

export function DashboardPage() {
  const user = useUser();
  // Two answers of the server: every in-scope technique and sub-technique by status, and the
  // top-level ones (the matrix's cells) per tactic.
  const overall = useCoverage(ALL_TECHNIQUES);
  const byTactic = useCoverage(TOP_LEVEL_BY_TACTIC);

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <PageHeader title={`Welcome, ${user.displayName}`} />
      <ScorePanel />
      <MetricsSummary />
      <Panel
        id="coverage-title"
        title="Technique coverage"
        link={
          <Link to="/matrix" className="text-sm text-sky-700 hover:underline">
            Open the matrix →
          </Link>
        }
      >
        {overall.isError ? (
          <ErrorMessage message={describeError(overall.error)} onRetry={() => void overall.refetch()} />
        ) : (
          // The cards and the line under them are there from the first paint (dashes until the
          // counts arrive): nothing moves.
          <>
            <ul
              aria-busy={overall.isPending}
              data-testid="status-counts"
              className="grid grid-cols-2 gap-3 sm:grid-cols-5"
            >
              {coverageOrder.map((status) => (
                <li key={status} className={`rounded-md border p-3 ${coverageStyles[status].cell}`}>
                  <p className="text-2xl font-semibold tabular-nums">{overall.data?.totals[status] ?? '–'}</p>
                  <p className="text-xs">{coverageStyles[status].label}</p>
                </li>
              ))}
            </ul>
            <p data-testid="counted-note" className="mt-3 text-xs text-slate-500">
              Counts: {overall.data?.inScope ?? '–'} in-scope techniques and sub-techniques
              {overall.data && `; ${leftOut(overall.data)}`}
            </p>
          </>
        )}
      </Panel>

      <Panel id="tactic-coverage-title" title="Coverage by tactic">
        {byTactic.isPending ? (
          // As tall as the chart, its note and its "Show as a table" line: the panels below stay put.
          <div className="grid min-h-98 place-items-center">
            <Spinner label="Loading the chart…" />
          </div>
        ) : byTactic.isError ? (
          <ErrorMessage message={describeError(byTactic.error)} onRetry={() => void byTactic.refetch()} />
        ) : byTactic.data.items.length === 0 ? (
          <EmptyState>No ATT&CK data has been imported yet.</EmptyState>
        ) : (
          <>
            <p data-testid="counted-note" className="-mt-2 mb-3 text-xs text-slate-500">
              Counts: top-level in-scope techniques, once under each of their tactics;{' '}
              {leftOut(byTactic.data)}
            </p>
            <div data-testid="tactic-chart" aria-hidden="true">
              <TacticCoverageChart rows={byTactic.data.items} />
            </div>
            <TacticCoverageTable rows={byTactic.data.items} />
          </>
        )}
      </Panel>

      {/* Viewers have no tasks: no panel offers them any. */}
      <div className={`grid gap-4 ${hasRole(user, ROLE_GROUPS.workers) ? 'lg:grid-cols-2' : ''}`}>
        {hasRole(user, ROLE_GROUPS.workers) && <PendingPanel />}
        <RecentPanel />
      </div>
    </div>
  );
}

function PendingPanel() {
  const pending = usePendingTasks(0, 5);
  return (
    <Panel
      id="pending-title"
      title="My pending tasks"
      link={
        <Link to="/tests/pending" className="text-sm text-sky-700 hover:underline">
          All my tasks
          {pending.data ? ` (${formatTotal(pending.data.total, pending.data.totalEstimated)})` : ''} →
        </Link>
      }
    >
      {pending.isPending ? (
        <Spinner />
      ) : pending.isError ? (
        <ErrorMessage message={describeError(pending.error)} onRetry={() => void pending.refetch()} />
      ) : pending.data.items.length === 0 ? (
        <EmptyState>Nothing is waiting for you.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {pending.data.items.map((task) => (
            <li key={`${task.kind}-${task.test.id}`} className="flex items-center gap-2 py-2 text-sm">
              <span className="w-20 shrink-0 text-xs font-medium uppercase text-slate-500">{task.kind}</span>
              <Link
                to="/tests/$id"
                params={{ id: task.test.id }}
                className="min-w-0 flex-1 truncate text-sky-700 hover:underline"
              >
                {task.test.title}
              </Link>
              <TestStateBadge state={task.test.state} />
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function RecentPanel() {
  const recent = useTests(RECENT_QUERY);
  return (
    <Panel
      id="recent-title"
      title="Recent activity"
      link={
        <Link to="/tests" className="text-sm text-sky-700 hover:underline">
          All tests →
        </Link>
      }
    >
      {recent.isPending ? (
        <Spinner />
      ) : recent.isError ? (
        <ErrorMessage message={describeError(recent.error)} onRetry={() => void recent.refetch()} />
      ) : recent.data.items.length === 0 ? (
        <EmptyState>No test has been created yet.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {recent.data.items.map((t) => (
            <li key={t.id} className="flex items-center gap-2 py-2 text-sm">
              <div className="min-w-0 flex-1">
                <Link
                  to="/tests/$id"
                  params={{ id: t.id }}
                  className="block truncate text-sky-700 hover:underline"
                >
                  {t.title}
                </Link>
                <p className="text-xs text-slate-500">
                  <span className="font-mono">{t.technique.attackId}</span> · updated{' '}
                  {new Date(t.updatedAt).toLocaleString()}
                </p>
              </div>
              <TestStateBadge state={t.state} />
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
