import { type DragEvent, type ReactNode, useCallback, useRef, useState } from 'react';
import { secondaryButton } from '../../../components/buttons';
import { formatBytes } from '../uploads';

export interface UploadState {
  file: File;
  /** 0…1 of the body sent; 1 while the server checks it and answers. */
  fraction: number;
}

/**
 * The progress and cancel handle of one upload at a time: `begin` gives the callbacks to hand to the
 * upload, `end` clears them when it settles.
 */
export function useUploadProgress() {
  const [state, setState] = useState<UploadState | null>(null);
  const controller = useRef<AbortController | null>(null);
  const begin = useCallback((file: File) => {
    controller.current = new AbortController();
    setState({ file, fraction: 0 });
    return {
      signal: controller.current.signal,
      onProgress: (fraction: number) => setState((s) => (s ? { ...s, fraction } : s)),
    };
  }, []);
  const end = useCallback(() => {
    controller.current = null;
    setState(null);
  }, []);
  const cancel = useCallback(() => controller.current?.abort(), []);
  return { state, begin, end, cancel };
}

/** A progress bar with what is being sent, and a way to stop it. */
export function UploadProgress({
  state,
  onCancel,
  compact = false,
}: {
  state: UploadState;
  onCancel: () => void;
  compact?: boolean;
}) {
  const pct = Math.round(state.fraction * 100);
  const sent = state.fraction >= 1;
  return (
    <div className={`flex flex-col gap-1 ${compact ? 'min-w-48' : 'w-full max-w-md'}`}>
      <div className="flex items-baseline justify-between gap-2 text-xs text-slate-600">
        <span className="truncate" title={state.file.name}>
          {sent ? 'Checking on the server…' : `Uploading ${compact ? '' : `${state.file.name} `}`}
          {!sent && <span className="text-slate-500">({formatBytes(state.file.size)})</span>}
        </span>
        <span className="tabular-nums">{pct}%</span>
      </div>
      <div
        role="progressbar"
        aria-label={`Upload of ${state.file.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        className="h-2 overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full bg-sky-600 transition-all" style={{ width: `${pct}%` }} />
      </div>
      {!sent && (
        <div>
          <button type="button" className="text-xs font-medium text-sky-700 underline" onClick={onCancel}>
            Cancel upload
          </button>
        </div>
      )}
    </div>
  );
}

/**
 * A drop zone with a "choose a file" button (the keyboard path; dropping is a pointer shortcut).
 * `label` names the hidden file input, so tests and assistive tech find it by name.
 */
export function FileDrop({
  label,
  accept,
  disabled = false,
  onFile,
  children,
}: {
  label: string;
  accept: string;
  disabled?: boolean;
  onFile: (file: File) => void;
  children: ReactNode;
}) {
  const [dragging, setDragging] = useState(false);

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file && !disabled) onFile(file);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer shortcut; the button is the keyboard path.
    <div
      data-testid="file-drop"
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      className={`flex min-h-32 flex-col items-center justify-center gap-2 rounded-md border-2 border-dashed px-4 py-4 text-center text-sm ${
        dragging ? 'border-sky-500 bg-sky-50' : 'border-slate-300 bg-slate-50'
      }`}
    >
      {children}
      <FilePickerButton label={label} accept={accept} disabled={disabled} onFile={onFile}>
        Choose a file…
      </FilePickerButton>
    </div>
  );
}

/** A button that opens the file picker; `label` names the (hidden) file input. */
export function FilePickerButton({
  label,
  accept,
  disabled = false,
  onFile,
  buttonLabel,
  children,
}: {
  label: string;
  accept: string;
  disabled?: boolean;
  onFile: (file: File) => void;
  /** An accessible name for the button when its text alone is ambiguous (one per table row). */
  buttonLabel?: string;
  children: ReactNode;
}) {
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className={secondaryButton}
        disabled={disabled}
        aria-label={buttonLabel}
        onClick={() => inputRef.current?.click()}
      >
        {children}
      </button>
      <input
        ref={inputRef}
        type="file"
        aria-label={label}
        accept={accept}
        hidden
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) onFile(file);
          e.target.value = '';
        }}
      />
    </>
  );
}
