import type { ImportRun } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { describeError } from '../../../app/api';
import { isAbortError } from '../../../app/upload';
import { primaryButton } from '../../../components/buttons';
import { type Column, DataTable } from '../../../components/DataTable';
import { ErrorMessage, PageHeader } from '../../../components/Feedback';
import { Pager } from '../../../components/Pager';
import { QueryView } from '../../../components/QueryView';
import { Card, formatDateTime } from '../../test-cases/components/ui';
import { isActive, useImportRuns, useSyncMitre, useUploadBundle } from '../api';
import { FileDrop, UploadProgress, useUploadProgress } from '../components/FileUpload';
import { AdminOnly, formatDuration, RunProgress, StatusBadge } from '../components/ui';
import { summarizeImportRun } from '../import-runs';
import { describeUploadError, rejectFile, uploadAccept } from '../uploads';

const PAGE_SIZE = 25;

export function ImportRunsPage() {
  return (
    <AdminOnly>
      <ImportRuns />
    </AdminOnly>
  );
}

const columns: Column<ImportRun>[] = [
  {
    header: 'Started',
    className: 'whitespace-nowrap',
    cell: (run) => (
      <Link
        to="/system/import-runs/$id"
        params={{ id: run.id }}
        className="font-medium text-sky-700 hover:underline"
      >
        {formatDateTime(run.startedAt ?? run.createdAt)}
      </Link>
    ),
  },
  {
    header: 'Status',
    className: 'w-56',
    cell: (run) =>
      isActive(run.status) ? (
        <RunProgress progress={run.progress} label={`Import run ${run.id}`} />
      ) : (
        <StatusBadge status={run.status} />
      ),
  },
  {
    header: 'Domain / release',
    className: 'whitespace-nowrap',
    cell: (run) => (
      <>
        {run.domain ?? '—'}
        {run.release && <span className="ml-1 text-slate-500">v{run.release}</span>}
      </>
    ),
  },
  {
    header: 'Source',
    className: 'max-w-64 truncate text-slate-600',
    // An upload's source is where the server keeps the file while importing it: not worth showing.
    cell: (run) => (
      <span title={run.source}>
        <span className="mr-1 text-xs uppercase text-slate-500">{run.sourceType}</span>
        {run.sourceType === 'upload' ? (run.filename ?? 'uploaded file') : run.source}
      </span>
    ),
  },
  {
    header: 'Result',
    className: 'min-w-32 max-w-sm',
    cell: (run) => (
      <span
        data-testid="run-result"
        title={run.status === 'failed' ? run.errors[0] : undefined}
        className={`line-clamp-2 ${run.status === 'failed' ? 'text-red-700' : 'text-slate-600'}`}
      >
        {summarizeImportRun(run)}
      </span>
    ),
  },
  {
    header: 'Duration',
    className: 'whitespace-nowrap text-slate-600',
    cell: (run) => formatDuration(run.durationMs),
  },
];

function ImportRuns() {
  const [offset, setOffset] = useState(0);
  const runs = useImportRuns({ limit: PAGE_SIZE, offset });
  const sync = useSyncMitre();
  const [queued, setQueued] = useState<{ run: ImportRun; what: string } | null>(null);

  const onQueued = (run: ImportRun, what: string) => {
    setOffset(0);
    setQueued({ run, what });
  };

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <PageHeader title="ATT&CK import runs">
        <button
          type="button"
          className={primaryButton}
          disabled={sync.isPending}
          onClick={() => sync.mutate(undefined, { onSuccess: (run) => onQueued(run, 'Sync') })}
        >
          {sync.isPending ? 'Queuing…' : 'Sync ATT&CK now'}
        </button>
      </PageHeader>
      {sync.isError && <ErrorMessage title="The sync could not start." message={describeError(sync.error)} />}

      <BundleUpload onQueued={(run, file) => onQueued(run, `Upload of ${file.name}`)} />

      <p role="status" className="min-h-5 text-sm text-slate-700">
        {queued && (
          <>
            {queued.what} queued: the run is at the top of the list and updates live.{' '}
            <Link
              to="/system/import-runs/$id"
              params={{ id: queued.run.id }}
              className="font-medium text-sky-700 hover:underline"
            >
              Open the run
            </Link>
          </>
        )}
      </p>

      <QueryView
        query={runs}
        loading="Loading import runs…"
        failed="The import runs could not be loaded."
        empty="No ATT&CK import has run yet. Start one with “Sync ATT&CK now” or upload a bundle."
        isEmpty={(page) => page.items.length === 0}
      >
        {(page) => (
          <DataTable
            columns={columns}
            rows={page.items}
            rowKey={(run) => run.id}
            rowTestId="import-run-row"
            busy={runs.isFetching}
            footer={<Pager offset={offset} pageSize={PAGE_SIZE} total={page.total} onChange={setOffset} />}
          />
        )}
      </QueryView>
    </div>
  );
}

/** A STIX bundle file (JSON or gzip) from this computer, imported as a run like any sync. */
function BundleUpload({ onQueued }: { onQueued: (run: ImportRun, file: File) => void }) {
  const uploadBundle = useUploadBundle();
  const progress = useUploadProgress();
  const [refused, setRefused] = useState<string | null>(null);

  const send = (file: File) => {
    const why = rejectFile('bundle', file);
    setRefused(why);
    if (why) return;
    uploadBundle.mutate(
      { file, ...progress.begin(file) },
      { onSettled: progress.end, onSuccess: (run) => onQueued(run, file) },
    );
  };

  const error = uploadBundle.isError && !isAbortError(uploadBundle.error) ? uploadBundle.error : null;
  return (
    <Card title="Upload a bundle">
      <FileDrop
        label="ATT&CK bundle file"
        accept={uploadAccept.bundle}
        disabled={progress.state !== null}
        onFile={send}
      >
        {progress.state ? (
          <UploadProgress state={progress.state} onCancel={progress.cancel} />
        ) : (
          <p className="text-slate-600">
            Drop a STIX bundle here (<span className="font-mono text-xs">.json</span> or{' '}
            <span className="font-mono text-xs">.json.gz</span>, e.g. enterprise-attack-18.1.json.gz). Its
            domain and release come from the bundle or its file name.
          </p>
        )}
      </FileDrop>
      <div className="mt-2 min-h-5 text-sm">
        {refused ? (
          <p role="alert" className="text-red-700">
            {refused}
          </p>
        ) : error ? (
          <ErrorMessage title="The bundle was not imported." message={describeUploadError('bundle', error)} />
        ) : uploadBundle.isError ? (
          <p className="text-slate-600">Upload cancelled.</p>
        ) : null}
      </div>
    </Card>
  );
}
