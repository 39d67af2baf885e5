import type { DataSource } from '@aegis/contracts';
import { type FormEvent, Fragment, useState } from 'react';
import { describeError, fieldErrors } from '../../../app/api';
import { isAbortError } from '../../../app/upload';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import {
  Field,
  formatDateTime,
  inputClass,
  primaryButton,
  secondaryButton,
} from '../../test-cases/components/ui';
import {
  isActive,
  type SourceChanges,
  useDataSources,
  useLatestSourceRun,
  useSyncAllSources,
  useSyncSource,
  useUpdateSource,
  useUploadSourceArchive,
} from '../api';
import { FilePickerButton, UploadProgress, useUploadProgress } from '../components/FileUpload';
import { AdminOnly, RunProgress, StatusBadge } from '../components/ui';
import { describeUploadError, rejectFile, uploadAccept } from '../uploads';

const COLUMNS = 6;

/** The last run's counts worth a glance: live items always, the rest when not zero. */
export function shownCounts(counts: Record<string, number>): [string, number][] {
  return Object.entries(counts).filter(([key, value]) => key === 'items' || value !== 0);
}

export function DataSourcesPage() {
  return (
    <AdminOnly>
      <DataSources />
    </AdminOnly>
  );
}

function DataSources() {
  const sources = useDataSources();
  const syncAll = useSyncAllSources();
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <PageHeader title="Data sources">
        <button
          type="button"
          className={primaryButton}
          disabled={syncAll.isPending || !sources.data?.some((s) => s.enabled)}
          onClick={() => syncAll.mutate()}
        >
          {syncAll.isPending ? 'Queuing…' : 'Sync all'}
        </button>
      </PageHeader>
      {syncAll.isError && (
        <ErrorMessage title="The sources could not be synced." message={describeError(syncAll.error)} />
      )}
      {syncAll.isSuccess && (
        <p role="status" className="text-sm text-slate-600">
          {syncAll.data.runs.length === 0
            ? 'No enabled source to sync.'
            : `${syncAll.data.runs.length} source sync${syncAll.data.runs.length === 1 ? '' : 's'} queued.`}
        </p>
      )}

      {sources.isPending ? (
        <Spinner label="Loading data sources…" />
      ) : sources.isError ? (
        <ErrorMessage
          title="The data sources could not be loaded."
          message={describeError(sources.error)}
          onRetry={() => void sources.refetch()}
        />
      ) : sources.data.length === 0 ? (
        <EmptyState>No data source is registered.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs text-slate-500">
              <tr>
                <th className="px-3 py-2 font-medium">Name</th>
                <th className="px-3 py-2 font-medium">Location</th>
                <th className="px-3 py-2 font-medium">Schedule</th>
                <th className="px-3 py-2 font-medium">Last sync</th>
                <th className="px-3 py-2 font-medium">Counts</th>
                <th className="px-3 py-2 font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sources.data.map((source) => (
                <Fragment key={source.id}>
                  <SourceRow
                    source={source}
                    editing={editing === source.id}
                    onEdit={() => setEditing(editing === source.id ? null : source.id)}
                  />
                  {editing === source.id && (
                    <tr className="bg-slate-50">
                      <td colSpan={COLUMNS} className="px-3 py-3">
                        <EditSourceForm source={source} onClose={() => setEditing(null)} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function SourceRow({
  source,
  editing,
  onEdit,
}: {
  source: DataSource;
  editing: boolean;
  onEdit: () => void;
}) {
  const latest = useLatestSourceRun(source.id, true);
  const sync = useSyncSource();
  const uploadArchive = useUploadSourceArchive(source.id);
  const progress = useUploadProgress();
  const [refused, setRefused] = useState<string | null>(null);
  const run = latest.data;
  const running = isActive(run?.status) || source.status === 'running';
  const counts = shownCounts(source.counts);
  const uploadError =
    uploadArchive.isError && !isAbortError(uploadArchive.error)
      ? describeUploadError('archive', uploadArchive.error)
      : refused;

  const sendArchive = (file: File) => {
    const why = rejectFile('archive', file);
    setRefused(why);
    if (why) return;
    uploadArchive.mutate({ file, ...progress.begin(file) }, { onSettled: progress.end });
  };

  return (
    <tr data-testid="data-source-row" className="border-t border-slate-100 align-top">
      <td className="px-3 py-2">
        <span className="font-medium text-slate-800">{source.name}</span>
        <span className="block text-xs text-slate-500">
          {source.kind} · <span className="font-mono">{source.key}</span>
        </span>
      </td>
      <td className="min-w-48 max-w-xs px-3 py-2 text-xs">
        <span className="uppercase text-slate-500">{source.locationType}</span>{' '}
        {source.locationType === 'upload' ? (
          <span className="text-slate-600" title={source.location}>
            uploaded archive
          </span>
        ) : (
          <span className="break-all font-mono text-slate-600">{source.location}</span>
        )}
      </td>
      <td className="whitespace-nowrap px-3 py-2 text-xs">
        {!source.enabled ? (
          <span className="font-medium text-amber-800">disabled</span>
        ) : source.schedule ? (
          <span className="font-mono">{source.schedule}</span>
        ) : (
          <span className="text-slate-500">manual</span>
        )}
      </td>
      <td className="min-w-52 px-3 py-2">
        {progress.state ? (
          <UploadProgress state={progress.state} onCancel={progress.cancel} compact />
        ) : running && run ? (
          <RunProgress progress={run.progress} label={`${source.name} sync progress`} />
        ) : (
          <>
            <StatusBadge status={source.status} />
            {source.lastSyncAt && (
              <span className="mt-0.5 block whitespace-nowrap text-xs text-slate-500">
                {formatDateTime(source.lastSyncAt)}
              </span>
            )}
          </>
        )}
        {source.lastError && !running && (
          <span className="mt-1 block max-w-xs break-words text-xs text-red-700">{source.lastError}</span>
        )}
        {run && !running && run.errors.length > 0 && (
          <span className="mt-1 block text-xs text-amber-700">
            {run.errors.length} file{run.errors.length === 1 ? '' : 's'} skipped in the last run
          </span>
        )}
        {sync.isError && <span className="mt-1 block text-xs text-red-700">{describeError(sync.error)}</span>}
        {uploadError && !progress.state && (
          <span role="alert" className="mt-1 block max-w-xs break-words text-xs text-red-700">
            {uploadError}
          </span>
        )}
      </td>
      <td className="min-w-32 px-3 py-2 text-xs text-slate-600">
        {counts.length === 0
          ? '—'
          : counts.map(([key, value]) => (
              <span key={key} className="mr-2 inline-block whitespace-nowrap">
                {key} <span className="font-medium tabular-nums text-slate-800">{value}</span>
              </span>
            ))}
      </td>
      <td className="px-3 py-2 text-right">
        <div className="ml-auto flex w-44 flex-wrap justify-end gap-2">
          <button
            type="button"
            className={secondaryButton}
            aria-label={`Sync ${source.name}`}
            disabled={running || sync.isPending || !source.enabled}
            title={source.enabled ? undefined : 'Enable the source to sync it'}
            onClick={() => sync.mutate(source.id)}
          >
            {running ? 'Syncing…' : 'Sync'}
          </button>
          <button
            type="button"
            className={secondaryButton}
            aria-label={`Edit ${source.name}`}
            aria-expanded={editing}
            onClick={onEdit}
          >
            Edit
          </button>
          <FilePickerButton
            label={`Archive for ${source.name}`}
            buttonLabel={`Upload archive to ${source.name}`}
            accept={uploadAccept.archive}
            disabled={running || progress.state !== null}
            onFile={sendArchive}
          >
            Upload archive
          </FilePickerButton>
        </div>
      </td>
    </tr>
  );
}

function EditSourceForm({ source, onClose }: { source: DataSource; onClose: () => void }) {
  const update = useUpdateSource();
  const [locationType, setLocationType] = useState<'url' | 'folder'>(
    source.locationType === 'folder' ? 'folder' : 'url',
  );
  const [location, setLocation] = useState(source.locationType === 'upload' ? '' : source.location);
  const [enabled, setEnabled] = useState(source.enabled);
  const [schedule, setSchedule] = useState(source.schedule ?? '');
  const errors = fieldErrors(update.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const changes: SourceChanges = {};
    const trimmed = location.trim();
    if (trimmed && (trimmed !== source.location || locationType !== source.locationType)) {
      changes.location = trimmed;
      changes.locationType = locationType;
    }
    if (enabled !== source.enabled) changes.enabled = enabled;
    const nextSchedule = schedule.trim() || null;
    if (nextSchedule !== source.schedule) changes.schedule = nextSchedule;
    if (Object.keys(changes).length === 0) return onClose();
    update.mutate({ id: source.id, changes }, { onSuccess: onClose });
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={`Edit ${source.name}`} className="flex flex-col gap-3">
      <div className="grid gap-3 md:grid-cols-[10rem_1fr_14rem]">
        <Field label="Location type" error={errors.locationType}>
          <select
            className={inputClass}
            value={locationType}
            onChange={(e) => setLocationType(e.target.value as 'url' | 'folder')}
          >
            <option value="url">URL (archive)</option>
            <option value="folder">Folder on the server</option>
          </select>
        </Field>
        <Field label="Location" error={errors.location}>
          <input
            className={`${inputClass} font-mono`}
            value={location}
            placeholder={source.locationType === 'upload' ? 'Currently an uploaded archive' : undefined}
            aria-invalid={Boolean(errors.location)}
            onChange={(e) => setLocation(e.target.value)}
          />
        </Field>
        <Field label="Schedule (cron, empty = manual)" error={errors.schedule}>
          <input
            className={`${inputClass} font-mono`}
            value={schedule}
            placeholder="0 3 * * *"
            aria-invalid={Boolean(errors.schedule)}
            onChange={(e) => setSchedule(e.target.value)}
          />
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        Enabled
      </label>
      {update.isError && Object.keys(errors).length === 0 && (
        <ErrorMessage message={describeError(update.error)} />
      )}
      <div className="flex gap-2">
        <button type="submit" className={primaryButton} disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className={secondaryButton} onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
