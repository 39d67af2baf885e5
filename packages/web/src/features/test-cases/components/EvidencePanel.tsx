import type { Role, TestCase, TestState } from '@aegis/contracts';
import { type Team, teamOf } from '@aegis/contracts/roles';
import { type DragEvent, useId, useRef, useState } from 'react';
import { describeError } from '../../../app/api';
import { useUser } from '../../../app/auth';
import { EmptyState, ErrorMessage, Spinner } from '../../../components/Feedback';
import { evidenceDownloadUrl, useEvidence, useUploadEvidence } from '../api';
import { Card, formatDateTime, inputClass } from './ui';

const uploadStates: Record<Team | 'admin', readonly TestState[]> = {
  red: ['draft', 'red_executing'],
  blue: ['blue_evaluating'],
  admin: ['draft', 'red_executing', 'blue_evaluating'],
};

/** Mirrors the server's upload window: red until execution ends, blue while evaluating, admins until review. */
export function canUploadEvidence(role: Role, state: TestState): boolean {
  const side = role === 'admin' ? 'admin' : teamOf(role);
  return side ? uploadStates[side].includes(state) : false;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function EvidencePanel({ test }: { test: TestCase }) {
  const user = useUser();
  const evidence = useEvidence(test.id);
  const canUpload = canUploadEvidence(user.role, test.state);
  return (
    <Card title={`Evidence${evidence.data ? ` (${evidence.data.total})` : ''}`}>
      {canUpload && <Uploader testId={test.id} isAdmin={user.role === 'admin'} />}
      {evidence.isPending ? (
        <Spinner label="Loading evidence…" />
      ) : evidence.isError ? (
        <ErrorMessage message={describeError(evidence.error)} onRetry={() => void evidence.refetch()} />
      ) : evidence.data.items.length === 0 ? (
        <EmptyState>No evidence you may see is attached.</EmptyState>
      ) : (
        <ul className="flex flex-col divide-y divide-slate-100 text-sm" aria-label="Evidence files">
          {evidence.data.items.map((e) => (
            <li key={e.id} className="py-2" data-testid="evidence-item">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <a
                  href={evidenceDownloadUrl(test.id, e.id)}
                  download={e.filename}
                  className="font-medium text-sky-700 hover:underline"
                >
                  {e.filename}
                </a>
                <span className="text-xs text-slate-500">
                  <span className="capitalize">{e.side}</span> · {formatSize(e.sizeBytes)} · {e.contentType} ·{' '}
                  {formatDateTime(e.createdAt)}
                </span>
              </div>
              {e.description && <p className="text-slate-700">{e.description}</p>}
              <p className="mt-0.5 break-all font-mono text-[11px] text-slate-500">
                SHA-256 <span data-testid="evidence-sha256">{e.sha256}</span>
              </p>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function Uploader({ testId, isAdmin }: { testId: string; isAdmin: boolean }) {
  const upload = useUploadEvidence(testId);
  const [progress, setProgress] = useState<number | null>(null);
  const [dragging, setDragging] = useState(false);
  const [description, setDescription] = useState('');
  const [side, setSide] = useState<Team>('red');
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const descriptionId = useId();

  const send = (file: File) => {
    setProgress(0);
    upload.mutate(
      {
        file,
        description: description.trim() || undefined,
        side: isAdmin ? side : undefined,
        onProgress: setProgress,
      },
      {
        onSettled: () => setProgress(null),
        onSuccess: () => setDescription(''),
      },
    );
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) send(file);
  };

  return (
    <div className="mb-3 flex flex-col gap-2">
      <div className="grid gap-2 md:grid-cols-3">
        <label htmlFor={descriptionId} className="text-sm font-medium text-slate-700 md:col-span-2">
          Description (optional)
          <input
            id={descriptionId}
            className={`${inputClass} mt-1`}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </label>
        {isAdmin && (
          <label className="text-sm font-medium text-slate-700">
            Side
            <select
              className={`${inputClass} mt-1`}
              value={side}
              onChange={(e) => setSide(e.target.value as Team)}
            >
              <option value="red">Red</option>
              <option value="blue">Blue</option>
            </select>
          </label>
        )}
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer shortcut; the button is the keyboard path. */}
      <div
        data-testid="evidence-dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`rounded-md border-2 border-dashed px-4 py-5 text-center text-sm ${
          dragging ? 'border-sky-500 bg-sky-50' : 'border-slate-300 bg-slate-50'
        }`}
      >
        <p className="text-slate-600">
          Drop a file here, or{' '}
          <button
            type="button"
            onClick={() => inputRef.current?.click()}
            className="font-medium text-sky-700 underline"
          >
            choose a file
          </button>
        </p>
        <label htmlFor={inputId} className="sr-only">
          Evidence file
        </label>
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          className="sr-only"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) send(file);
            e.target.value = '';
          }}
        />
        {progress !== null && (
          <div className="mx-auto mt-3 max-w-sm">
            <progress
              aria-label="Upload progress"
              max={1}
              value={progress}
              className="h-2 w-full overflow-hidden rounded accent-sky-600"
            />
            <p className="text-xs text-slate-500">Uploading… {Math.round(progress * 100)}%</p>
          </div>
        )}
      </div>
      {upload.isError && <ErrorMessage message={describeError(upload.error)} />}
      {upload.isSuccess && (
        <p role="status" className="text-sm text-emerald-700">
          Uploaded {upload.data.filename}.
        </p>
      )}
    </div>
  );
}
