import { Link } from '@tanstack/react-router';
import { useMemo } from 'react';
import { describeError } from '../../../app/api';
import { useUser } from '../../../app/auth';
import { coverageOrder, coverageStyles } from '../../../components/coverage';
import { ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { useTechniques } from '../../attack/api';

/** A first dashboard: coverage of the top-level techniques by status (charts and activity come later). */
export function DashboardPage() {
  const user = useUser();
  const techniques = useTechniques();
  const counts = useMemo(() => {
    const byStatus = new Map<string, number>();
    for (const t of techniques.data ?? [])
      byStatus.set(t.coverageStatus, (byStatus.get(t.coverageStatus) ?? 0) + 1);
    return byStatus;
  }, [techniques.data]);

  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader title={`Welcome, ${user.displayName}`} />
      <section
        aria-labelledby="coverage-title"
        className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm"
      >
        <div className="mb-4 flex items-center justify-between">
          <h2 id="coverage-title" className="text-sm font-semibold uppercase tracking-wide text-slate-500">
            Technique coverage
          </h2>
          <Link to="/matrix" className="text-sm text-sky-700 hover:underline">
            Open the matrix →
          </Link>
        </div>
        {techniques.isPending ? (
          <Spinner />
        ) : techniques.isError ? (
          <ErrorMessage message={describeError(techniques.error)} onRetry={() => void techniques.refetch()} />
        ) : (
          <ul className="grid grid-cols-2 gap-3 sm:grid-cols-5">
            {coverageOrder.map((status) => (
              <li key={status} className={`rounded-md border p-3 ${coverageStyles[status].cell}`}>
                <p className="text-2xl font-semibold tabular-nums">{counts.get(status) ?? 0}</p>
                <p className="text-xs">{coverageStyles[status].label}</p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
