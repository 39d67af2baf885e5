import type { ClaimedLayerDetail, LayerImportResult } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useId, useRef, useState } from 'react';
import { primaryButton, secondaryButton } from '../../../components/buttons';
import { Spinner } from '../../../components/Feedback';
import { inputClass } from '../../../components/SearchField';
import { useImportLayers } from '../api';
import { countsPhrase, describeImportError } from '../format';
import { LayerPreview } from './LayerPreview';

const layersPhrase = (layers: readonly ClaimedLayerDetail[]) =>
  layers.map((l) => `${l.name}: ${countsPhrase(l.counts)}`).join('. ');

/**
 * Import of a Navigator layer file, staged as the server stages it: the file and the claim rule are
 * sent as a dry run first, its preview is shown per layer, and only "Apply" sends them again for
 * real. A status region announces the preview and the result; a refusal is shown under the file.
 */
export function ImportLayerForm() {
  const id = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [threshold, setThreshold] = useState('0');
  const [preview, setPreview] = useState<LayerImportResult | null>(null);
  const [applied, setApplied] = useState<LayerImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const importLayers = useImportLayers();

  const claimThreshold = Number(threshold);
  const thresholdError =
    threshold.trim() === '' || !Number.isFinite(claimThreshold)
      ? 'The claim threshold must be a number.'
      : null;

  const reset = () => {
    setPreview(null);
    setError(null);
  };

  const send = (dryRun: boolean) => {
    if (!file || thresholdError) return;
    setError(null);
    importLayers.mutate(
      { file, claimThreshold, dryRun },
      {
        onSuccess: (result) => {
          if (result.dryRun) {
            setPreview(result);
            setApplied(null);
            setAnnouncement(
              `Preview of ${file.name}: ${result.layers.length} ${result.layers.length === 1 ? 'layer' : 'layers'}. ${layersPhrase(result.layers)}. Nothing is imported until you apply.`,
            );
          } else {
            setPreview(null);
            setApplied(result);
            setFile(null);
            if (fileRef.current) fileRef.current.value = '';
            setAnnouncement(`Imported ${file.name}. ${layersPhrase(result.layers)}.`);
          }
        },
        onError: (err) => {
          const message = describeImportError(err);
          setError(message);
          setAnnouncement(`${file.name} was not ${dryRun ? 'read' : 'imported'}: ${message}`);
        },
      },
    );
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setError('Choose a layer file first.');
      return;
    }
    send(true);
  };

  return (
    <div className="flex flex-col gap-3">
      <form
        aria-label="Import a layer"
        className="flex flex-wrap items-start gap-4"
        onSubmit={onSubmit}
        noValidate
      >
        <div className="flex min-w-72 flex-1 flex-col gap-1">
          <label htmlFor={`${id}-file`} className="text-sm font-medium text-slate-700">
            Layer file (Navigator JSON, at most 10 MB)
          </label>
          <input
            ref={fileRef}
            id={`${id}-file`}
            type="file"
            accept=".json,application/json"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-file-error` : undefined}
            className="text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-700 hover:file:bg-slate-50"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setApplied(null);
              reset();
            }}
          />
          {error && (
            <p id={`${id}-file-error`} data-testid="file-error" className="text-sm text-red-700">
              {error}
            </p>
          )}
        </div>
        <div className="flex w-56 flex-col gap-1">
          <label htmlFor={`${id}-threshold`} className="text-sm font-medium text-slate-700">
            Claim threshold
          </label>
          <input
            id={`${id}-threshold`}
            type="number"
            inputMode="decimal"
            step="any"
            value={threshold}
            aria-invalid={thresholdError ? true : undefined}
            aria-describedby={`${id}-threshold-help`}
            className={inputClass}
            onChange={(e) => {
              setThreshold(e.target.value);
              reset();
            }}
          />
          <p id={`${id}-threshold-help`} className="text-xs text-slate-600">
            {thresholdError ?? 'An enabled entry claims when it has no score or a score above this.'}
          </p>
        </div>
        <div className="flex items-end gap-2 self-end pb-5">
          <button
            type="submit"
            className={primaryButton}
            disabled={importLayers.isPending || thresholdError !== null || preview !== null}
          >
            Preview
          </button>
        </div>
      </form>

      <p role="status" aria-live="polite" className="sr-only" data-testid="import-status">
        {announcement}
      </p>
      {importLayers.isPending && <Spinner label="Reading the file on the server…" />}

      {applied && (
        <div className="rounded-md border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900">
          <p className="font-medium">
            Imported {applied.layers.length} {applied.layers.length === 1 ? 'layer' : 'layers'}:
          </p>
          <ul className="mt-1 list-disc pl-5">
            {applied.layers.map((l) => (
              <li key={l.id ?? l.sourceIndex}>
                {l.id ? (
                  <Link to="/layers/$id" params={{ id: l.id }} className="text-sky-800 underline">
                    {l.name}
                  </Link>
                ) : (
                  l.name
                )}{' '}
                — {countsPhrase(l.counts)}
              </li>
            ))}
          </ul>
        </div>
      )}

      {preview && (
        <section
          aria-labelledby={`${id}-preview`}
          className="flex flex-col gap-3"
          data-testid="import-preview"
        >
          <div className="flex flex-wrap items-center justify-between gap-2 rounded-md bg-sky-50 px-3 py-2">
            {/* Not a heading: each layer below is one, under the form's card. */}
            <p id={`${id}-preview`} className="text-sm font-semibold text-sky-950">
              Preview of {file?.name}: {preview.layers.length}{' '}
              {preview.layers.length === 1 ? 'layer' : 'layers'}, nothing imported yet
            </p>
            <div className="flex gap-2">
              <button
                type="button"
                className={primaryButton}
                disabled={importLayers.isPending}
                onClick={() => send(false)}
              >
                Apply
              </button>
              <button
                type="button"
                className={secondaryButton}
                disabled={importLayers.isPending}
                onClick={() => {
                  reset();
                  setAnnouncement('Preview cancelled: nothing was imported.');
                }}
              >
                Cancel
              </button>
            </div>
          </div>
          {preview.layers.map((layer) => (
            <LayerPreview key={layer.sourceIndex} layer={layer} />
          ))}
        </section>
      )}
    </div>
  );
}
