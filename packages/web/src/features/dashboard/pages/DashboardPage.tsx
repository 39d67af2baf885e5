import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useMemo } from 'react';
import { describeError } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { coverageOrder, coverageStyles } from '../../../components/coverage';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { formatTotal } from '../../../components/Pager';
import { useTactics, useTechniques } from '../../attack/api';
import { usePendingTasks, useTests } from '../../test-cases/api';
import { TestStateBadge } from '../../test-cases/components/TestStateBadge';
import { ScorePanel } from '../components/ScorePanel';
import { TacticCoverageChart } from '../components/TacticCoverageChart';
import { coverageByTactic } from '../coverage';

const RECENT_QUERY = { sort: 'updatedAt', order: 'desc', limit: 5 } as const;

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

export function DashboardPage() {
  const user = useUser();
  const techniques = useTechniques();
  const tactics = useTactics();
  const counts = useMemo(() => {
    const byStatus = new Map<string, number>();
    for (const t of techniques.data ?? [])
      byStatus.set(t.coverageStatus, (byStatus.get(t.coverageStatus) ?? 0) + 1);
    return byStatus;
  }, [techniques.data]);
  const rows = useMemo(
    () => (tactics.data && techniques.data ? coverageByTactic(tactics.data, techniques.data) : []),
    [tactics.data, techniques.data],
  );

  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <PageHeader title={`Welcome, ${user.displayName}`} />
      <ScorePanel />
      <Panel
        id="coverage-title"
        title="Technique coverage"
        link={
          <Link to="/matrix" className="text-sm text-sky-700 hover:underline">
            Open the matrix →
          </Link>
        }
      >
        {techniques.isError ? (
          <ErrorMessage message={describeError(techniques.error)} onRetry={() => void techniques.refetch()} />
        ) : (
          // The cards are there from the first paint (a dash until the counts arrive): nothing moves.
          <ul aria-busy={techniques.isPending} className="grid grid-cols-2 gap-3 sm:grid-cols-5">
            {coverageOrder.map((status) => (
              <li key={status} className={`rounded-md border p-3 ${coverageStyles[status].cell}`}>
                <p className="text-2xl font-semibold tabular-nums">
                  {techniques.isPending ? '–' : (counts.get(status) ?? 0)}
                </p>
                <p className="text-xs">{coverageStyles[status].label}</p>
              </li>
            ))}
          </ul>
        )}
      </Panel>

      <Panel id="tactic-coverage-title" title="Coverage by tactic">
        {techniques.isPending || tactics.isPending ? (
          // As tall as the chart and its "Show as a table" line, so the panels below stay put.
          <div className="grid min-h-92 place-items-center">
            <Spinner label="Loading the chart…" />
          </div>
        ) : tactics.isError ? (
          <ErrorMessage message={describeError(tactics.error)} onRetry={() => void tactics.refetch()} />
        ) : techniques.isError ? (
          <ErrorMessage message={describeError(techniques.error)} onRetry={() => void techniques.refetch()} />
        ) : rows.length === 0 ? (
          <EmptyState>No ATT&CK data has been imported yet.</EmptyState>
        ) : (
          <>
            <div data-testid="tactic-chart" aria-hidden="true">
              <TacticCoverageChart rows={rows} />
            </div>
            <details className="mt-2 text-sm">
              <summary className="cursor-pointer text-slate-600">Show as a table</summary>
              <table className="mt-2 w-full text-left text-xs">
                <caption className="sr-only">Techniques per tactic by coverage status</caption>
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
                    <tr key={r.shortname} className="border-t border-slate-100">
                      <th scope="row" className="py-1 pr-2 font-normal">
                        {r.tactic}
                      </th>
                      {coverageOrder.map((s) => (
                        <td key={s} className="py-1 pr-2 text-right tabular-nums">
                          {r[s]}
                        </td>
                      ))}
                      <td className="py-1 text-right tabular-nums">{r.total}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
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
