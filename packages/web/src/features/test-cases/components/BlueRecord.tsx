import type { Outcome, TestAction, TestCase } from '@aegis/contracts';
import { type FormEvent, useState } from 'react';
import { fieldErrors } from '../../../app/api';
import { type BlueInput, useRecordBlue } from '../api';
import { ActionBar, Fact, Facts, isSideTurn, notRecorded, SaveBar, SaveError, Time } from './records';
import {
  Card,
  Field,
  fromLocalInput,
  inputClass,
  OutcomeOptions,
  outcomeLabel,
  primaryButton,
  secondaryButton,
  toLocalInput,
} from './ui';

const TITLE = 'Blue team evaluation';

type TimeField = 'firstLoggedAt' | 'detectedAt' | 'preventedAt';
const TIME_LABELS: Record<TimeField, string> = {
  firstLoggedAt: 'First logged at',
  detectedAt: 'Detected at',
  preventedAt: 'Prevented at',
};
/** The times a tool's outcome implies, in the order an attack meets them (a tool that prevented also logged…). */
export const timesFor = (outcome: Outcome | ''): TimeField[] => {
  switch (outcome) {
    case 'prevented':
      return ['firstLoggedAt', 'detectedAt', 'preventedAt'];
    case 'detected':
      return ['firstLoggedAt', 'detectedAt'];
    case 'logged':
      return ['firstLoggedAt'];
    default:
      return [];
  }
};

interface ToolRow {
  key: number;
  tool: string;
  outcome: Outcome | '';
  firstLoggedAt: string;
  detectedAt: string;
  preventedAt: string;
  notes: string;
}

let rowSeq = 0;
const blankRow = (): ToolRow => ({
  key: ++rowSeq,
  tool: '',
  outcome: '',
  firstLoggedAt: '',
  detectedAt: '',
  preventedAt: '',
  notes: '',
});
const isBlank = (r: ToolRow) =>
  !r.tool.trim() && !r.outcome && !r.firstLoggedAt && !r.detectedAt && !r.preventedAt && !r.notes;

function rowsOf(test: TestCase): ToolRow[] {
  return test.blue.toolResults.map((t) => ({
    key: ++rowSeq,
    tool: t.tool,
    outcome: t.outcome,
    firstLoggedAt: toLocalInput(t.firstLoggedAt),
    detectedAt: toLocalInput(t.detectedAt),
    preventedAt: toLocalInput(t.preventedAt),
    notes: t.notes,
  }));
}

/** The body for `rows` and the other fields, or the problems (by field) that stop it being sent. */
function buildBody(
  rows: readonly ToolRow[],
  rest: { override: Outcome | ''; rules: string; notes: string },
): { body: BlueInput; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const kept = rows.filter((r) => !isBlank(r));
  kept.forEach((r, i) => {
    if (!r.tool.trim()) problems[`toolResults.${i}.tool`] = 'Name the tool.';
    if (!r.outcome) problems[`toolResults.${i}.outcome`] = 'Choose what the tool did.';
  });
  const body: BlueInput = {
    outcome: rest.override || null,
    toolResults: kept.map((r) => {
      const applies = timesFor(r.outcome);
      const time = (f: TimeField) => (applies.includes(f) ? fromLocalInput(r[f]) : null);
      return {
        tool: r.tool.trim(),
        outcome: (r.outcome || 'not_detected') as Outcome,
        firstLoggedAt: time('firstLoggedAt'),
        detectedAt: time('detectedAt'),
        preventedAt: time('preventedAt'),
        notes: r.notes,
      };
    }),
    firedRules: rest.rules
      .split('\n')
      .map((name) => name.trim())
      .filter(Boolean)
      .map((name) => ({ name })),
    notes: rest.notes,
  };
  return { body, problems };
}

/**
 * Blue's record for those who may edit it. It opens with one tool row ready when nothing is
 * recorded (a row left empty is not sent); the blue actions (`actions`) come after it and save first.
 */
export function BlueForm({ test, actions }: { test: TestCase; actions: readonly TestAction[] }) {
  const save = useRecordBlue(test.id);
  const [rows, setRows] = useState<ToolRow[]>(() => {
    const saved = rowsOf(test);
    return saved.length > 0 ? saved : [blankRow()];
  });
  const [focusKey, setFocusKey] = useState<number | null>(null);
  const [override, setOverride] = useState<Outcome | ''>(
    test.blue.outcomeExplicit && test.blue.outcome ? test.blue.outcome : '',
  );
  const [rules, setRules] = useState(test.blue.firedRules.map((r) => r.name).join('\n'));
  const [notes, setNotes] = useState(test.blue.notes);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const errors = { ...fieldErrors(save.error), ...problems };

  const update = (key: number, patch: Partial<ToolRow>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const current = () => buildBody(rows, { override, rules, notes });

  /** Saves what changed; false when something is missing or the server refused it. */
  const saveChanges = async (): Promise<boolean> => {
    const { body, problems: found } = current();
    setProblems(found);
    if (Object.keys(found).length > 0) return false;
    const saved = buildBody(rowsOf(test), {
      override: test.blue.outcomeExplicit && test.blue.outcome ? test.blue.outcome : '',
      rules: test.blue.firedRules.map((r) => r.name).join('\n'),
      notes: test.blue.notes,
    }).body;
    if (JSON.stringify(body) === JSON.stringify(saved)) return true;
    try {
      await save.mutateAsync(body);
      return true;
    } catch {
      return false;
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const { body, problems: found } = current();
    setProblems(found);
    if (Object.keys(found).length === 0) save.mutate(body);
  };
  const addRow = () => {
    const row = blankRow();
    setFocusKey(row.key);
    setRows((rs) => [...rs, row]);
  };

  return (
    <Card title={TITLE} labelId={`blue-${test.id}`}>
      <form onSubmit={onSubmit} aria-label="Blue team record" noValidate>
        <fieldset disabled={save.isPending} className="flex flex-col gap-3">
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
                      className="md:col-span-3"
                    >
                      <input
                        className={inputClass}
                        value={row.tool}
                        placeholder="e.g. Defender for Endpoint"
                        // Focus goes to a row the user has just added (not to the first one on page load).
                        // biome-ignore lint/a11y/noAutofocus: only a row added by the user's own click.
                        autoFocus={row.key === focusKey}
                        aria-invalid={errors[`toolResults.${i}.tool`] ? true : undefined}
                        onChange={(e) => update(row.key, { tool: e.target.value })}
                      />
                    </Field>
                    <Field
                      label="Tool outcome"
                      error={errors[`toolResults.${i}.outcome`]}
                      className="md:col-span-2"
                    >
                      <select
                        className={inputClass}
                        value={row.outcome}
                        aria-invalid={errors[`toolResults.${i}.outcome`] ? true : undefined}
                        onChange={(e) => update(row.key, { outcome: e.target.value as Outcome | '' })}
                      >
                        <option value="">Choose…</option>
                        <OutcomeOptions />
                      </select>
                    </Field>
                    <div className="flex items-end justify-end">
                      <button
                        type="button"
                        className={secondaryButton}
                        aria-label={`Remove ${row.tool.trim() || `tool result ${i + 1}`}`}
                        onClick={() => setRows((rs) => rs.filter((r) => r.key !== row.key))}
                      >
                        Remove
                      </button>
                    </div>
                    {timesFor(row.outcome).map((field) => (
                      <Field key={field} label={TIME_LABELS[field]} className="md:col-span-2">
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
            <button type="button" className={`${secondaryButton} mt-2`} onClick={addRow}>
              Add tool result
            </button>
          </div>
          <div className="grid gap-3 md:grid-cols-2">
            <Field label="Overall outcome" error={errors.outcome}>
              <select
                className={inputClass}
                value={override}
                onChange={(e) => setOverride(e.target.value as Outcome | '')}
              >
                <option value="">
                  Best of the tools{test.blue.outcome ? ` (${outcomeLabel(test.blue.outcome)})` : ''}
                </option>
                <OutcomeOptions />
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
        <SaveBar save={save} label="Save blue record" primary={actions.length === 0} />
        <SaveError save={save} />
      </form>
      <ActionBar test={test} actions={actions} beforeAction={saveChanges} />
    </Card>
  );
}

/** Blue's record for everyone who may not edit it (now): text, never disabled fields. */
export function BlueRecordView({ test }: { test: TestCase }) {
  const { blue } = test;
  if (test.state === 'draft' || test.state === 'red_executing')
    return (
      <Card title={TITLE} labelId={`blue-${test.id}`}>
        <p className="text-sm text-slate-600">The blue team evaluates this test once red hands it over.</p>
      </Card>
    );
  const nothing =
    blue.toolResults.length === 0 && !blue.outcome && blue.firedRules.length === 0 && !blue.notes;
  const turn = isSideTurn('blue', test.state);
  return (
    <Card title={TITLE} labelId={`blue-${test.id}`}>
      {turn && (
        <p className="mb-3 text-sm text-slate-600">
          The blue team is evaluating this test and records it here.
        </p>
      )}
      {nothing ? (
        <p className="text-sm text-slate-500">Nothing recorded{turn ? ' yet' : ''}.</p>
      ) : (
        <div className="flex flex-col gap-3">
          <Facts>
            <Fact label="Overall outcome">
              {blue.outcome ? (
                <>
                  <span className="font-medium">{outcomeLabel(blue.outcome)}</span>{' '}
                  <span className="text-slate-500">
                    {blue.outcomeExplicit ? '(set by the blue team)' : '(the best of the tools)'}
                  </span>
                </>
              ) : (
                notRecorded
              )}
            </Fact>
          </Facts>
          {blue.toolResults.length > 0 && (
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Results per defensive tool</caption>
              <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    Tool
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    Outcome
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    When
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {blue.toolResults.map((t) => (
                  <tr
                    key={`${t.tool}|${t.outcome}|${t.firstLoggedAt}|${t.detectedAt}|${t.preventedAt}`}
                    data-testid="tool-result"
                  >
                    <td className="py-1.5 pr-3 align-top font-medium text-slate-900">{t.tool}</td>
                    <td className="py-1.5 pr-3 align-top">{outcomeLabel(t.outcome)}</td>
                    <td className="py-1.5 align-top text-slate-700">
                      {(['firstLoggedAt', 'detectedAt', 'preventedAt'] as const)
                        .filter((f) => t[f])
                        .map((f) => (
                          <span key={f} className="block">
                            {TIME_LABELS[f].replace(' at', '')} <Time iso={t[f] as string} />
                          </span>
                        ))}
                      {t.notes && <span className="block text-slate-600">{t.notes}</span>}
                      {!t.firstLoggedAt && !t.detectedAt && !t.preventedAt && !t.notes && (
                        <span className="text-slate-500">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Facts>
            <Fact label="Rules that fired">
              {blue.firedRules.length > 0 ? (
                <ul className="list-inside list-disc">
                  {blue.firedRules.map((r) => (
                    <li key={r.ruleId ?? r.name}>{r.name}</li>
                  ))}
                </ul>
              ) : (
                <span className="text-slate-500">None</span>
              )}
            </Fact>
            <Fact label="Notes">
              {blue.notes ? <p className="whitespace-pre-wrap">{blue.notes}</p> : notRecorded}
            </Fact>
          </Facts>
        </div>
      )}
    </Card>
  );
}
