import type { TestAction, TestCase, TestState } from '@aegis/contracts';
import { type ReactNode, useId, useState } from 'react';
import { describeError } from '../../../app/api';
import { ErrorMessage } from '../../../components/Feedback';
import { useTransition } from '../api';
import { formatDateTime, inputClass, primaryButton, secondaryButton } from './ui';

export const actionLabels: Record<TestAction, string> = {
  start_execution: 'Start execution',
  submit_to_blue: 'Submit to blue',
  submit_for_review: 'Submit for review',
  reopen: 'Reopen',
};

/** The actions that belong to a side's record: they sit under its form and save it first. */
export const SIDE_ACTIONS: Record<'red' | 'blue', readonly TestAction[]> = {
  red: ['start_execution', 'submit_to_blue'],
  blue: ['submit_for_review'],
};

/** States in which a side still has its record to make (before them: not started; after: done). */
const SIDE_TURN: Record<'red' | 'blue', readonly TestState[]> = {
  red: ['draft', 'red_executing'],
  blue: ['blue_evaluating'],
};
export const isSideTurn = (side: 'red' | 'blue', state: TestState): boolean =>
  SIDE_TURN[side].includes(state);

/**
 * The transitions the caller may take now, with an optional comment. `beforeAction` runs first (a
 * record's unsaved changes are saved before it is handed over); false stops the action.
 */
export function ActionBar({
  test,
  actions,
  beforeAction,
}: {
  test: TestCase;
  actions: readonly TestAction[];
  beforeAction?: () => Promise<boolean>;
}) {
  const transition = useTransition(test.id);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const commentId = useId();
  if (actions.length === 0) return null;
  const act = async (action: TestAction) => {
    setBusy(true);
    try {
      if (beforeAction && !(await beforeAction())) return;
      await transition.mutateAsync({ action, comment }).then(() => setComment(''));
    } catch {
      // The error is shown from `transition.error`.
    } finally {
      setBusy(false);
    }
  };
  return (
    <section
      aria-label="Workflow actions"
      className="mt-4 rounded-lg border border-sky-200 bg-sky-50 p-3 text-sm text-sky-950"
    >
      <div className="flex flex-wrap items-end gap-3">
        <label htmlFor={commentId} className="min-w-64 flex-1">
          <span className="mb-1 block font-medium">Comment (optional)</span>
          <input
            id={commentId}
            className={inputClass}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        </label>
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            disabled={busy || transition.isPending}
            onClick={() => void act(action)}
            className={primaryButton}
          >
            {actionLabels[action]}
          </button>
        ))}
      </div>
      {transition.isError && (
        <div className="mt-3">
          <ErrorMessage message={describeError(transition.error)} />
        </div>
      )}
    </section>
  );
}

/** A record read as text: label and value pairs. */
export function Facts({ children }: { children: ReactNode }) {
  return <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">{children}</dl>;
}

export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="font-medium text-slate-500">{label}</dt>
      <dd className="min-w-0 text-slate-900">{children}</dd>
    </>
  );
}

export const notRecorded = <span className="text-slate-500">Not recorded</span>;

/** A side's save button and its "Saved." — secondary when the side's actions follow it. */
export function SaveBar({
  save,
  label,
  primary,
}: {
  save: { isPending: boolean; isSuccess: boolean };
  label: string;
  primary: boolean;
}) {
  return (
    <div className="mt-3 flex items-center gap-3">
      <button type="submit" disabled={save.isPending} className={primary ? primaryButton : secondaryButton}>
        {save.isPending ? 'Saving…' : label}
      </button>
      {save.isSuccess && <span className="text-sm text-emerald-700">Saved.</span>}
    </div>
  );
}

export function SaveError({ save }: { save: { isError: boolean; error: unknown } }) {
  if (!save.isError) return null;
  return (
    <div className="mt-3">
      <ErrorMessage message={describeError(save.error)} />
    </div>
  );
}

/** An instant in the reader's time zone (with the zone's name), machine-readable too. */
export function Time({ iso }: { iso: string }) {
  return <time dateTime={iso}>{formatDateTime(iso, { zone: true })}</time>;
}
