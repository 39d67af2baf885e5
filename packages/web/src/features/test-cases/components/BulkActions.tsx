import type { BulkTestRequest, BulkTestResponse } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { describeError } from '../../../app/api';
import { primaryButton, secondaryButton } from '../../../components/buttons';
import { useBulkTests } from '../api';
import { AssigneeSelect, KEEP } from './Assignees';

/** The tests chosen on the list: id → title (kept to name them in the report). */
export type Selection = ReadonlyMap<string, string>;

interface Report {
  action: string;
  response: BulkTestResponse;
  titles: Selection;
}

const ACTION_LABEL: Record<BulkTestRequest['action'], string> = {
  assign: 'Assignment',
  start_execution: 'Start execution',
};

/**
 * The leads' actions on the selected tests — assign the red and/or blue person, start execution —
 * and the report of the last one (how many done, skipped, failed; each skipped or failed test with
 * its reason) in a live region, so a screen reader hears how it went.
 */
export function BulkActions({
  selection,
  onClear,
  canStart,
}: {
  selection: Selection;
  onClear: () => void;
  /** The caller's role may start execution (red lead, admin): a blue lead's attempt would only fail. */
  canStart: boolean;
}) {
  const bulk = useBulkTests();
  const [assigning, setAssigning] = useState(false);
  const [red, setRed] = useState(KEEP);
  const [blue, setBlue] = useState(KEEP);
  const [report, setReport] = useState<Report | null>(null);

  const run = (request: Omit<BulkTestRequest, 'ids'>) => {
    const titles = new Map(selection);
    bulk.mutate({ ...request, ids: [...titles.keys()] } as BulkTestRequest, {
      onSuccess: (response) => {
        setReport({ action: ACTION_LABEL[request.action], response, titles });
        setAssigning(false);
        setRed(KEEP);
        setBlue(KEEP);
        onClear();
      },
    });
  };
  const assign = () =>
    run({
      action: 'assign',
      ...(red === KEEP ? {} : { assignedRedId: red || null }),
      ...(blue === KEEP ? {} : { assignedBlueId: blue || null }),
    });

  return (
    <>
      {selection.size > 0 && (
        <div className="mb-3 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm">
          <div role="toolbar" aria-label="Bulk actions" className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-sky-900">{selection.size} selected</span>
            <button
              type="button"
              className={secondaryButton}
              aria-expanded={assigning}
              disabled={bulk.isPending}
              onClick={() => setAssigning((open) => !open)}
            >
              Assign…
            </button>
            {canStart && (
              <button
                type="button"
                className={secondaryButton}
                disabled={bulk.isPending}
                onClick={() => run({ action: 'start_execution' })}
              >
                Start execution
              </button>
            )}
            <button type="button" className="text-sky-800 hover:underline" onClick={onClear}>
              Clear selection
            </button>
            {bulk.isPending && <span className="text-sky-900">Working…</span>}
          </div>
          {assigning && (
            <form
              aria-label="Assign the selected tests"
              className="mt-2 flex flex-wrap items-end gap-3 border-t border-sky-200 pt-2"
              onSubmit={(e) => {
                e.preventDefault();
                assign();
              }}
            >
              <AssigneeSelect side="red" label="Red person" value={red} onChange={setRed} keep />
              <AssigneeSelect side="blue" label="Blue person" value={blue} onChange={setBlue} keep />
              <button
                type="submit"
                className={primaryButton}
                disabled={bulk.isPending || (red === KEEP && blue === KEEP)}
              >
                Assign {selection.size} test{selection.size === 1 ? '' : 's'}
              </button>
              <button type="button" className={secondaryButton} onClick={() => setAssigning(false)}>
                Cancel
              </button>
            </form>
          )}
          {bulk.isError && <p className="mt-2 text-red-700">{describeError(bulk.error)}</p>}
        </div>
      )}
      <div role="status" className="empty:hidden">
        {report && <BulkReport report={report} onDismiss={() => setReport(null)} />}
      </div>
    </>
  );
}

function BulkReport({ report, onDismiss }: { report: Report; onDismiss: () => void }) {
  const { response, titles } = report;
  const noted = response.results.filter((r) => r.status !== 'done');
  const tone = response.failed > 0 ? 'border-amber-300 bg-amber-50' : 'border-emerald-300 bg-emerald-50';
  return (
    <div
      data-testid="bulk-report"
      className={`mb-3 rounded-md border px-3 py-2 text-sm text-slate-900 ${tone}`}
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="font-medium">
          {report.action}: {response.done} done, {response.skipped} skipped, {response.failed} failed
        </p>
        <button type="button" className="text-slate-700 hover:underline" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      {noted.length > 0 && (
        <ul className="mt-1 flex flex-col gap-0.5">
          {noted.map((r) => (
            <li key={r.id}>
              <span className="font-medium">{r.status === 'failed' ? 'Failed' : 'Skipped'}</span>:{' '}
              {titles.has(r.id) ? (
                <Link to="/tests/$id" params={{ id: r.id }} className="text-sky-800 underline">
                  {titles.get(r.id)}
                </Link>
              ) : (
                r.id
              )}{' '}
              — {r.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
