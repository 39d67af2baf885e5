import type { SnapshotSummary } from '@aegis/contracts';
import { type ReactNode, useState } from 'react';
import { describeError } from '../../../app/api';
import { secondaryButton } from '../../../components/buttons';
import type { Column } from '../../../components/DataTable';
import { ErrorMessage } from '../../../components/Feedback';
import { PagedTable } from '../../../components/PagedTable';
import { formatScore } from '../../scores/format';
import { formatDateTime } from '../../test-cases/components/ui';
import { useDeleteSnapshot, useSnapshots } from '../api';
import { countsPhrase, KIND_LABELS } from '../format';

export const SNAPSHOT_PAGE_SIZE = 10;

const KIND_STYLES: Record<SnapshotSummary['kind'], string> = {
  manual: 'border-sky-300 bg-sky-50 text-sky-900',
  scheduled: 'border-slate-300 bg-slate-50 text-slate-700',
  'pre-upgrade': 'border-amber-300 bg-amber-50 text-amber-900',
};

/**
 * The snapshots, newest first, a page at a time: what each froze (score, coverage counts, ATT&CK
 * release), a button to compare it with now, and for admins a delete with a confirmation (scheduled
 * snapshots leave through the retention only, so they offer none).
 */
export function SnapshotTable({
  page,
  onPage,
  canDelete,
  onCompare,
  empty,
}: {
  page: number;
  onPage: (page: number | undefined) => void;
  canDelete: boolean;
  onCompare: (id: string) => void;
  empty: ReactNode;
}) {
  const list = useSnapshots({ limit: SNAPSHOT_PAGE_SIZE, offset: (page - 1) * SNAPSHOT_PAGE_SIZE });
  const remove = useDeleteSnapshot();
  const [confirming, setConfirming] = useState<string | null>(null);

  const columns: Column<SnapshotSummary>[] = [
    {
      header: 'Kind',
      className: 'w-32',
      cell: (s) => (
        <span className={`inline-block rounded-full border px-2 py-0.5 text-xs ${KIND_STYLES[s.kind]}`}>
          {KIND_LABELS[s.kind]}
        </span>
      ),
    },
    {
      header: 'Name',
      cell: (s) => (
        <>
          <span className="font-medium text-slate-900" data-testid="snapshot-name">
            {s.name}
          </span>
          {s.note && <span className="block max-w-md truncate text-xs text-slate-600">{s.note}</span>}
        </>
      ),
    },
    {
      header: 'Taken',
      className: 'whitespace-nowrap',
      cell: (s) => (
        <>
          {formatDateTime(s.takenAt)}
          <span className="block text-xs text-slate-600">
            by {s.takenBy ? s.takenBy.displayName || s.takenBy.username : 'Aegis'}
          </span>
        </>
      ),
    },
    { header: 'ATT&CK', className: 'tabular-nums', cell: (s) => s.attackRelease ?? '—' },
    {
      header: 'Score',
      className: 'whitespace-nowrap tabular-nums',
      cell: (s) => (
        <>
          <span className="font-semibold text-slate-900">{formatScore(s.organizationScore)}</span>
          <span className="block text-xs text-slate-600">
            threat-weighted {formatScore(s.organizationThreatScore)}
          </span>
        </>
      ),
    },
    {
      header: 'Coverage',
      className: 'text-xs text-slate-700',
      cell: (s) => (
        <>
          {countsPhrase(s.counts)}
          <span className="block text-slate-600">of {s.inScopeCount} in scope</span>
        </>
      ),
    },
    {
      header: <span className="sr-only">Actions</span>,
      className: 'whitespace-nowrap text-right',
      cell: (s) =>
        confirming === s.id ? (
          <span className="inline-flex gap-2">
            <button
              type="button"
              className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60"
              disabled={remove.isPending}
              onClick={() => remove.mutate(s.id, { onSettled: () => setConfirming(null) })}
            >
              Confirm delete<span className="sr-only"> of {s.name}</span>
            </button>
            <button type="button" className={secondaryButton} onClick={() => setConfirming(null)}>
              Cancel
            </button>
          </span>
        ) : (
          <span className="inline-flex gap-2">
            <button type="button" className={secondaryButton} onClick={() => onCompare(s.id)}>
              Compare with now<span className="sr-only">: {s.name}</span>
            </button>
            {canDelete && s.kind !== 'scheduled' && (
              <button
                type="button"
                className={secondaryButton}
                aria-label={`Delete ${s.name}`}
                onClick={() => setConfirming(s.id)}
              >
                Delete
              </button>
            )}
          </span>
        ),
    },
  ];

  return (
    <div className="flex flex-col gap-2">
      {remove.isError && (
        <ErrorMessage title="The snapshot was not deleted." message={describeError(remove.error)} />
      )}
      <PagedTable
        query={list}
        loading="Loading the snapshots…"
        failed="The snapshots could not be loaded."
        empty={empty}
        columns={columns}
        rowTestId="snapshot-row"
        page={page}
        pageSize={SNAPSHOT_PAGE_SIZE}
        onPage={onPage}
      />
    </div>
  );
}
