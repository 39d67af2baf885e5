import type { TestAction, TestCase } from '@aegis/contracts';
import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../../../app/api';
import { type RedInput, useRecordRed } from '../api';
import { ActionBar, Fact, Facts, isSideTurn, notRecorded, SaveBar, SaveError, Time } from './records';
import { Card, Field, fromLocalInput, inputClass, primaryButton, secondaryButton, toLocalInput } from './ui';

const TITLE = 'Red team execution';

/** What red has saved, as the body the form would send. */
const savedBody = (test: TestCase): RedInput => ({
  procedure: test.red.procedure,
  commands: test.red.commands,
  targetHost: test.red.targetHost,
  executionStartedAt: test.red.executionStartedAt,
  executionEndedAt: test.red.executionEndedAt,
});

/**
 * When execution started, if red has not said: the moment the test entered red executing (the
 * "Start execution" click), so the usual case needs no typing.
 */
function defaultStart(test: TestCase): string | null {
  if (test.red.executionStartedAt) return test.red.executionStartedAt;
  if (test.state !== 'red_executing') return null;
  const started = test.transitions.findLast((t) => t.to === 'red_executing');
  return started?.at ?? new Date().toISOString();
}

const nowLocal = () => toLocalInput(new Date().toISOString());

/** Red's record for those who may edit it: the form, then its save and the red actions (`actions`). */
export function RedForm({ test, actions }: { test: TestCase; actions: readonly TestAction[] }) {
  const save = useRecordRed(test.id);
  const [procedure, setProcedure] = useState(test.red.procedure);
  const [commands, setCommands] = useState(test.red.commands);
  const [targetHost, setTargetHost] = useState(test.red.targetHost ?? '');
  const [started, setStarted] = useState(toLocalInput(defaultStart(test)));
  const [ended, setEnded] = useState(toLocalInput(test.red.executionEndedAt));
  const errors = fieldErrors(save.error);
  const prefilled =
    !test.red.executionStartedAt && started !== '' && started === toLocalInput(defaultStart(test));

  const body = (): RedInput => ({
    procedure,
    commands,
    targetHost: targetHost.trim() || null,
    executionStartedAt: fromLocalInput(started),
    executionEndedAt: fromLocalInput(ended),
  });
  /** Saves what changed (nothing to do when nothing did); false when the server refused it. */
  const saveChanges = async (): Promise<boolean> => {
    const next = body();
    if (JSON.stringify(next) === JSON.stringify(savedBody(test))) return true;
    try {
      await save.mutateAsync(next);
      return true;
    } catch {
      return false;
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(body());
  };

  return (
    <Card title={TITLE} labelId={`red-${test.id}`}>
      <form onSubmit={onSubmit} aria-label="Red team record">
        <fieldset disabled={save.isPending} className="grid gap-3 md:grid-cols-2">
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
          <TimeField
            label="Execution started"
            nowLabel="Started now"
            value={started}
            onChange={setStarted}
            error={errors.executionStartedAt}
            hint={
              prefilled
                ? 'When the execution was started here; change it if it began at another time.'
                : undefined
            }
          />
          <TimeField
            label="Execution ended"
            nowLabel="Ended now"
            value={ended}
            onChange={setEnded}
            error={errors.executionEndedAt}
          />
        </fieldset>
        <SaveBar save={save} label="Save red record" primary={actions.length === 0} />
        {Object.keys(errors).length === 0 && <SaveError save={save} />}
      </form>
      <ActionBar test={test} actions={actions} beforeAction={saveChanges} />
    </Card>
  );
}

/** A local date and time with a button that sets it to now. */
function TimeField({
  label,
  nowLabel,
  value,
  onChange,
  error,
  hint,
}: {
  label: string;
  nowLabel: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  hint?: string;
}) {
  return (
    <div>
      <Field label={label} error={error}>
        <input
          type="datetime-local"
          className={inputClass}
          value={value}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      </Field>
      <div className="mt-1 flex items-start justify-between gap-2">
        <span className="text-xs text-slate-500">{hint}</span>
        <button
          type="button"
          className="shrink-0 text-xs font-medium text-sky-700 hover:underline"
          onClick={() => onChange(nowLocal())}
        >
          {nowLabel}
        </button>
      </div>
    </div>
  );
}

/** Red's record for everyone who may not edit it (now): text, never disabled fields. */
export function RedRecordView({ test }: { test: TestCase }) {
  const { red } = test;
  const nothing = !red.procedure && !red.commands && !red.targetHost && !red.executionStartedAt;
  const turn = isSideTurn('red', test.state);
  return (
    <Card title={TITLE} labelId={`red-${test.id}`}>
      {turn && (
        <p className="mb-3 text-sm text-slate-600">
          {test.state === 'draft'
            ? 'The red team has not started this test yet.'
            : 'The red team is executing this test and records it here.'}
        </p>
      )}
      {nothing ? (
        <p className="text-sm text-slate-500">Nothing recorded{turn ? ' yet' : ''}.</p>
      ) : (
        <Facts>
          <Fact label="Procedure">
            {red.procedure ? <p className="whitespace-pre-wrap">{red.procedure}</p> : notRecorded}
          </Fact>
          <Fact label="Commands">
            {red.commands ? (
              <pre className="overflow-x-auto rounded bg-slate-50 p-2 font-mono text-xs whitespace-pre-wrap">
                {red.commands}
              </pre>
            ) : (
              notRecorded
            )}
          </Fact>
          <Fact label="Target host">{red.targetHost ?? notRecorded}</Fact>
          <Fact label="Execution started">
            {red.executionStartedAt ? <Time iso={red.executionStartedAt} /> : notRecorded}
          </Fact>
          <Fact label="Execution ended">
            {red.executionEndedAt ? <Time iso={red.executionEndedAt} /> : notRecorded}
          </Fact>
        </Facts>
      )}
    </Card>
  );
}
