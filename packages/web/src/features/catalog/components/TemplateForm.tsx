import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { describeError, fieldErrors } from '../../../app/api';
import { primaryButton, secondaryButton } from '../../../components/buttons';
import { ErrorMessage } from '../../../components/Feedback';
import { inputClass } from '../../../components/SearchField';
import { TechniquePicker } from '../../attack/components/TechniquePicker';
import { Card, Field, OutcomeOptions } from '../../test-cases/components/ui';
import {
  type DraftErrors,
  firstInvalidField,
  newArgument,
  newDependency,
  type TemplateDraft,
  validateDraft,
} from '../templateForm';
import { ArgumentRow, CheckboxGroup, codeClass, DependencyRow } from './TemplateFormRows';

/** Platforms offered even before any template names them (the catalog adds what its sources use). */
export const BASE_PLATFORMS = [
  'windows',
  'linux',
  'macos',
  'containers',
  'iaas',
  'saas',
  'office-365',
  'azure-ad',
  'google-workspace',
  'esxi',
  'network-devices',
];
const EXECUTORS = ['powershell', 'command_prompt', 'sh', 'bash', 'psh', 'cmd', 'python', 'manual'];

/**
 * The custom-template form (create and edit). It checks the draft in words before sending, calls
 * `onSubmit` only with a valid one, and shows the server's 400 field issues under their fields until
 * the user changes that field. Focus moves to the first field with a problem.
 */
export function TemplateForm({
  initial,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
  cancel,
  platforms = [],
  tactics = [],
}: {
  initial: TemplateDraft;
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  /** The last submission's error (a 400 with field issues, a 409, the network…). */
  error: unknown;
  onSubmit: (draft: TemplateDraft) => void;
  cancel: ReactNode;
  /** Platforms the catalog already uses, offered beside `BASE_PLATFORMS`. */
  platforms?: readonly string[];
  /** ATT&CK tactics (shortname and name), in matrix order. */
  tactics?: readonly { value: string; label: string }[];
}) {
  const formId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState(initial);
  const [attempted, setAttempted] = useState(false);
  const [submitted, setSubmitted] = useState<TemplateDraft | null>(null);

  const clientErrors = attempted ? validateDraft(draft) : {};
  // A server issue stays under its field until that field is edited.
  const serverErrors = Object.fromEntries(
    Object.entries(fieldErrors(error)).filter(([path]) => {
      const field = path.split('.')[0] as keyof TemplateDraft;
      return submitted !== null && JSON.stringify(submitted[field]) === JSON.stringify(draft[field]);
    }),
  );
  const errors: DraftErrors = { ...serverErrors, ...clientErrors };
  const otherError = error && Object.keys(fieldErrors(error)).length === 0 ? describeError(error) : null;
  const problemCount = Object.keys(errors).length;

  const set = <K extends keyof TemplateDraft>(key: K, value: TemplateDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const focusField = (name: string | undefined) => {
    if (!name) return;
    const el = formRef.current?.querySelector<HTMLElement>(
      `[data-field="${name}"] input, [data-field="${name}"] textarea, [data-field="${name}"] button`,
    );
    el?.focus();
  };

  // A 400 from the server: take the user to the first field it names.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per new error.
  useEffect(() => {
    const issues = fieldErrors(error);
    if (Object.keys(issues).length > 0) focusField(firstInvalidField(issues, draft));
  }, [error]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAttempted(true);
    const problems = validateDraft(draft);
    if (Object.keys(problems).length > 0) {
      focusField(firstInvalidField(problems, draft));
      return;
    }
    setSubmitted(draft);
    onSubmit(draft);
  };

  const platformOptions = [...new Set([...BASE_PLATFORMS, ...platforms, ...draft.platforms])];
  const tacticOptions = [
    ...tactics,
    ...draft.tactics.filter((t) => !tactics.some((o) => o.value === t)).map((t) => ({ value: t, label: t })),
  ];

  return (
    <form
      ref={formRef}
      onSubmit={submit}
      noValidate
      aria-label={submitLabel}
      aria-busy={pending}
      className="flex flex-col gap-4"
    >
      <Card title="What it tests">
        <div className="flex flex-col gap-4">
          <div data-field="name">
            <Field label="Name" error={errors.name}>
              <input
                className={inputClass}
                value={draft.name}
                maxLength={400}
                aria-invalid={errors.name ? true : undefined}
                onChange={(e) => set('name', e.target.value)}
              />
            </Field>
          </div>
          <div data-field="techniques">
            <TechniquePicker
              label="Techniques"
              multiple
              value={draft.techniques}
              onChange={(next) => set('techniques', next)}
              error={errors.techniques}
              hint="Search the knowledge base by ATT&CK id or name; Enter adds the highlighted one (or an id as typed)."
            />
          </div>
          <div data-field="description">
            <Field label="Description" error={errors.description}>
              <textarea
                rows={5}
                className={inputClass}
                value={draft.description}
                aria-invalid={errors.description ? true : undefined}
                onChange={(e) => set('description', e.target.value)}
              />
              <span className="mt-1 block text-xs font-normal text-slate-500">
                Markdown. What the test does and what a defender should expect to see.
              </span>
            </Field>
          </div>
        </div>
      </Card>

      <Card title="Where it runs">
        <div className="flex flex-col gap-4">
          <CheckboxGroup
            field="platforms"
            legend="Platforms"
            options={platformOptions.map((p) => ({ value: p, label: p }))}
            value={draft.platforms}
            onChange={(next) => set('platforms', next)}
            error={errors.platforms}
          />
          {tacticOptions.length > 0 && (
            <CheckboxGroup
              field="tactics"
              legend="Tactics"
              hint="Optional: which of its techniques' tactics it is for; without any, it counts under all of them."
              options={tacticOptions}
              value={draft.tactics}
              onChange={(next) => set('tactics', next)}
              error={errors.tactics}
            />
          )}
          <div className="grid gap-4 md:grid-cols-2">
            <div data-field="executor">
              <Field label="Executor" error={errors.executor}>
                <input
                  className={`${inputClass} font-mono`}
                  list={`${formId}-executors`}
                  value={draft.executor}
                  placeholder="powershell, sh, manual…"
                  aria-invalid={errors.executor ? true : undefined}
                  onChange={(e) => set('executor', e.target.value)}
                />
              </Field>
              <datalist id={`${formId}-executors`}>
                {EXECUTORS.map((x) => (
                  <option key={x} value={x} />
                ))}
              </datalist>
            </div>
            <div data-field="expectedOutcome">
              <Field label="Expected outcome" error={errors.expectedOutcome}>
                <select
                  className={inputClass}
                  value={draft.expectedOutcome}
                  onChange={(e) => set('expectedOutcome', e.target.value as TemplateDraft['expectedOutcome'])}
                >
                  <option value="">None declared</option>
                  <OutcomeOptions />
                </select>
              </Field>
            </div>
            <div data-field="elevationRequired" className="flex items-end">
              <label className="flex items-center gap-2 pb-1.5 text-sm font-medium text-slate-700">
                <input
                  type="checkbox"
                  checked={draft.elevationRequired}
                  onChange={(e) => set('elevationRequired', e.target.checked)}
                />
                Needs elevation (administrator or root)
              </label>
            </div>
          </div>
        </div>
      </Card>

      <Card title="Commands">
        <div className="flex flex-col gap-4">
          <div data-field="command">
            <Field label="Command" error={errors.command}>
              <textarea
                rows={6}
                spellCheck={false}
                className={codeClass}
                value={draft.command}
                aria-invalid={errors.command ? true : undefined}
                onChange={(e) => set('command', e.target.value)}
              />
              <span className="mt-1 block text-xs font-normal text-slate-500">
                Shown as code, never run by Aegis. Write <code className="font-mono">{'#{name}'}</code> where
                an input argument goes.
              </span>
            </Field>
          </div>
          <div data-field="cleanupCommand">
            <Field label="Cleanup command" error={errors.cleanupCommand}>
              <textarea
                rows={3}
                spellCheck={false}
                className={codeClass}
                value={draft.cleanupCommand}
                aria-invalid={errors.cleanupCommand ? true : undefined}
                onChange={(e) => set('cleanupCommand', e.target.value)}
              />
            </Field>
          </div>
        </div>
      </Card>

      <Card
        title="Input arguments"
        actions={
          <button
            type="button"
            className={secondaryButton}
            onClick={() => set('inputArguments', [...draft.inputArguments, newArgument()])}
          >
            Add argument
          </button>
        }
      >
        <div data-field="inputArguments">
          {errors.inputArguments && <p className="mb-2 text-xs text-red-700">{errors.inputArguments}</p>}
          {draft.inputArguments.length === 0 ? (
            <p className="text-sm text-slate-500">No input argument.</p>
          ) : (
            <ol className="flex flex-col gap-3">
              {draft.inputArguments.map((a, i) => (
                <ArgumentRow
                  key={a.key}
                  index={i}
                  argument={a}
                  errors={errors}
                  onChange={(next) =>
                    set(
                      'inputArguments',
                      draft.inputArguments.map((x) => (x.key === a.key ? next : x)),
                    )
                  }
                  onRemove={() =>
                    set(
                      'inputArguments',
                      draft.inputArguments.filter((x) => x.key !== a.key),
                    )
                  }
                />
              ))}
            </ol>
          )}
        </div>
      </Card>

      <Card
        title="Dependencies"
        actions={
          <button
            type="button"
            className={secondaryButton}
            onClick={() => set('dependencies', [...draft.dependencies, newDependency()])}
          >
            Add dependency
          </button>
        }
      >
        <div data-field="dependencies">
          {errors.dependencies && <p className="mb-2 text-xs text-red-700">{errors.dependencies}</p>}
          {draft.dependencies.length === 0 ? (
            <p className="text-sm text-slate-500">No dependency.</p>
          ) : (
            <ol className="flex flex-col gap-3">
              {draft.dependencies.map((x, i) => (
                <DependencyRow
                  key={x.key}
                  index={i}
                  dependency={x}
                  errors={errors}
                  onChange={(next) =>
                    set(
                      'dependencies',
                      draft.dependencies.map((y) => (y.key === x.key ? next : y)),
                    )
                  }
                  onRemove={() =>
                    set(
                      'dependencies',
                      draft.dependencies.filter((y) => y.key !== x.key),
                    )
                  }
                />
              ))}
            </ol>
          )}
        </div>
      </Card>

      {otherError && <ErrorMessage title="The template was not saved." message={otherError} />}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={primaryButton} disabled={pending}>
          {pending ? pendingLabel : submitLabel}
        </button>
        {cancel}
        {problemCount > 0 && (
          <p role="alert" className="text-sm text-red-700">
            {problemCount === 1 ? 'One field needs attention.' : `${problemCount} fields need attention.`}
          </p>
        )}
      </div>
    </form>
  );
}
