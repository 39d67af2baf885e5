import type { Outcome, TestAction, TestCase } from '@aegis/contracts';
import { type FormEvent, useId, useState } from 'react';
import { describeError, fieldErrors } from '../../../app/api';
import { ErrorMessage } from '../../../components/Feedback';
import { type ToolResultInput, useRecordBlue, useRecordRed, useTransition } from '../api';
import {
  Card,
  Field,
  fromLocalInput,
  HIDDEN_UNTIL_REVIEW,
  inputClass,
  outcomeLabel,
  outcomes,
  primaryButton,
  secondaryButton,
  toLocalInput,
} from './ui';

export const actionLabels: Record<TestAction, string> = {
  start_execution: 'Start execution',
  submit_to_blue: 'Submit to blue',
  submit_for_review: 'Submit for review',
  reopen: 'Reopen',
};

/** The workflow of one test: the actions the caller may take now, then the red and blue records. */
/** The times a tool may record, in the order an attack meets them. */
const toolTimes = [
  ['firstLoggedAt', 'First logged at'],
  ['detectedAt', 'Detected at'],
  ['preventedAt', 'Prevented at'],
] as const;

export function WorkflowPanel({ test }: { test: TestCase }) {
  return (
    <div className="flex flex-col gap-4">
      <ActionBar test={test} />
      {test.hidden.includes('red') ? (
        <HiddenRecord test={test} side="red" />
      ) : (
        <RedForm key={`red-${test.id}-${test.state}`} test={test} />
      )}
      {test.hidden.includes('blue') ? (
        <HiddenRecord test={test} side="blue" />
      ) : (
        <BlueForm key={`blue-${test.id}-${test.state}`} test={test} />
      )}
    </div>
  );
}

/** The other team's record while the test is in flight: said in words, not shown as empty fields. */
function HiddenRecord({ test, side }: { test: TestCase; side: 'red' | 'blue' }) {
  const title = side === 'red' ? 'Red team execution' : 'Blue team evaluation';
  return (
    <Card title={title} labelId={`${side}-${test.id}`}>
      <p className="text-sm text-slate-600">
        <strong>{HIDDEN_UNTIL_REVIEW}.</strong> Each team works without seeing the other's record; it appears
        here once the leads have reviewed the test.
        {side === 'red' && test.red.targetHost && ` Target host: ${test.red.targetHost}.`}
      </p>
    </Card>
  );
}

export function ActionBar({ test }: { test: TestCase }) {
  const transition = useTransition(test.id);
  const [comment, setComment] = useState('');
  const commentId = useId();
  if (test.allowedActions.length === 0) return null;
  return (
    <section
      aria-label="Workflow actions"
      className="rounded-lg border border-sky-200 bg-sky-50 p-4 text-sm text-sky-950"
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
        {test.allowedActions.map((action) => (
          <button
            key={action}
            type="button"
            disabled={transition.isPending}
            onClick={() => transition.mutate({ action, comment }, { onSuccess: () => setComment('') })}
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

export function RedForm({ test }: { test: TestCase }) {
  const save = useRecordRed(test.id);
  const editable = test.canEditRed;
  const [procedure, setProcedure] = useState(test.red.procedure);
  const [commands, setCommands] = useState(test.red.commands);
  const [targetHost, setTargetHost] = useState(test.red.targetHost ?? '');
  const [started, setStarted] = useState(toLocalInput(test.red.executionStartedAt));
  const [ended, setEnded] = useState(toLocalInput(test.red.executionEndedAt));
  const errors = fieldErrors(save.error);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      procedure,
      commands,
      targetHost: targetHost.trim() || null,
      executionStartedAt: fromLocalInput(started),
      executionEndedAt: fromLocalInput(ended),
    });
  };

  return (
    <Card title="Red team execution" labelId={`red-${test.id}`}>
      <form onSubmit={onSubmit} aria-label="Red team record">
        <fieldset disabled={!editable || save.isPending} className="grid gap-3 md:grid-cols-2">
          <Field label="Procedure" error={errors.procedure} className="md:col-span-2">
            <textarea
              rows={3}
              className={inputClass}
              value={procedure}
              onChange={(e) => setProcedure(e.target.value)}
            />
          </Field>
          <Field label="Commands" error={errors.commands} className="md:col-span-2">
            <textarea
              rows={3}
              className={`${inputClass} font-mono text-xs`}
              value={commands}
              onChange={(e) => setCommands(e.target.value)}
            />
          </Field>
          <Field label="Target host" error={errors.targetHost} className="md:col-span-2">
            <input
              className={inputClass}
              value={targetHost}
              onChange={(e) => setTargetHost(e.target.value)}
            />
          </Field>
          <Field label="Execution started" error={errors.executionStartedAt}>
            <input
              type="datetime-local"
              className={inputClass}
              value={started}
              onChange={(e) => setStarted(e.target.value)}
            />
          </Field>
          <Field label="Execution ended" error={errors.executionEndedAt}>
            <input
              type="datetime-local"
              className={inputClass}
              value={ended}
              onChange={(e) => setEnded(e.target.value)}
            />
          </Field>
        </fieldset>
        <SaveRecord side="red" editable={editable} save={save} />
        {Object.keys(errors).length === 0 && <SaveError save={save} />}
      </form>
    </Card>
  );
}

const emptyTool = (): ToolResultInput => ({
  tool: '',
  outcome: 'detected',
  firstLoggedAt: null,
  detectedAt: null,
  preventedAt: null,
  notes: '',
});

interface ToolRow {
  key: number;
  tool: string;
  outcome: Outcome;
  firstLoggedAt: string;
  detectedAt: string;
  preventedAt: string;
  notes: string;
}

let rowSeq = 0;
const toRow = (t: ToolResultInput): ToolRow => ({
  key: ++rowSeq,
  tool: t.tool,
  outcome: t.outcome,
  firstLoggedAt: toLocalInput(t.firstLoggedAt),
  detectedAt: toLocalInput(t.detectedAt),
  preventedAt: toLocalInput(t.preventedAt),
  notes: t.notes,
});

export function BlueForm({ test }: { test: TestCase }) {
  const save = useRecordBlue(test.id);
  const editable = test.canEditBlue;
  const [rows, setRows] = useState<ToolRow[]>(() =>
    test.blue.toolResults.map((t) =>
      toRow({
        ...t,
        firstLoggedAt: t.firstLoggedAt ?? null,
        detectedAt: t.detectedAt ?? null,
        preventedAt: t.preventedAt ?? null,
      }),
    ),
  );
  const [override, setOverride] = useState<Outcome | ''>(
    test.blue.outcomeExplicit && test.blue.outcome ? test.blue.outcome : '',
  );
  const [rules, setRules] = useState(test.blue.firedRules.map((r) => r.name).join('\n'));
  const [notes, setNotes] = useState(test.blue.notes);
  const errors = fieldErrors(save.error);

  const update = (key: number, patch: Partial<ToolRow>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      outcome: override || null,
      toolResults: rows.map((r) => ({
        tool: r.tool.trim(),
        outcome: r.outcome,
        firstLoggedAt: fromLocalInput(r.firstLoggedAt),
        detectedAt: fromLocalInput(r.detectedAt),
        preventedAt: fromLocalInput(r.preventedAt),
        notes: r.notes,
      })),
      firedRules: rules
        .split('\n')
        .map((name) => name.trim())
        .filter(Boolean)
        .map((name) => ({ name })),
      notes,
    });
  };

  return (
    <Card title="Blue team evaluation" labelId={`blue-${test.id}`}>
      <form onSubmit={onSubmit} aria-label="Blue team record">
        <fieldset disabled={!editable || save.isPending} className="flex flex-col gap-3">
          <div>
            <p className="mb-1 text-sm font-medium text-slate-700">Results per defensive tool</p>
            {rows.length === 0 ? (
              <p className="text-sm text-slate-500">No tool result recorded.</p>
            ) : (
              <ul className="flex flex-col gap-2">
                {rows.map((row, i) => (
                  <li
                    key={row.key}
                    data-testid="tool-result"
                    className="grid gap-2 rounded-md border border-slate-200 p-2 md:grid-cols-6"
                  >
                    <Field
                      label="Tool name"
                      error={errors[`toolResults.${i}.tool`]}
                      className="md:col-span-2"
                    >
                      <input
                        className={inputClass}
                        value={row.tool}
                        onChange={(e) => update(row.key, { tool: e.target.value })}
                      />
                    </Field>
                    <Field label="Tool outcome" className="md:col-span-1">
                      <select
                        className={inputClass}
                        value={row.outcome}
                        onChange={(e) => update(row.key, { outcome: e.target.value as Outcome })}
                      >
                        {outcomes.map((o) => (
                          <option key={o} value={o}>
                            {outcomeLabel(o)}
                          </option>
                        ))}
                      </select>
                    </Field>
                    <div className="flex items-end justify-end md:col-span-3">
                      {editable && (
                        <button
                          type="button"
                          className={secondaryButton}
                          onClick={() => setRows((rs) => rs.filter((r) => r.key !== row.key))}
                        >
                          Remove
                        </button>
                      )}
                    </div>
                    {toolTimes.map(([field, label]) => (
                      <Field key={field} label={label} className="md:col-span-2">
                        <input
                          type="datetime-local"
                          className={inputClass}
                          value={row[field]}
                          onChange={(e) => update(row.key, { [field]: e.target.value })}
                        />
                      </Field>
                    ))}
                  </li>
                ))}
              </ul>
            )}
            {editable && (
              <button
                type="button"
                className={`${secondaryButton} mt-2`}
                onClick={() => setRows((rs) => [...rs, toRow(emptyTool())])}
              >
                Add tool result
              </button>
            )}
          </div>
          <div className="grid gap-3 md:grid-cols-2">
            <Field label="Overall outcome" error={errors.outcome}>
              <select
                className={inputClass}
                value={override}
                onChange={(e) => setOverride(e.target.value as Outcome | '')}
              >
                <option value="">
                  Derived from the tools{test.blue.outcome ? ` (${outcomeLabel(test.blue.outcome)})` : ''}
                </option>
                {outcomes.map((o) => (
                  <option key={o} value={o}>
                    {outcomeLabel(o)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Rules that fired (one per line)" error={errors.firedRules}>
              <textarea
                rows={2}
                className={inputClass}
                value={rules}
                onChange={(e) => setRules(e.target.value)}
              />
            </Field>
          </div>
          <Field label="Notes" error={errors.notes}>
            <textarea
              rows={3}
              className={inputClass}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
            />
          </Field>
        </fieldset>
        <SaveRecord side="blue" editable={editable} save={save} />
        <SaveError save={save} />
      </form>
    </Card>
  );
}

/** The save button of a side's record, or why it is read-only. */
function SaveRecord({
  side,
  editable,
  save,
}: {
  side: 'red' | 'blue';
  editable: boolean;
  save: { isPending: boolean; isSuccess: boolean };
}) {
  if (!editable)
    return (
      <p className="mt-3 text-xs text-slate-500">
        Read-only: the {side} team edits this while it is its turn.
      </p>
    );
  return (
    <div className="mt-3 flex items-center gap-3">
      <button type="submit" disabled={save.isPending} className={primaryButton}>
        {save.isPending ? 'Saving…' : `Save ${side} record`}
      </button>
      {save.isSuccess && <span className="text-sm text-emerald-700">Saved.</span>}
    </div>
  );
}

function SaveError({ save }: { save: { isError: boolean; error: unknown } }) {
  if (!save.isError) return null;
  return (
    <div className="mt-3">
      <ErrorMessage message={describeError(save.error)} />
    </div>
  );
}
