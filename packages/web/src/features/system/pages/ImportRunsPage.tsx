import { Link, useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { describeError } from '../../../app/api';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { Pager } from '../../../components/Pager';
import { formatDateTime, primaryButton } from '../../test-cases/components/ui';
import { isActive, useImportRuns, useSyncMitre } from '../api';
import { AdminOnly, formatDuration, RunProgress, StatusBadge } from '../components/ui';

const PAGE_SIZE = 25;

export function ImportRunsPage() {
  return (
    <AdminOnly>
      <ImportRuns />
    </AdminOnly>
  );
}

function ImportRuns() {
  const [offset, setOffset] = useState(0);
  const runs = useImportRuns({ limit: PAGE_SIZE, offset });
  const sync = useSyncMitre();
  const navigate = useNavigate();

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <PageHeader title="ATT&CK import runs">
        <button
          type="button"
          className={primaryButton}
          disabled={sync.isPending}
          onClick={() =>
            sync.mutate(undefined, {
              onSuccess: (run) => void navigate({ to: '/system/import-runs/$id', params: { id: run.id } }),
            })
          }
        >
          {sync.isPending ? 'Queuing…' : 'Sync ATT&CK now'}
        </button>
      </PageHeader>
      {sync.isError && <ErrorMessage title="The sync could not start." message={describeError(sync.error)} />}

      {runs.isPending ? (
        <Spinner label="Loading import runs…" />
      ) : runs.isError ? (
        <ErrorMessage
          title="The import runs could not be loaded."
          message={describeError(runs.error)}
          onRetry={() => void runs.refetch()}
        />
      ) : runs.data.items.length === 0 ? (
        <EmptyState>No ATT&CK import has run yet. Start one with “Sync ATT&CK now”.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" aria-busy={runs.isFetching}>
            <thead className="bg-slate-50 text-xs text-slate-500">
              <tr>
                <th className="px-3 py-2 font-medium">Started</th>
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2 font-medium">Domain / release</th>
                <th className="px-3 py-2 font-medium">Source</th>
                <th className="px-3 py-2 font-medium">Duration</th>
                <th className="px-3 py-2 font-medium">Errors</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.map((run) => (
                <tr key={run.id} data-testid="import-run-row" className="border-t border-slate-100 align-top">
                  <td className="whitespace-nowrap px-3 py-2">
                    <Link
                      to="/system/import-runs/$id"
                      params={{ id: run.id }}
                      className="font-medium text-sky-700 hover:underline"
                    >
                      {formatDateTime(run.startedAt ?? run.createdAt)}
                    </Link>
                  </td>
                  <td className="px-3 py-2">
                    {isActive(run.status) ? (
                      <RunProgress progress={run.progress} label={`Import run ${run.id}`} />
                    ) : (
                      <StatusBadge status={run.status} />
                    )}
                  </td>
                  <td className="px-3 py-2">
                    {run.domain ?? '—'}
                    {run.release && <span className="ml-1 text-slate-500">v{run.release}</span>}
                  </td>
                  <td className="max-w-sm truncate px-3 py-2 text-slate-600" title={run.source}>
                    <span className="mr-1 text-xs uppercase text-slate-400">{run.sourceType}</span>
                    {run.source}
                  </td>
                  <td className="px-3 py-2 text-slate-600">{formatDuration(run.durationMs)}</td>
                  <td className="px-3 py-2 text-slate-600">{run.errors.length || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} pageSize={PAGE_SIZE} total={runs.data.total} onChange={setOffset} />
        </div>
      )}
    </div>
  );
}
