import { useId } from 'react';
import { secondaryButton } from '../../../components/buttons';
import { inputClass } from '../../../components/SearchField';
import { Field } from '../../test-cases/components/ui';
import type { ArgumentDraft, DependencyDraft, DraftErrors } from '../templateForm';

/** The repeated parts of the template form: checkbox groups and the argument and dependency rows. */

const ARGUMENT_TYPES = ['string', 'path', 'url', 'integer', 'float'];
export const codeClass = `${inputClass} font-mono text-xs leading-5`;

export function CheckboxGroup({
  field,
  legend,
  hint,
  options,
  value,
  onChange,
  error,
}: {
  field: string;
  legend: string;
  hint?: string;
  options: readonly { value: string; label: string }[];
  value: readonly string[];
  onChange: (next: string[]) => void;
  error?: string;
}) {
  const toggle = (v: string, on: boolean) => onChange(on ? [...value, v] : value.filter((x) => x !== v));
  return (
    <fieldset data-field={field} className="text-sm">
      <legend className="font-medium text-slate-700">{legend}</legend>
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
      <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-1.5 text-slate-700">
            <input
              type="checkbox"
              checked={value.includes(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
            />
            {o.label}
          </label>
        ))}
      </div>
      {error && <p className="mt-1 text-xs text-red-700">{error}</p>}
    </fieldset>
  );
}

export function ArgumentRow({
  index,
  argument: a,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  argument: ArgumentDraft;
  errors: DraftErrors;
  onChange: (next: ArgumentDraft) => void;
  onRemove: () => void;
}) {
  const listId = useId();
  const at = (f: string) => `inputArguments.${index}.${f}`;
  const invalid = (f: string) => (errors[at(f)] ? true : undefined);
  return (
    <li>
      <fieldset className="rounded-md border border-slate-200 p-3" data-testid="argument-row">
        <legend className="px-1 text-xs font-semibold text-slate-500">Argument {index + 1}</legend>
        <div className="grid gap-3 md:grid-cols-[1fr_10rem_1fr_auto]">
          <div data-field={at('name')}>
            <Field label="Argument name" error={errors[at('name')]}>
              <input
                className={`${inputClass} font-mono`}
                value={a.name}
                aria-invalid={invalid('name')}
                onChange={(e) => onChange({ ...a, name: e.target.value })}
              />
            </Field>
          </div>
          <div data-field={at('type')}>
            <Field label="Argument type" error={errors[at('type')]}>
              <input
                className={inputClass}
                list={listId}
                value={a.type}
                aria-invalid={invalid('type')}
                onChange={(e) => onChange({ ...a, type: e.target.value })}
              />
            </Field>
            <datalist id={listId}>
              {ARGUMENT_TYPES.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </div>
          <div data-field={at('default')}>
            <Field label="Default value" error={errors[at('default')]}>
              <input
                className={`${inputClass} font-mono`}
                value={a.default}
                aria-invalid={invalid('default')}
                onChange={(e) => onChange({ ...a, default: e.target.value })}
              />
            </Field>
          </div>
          <div className="flex items-end">
            <button
              type="button"
              className={secondaryButton}
              aria-label={`Remove argument ${index + 1}`}
              onClick={onRemove}
            >
              Remove
            </button>
          </div>
          <div data-field={at('description')} className="md:col-span-4">
            <Field label="Argument description" error={errors[at('description')]}>
              <input
                className={inputClass}
                value={a.description}
                aria-invalid={invalid('description')}
                onChange={(e) => onChange({ ...a, description: e.target.value })}
              />
            </Field>
          </div>
        </div>
      </fieldset>
    </li>
  );
}

export function DependencyRow({
  index,
  dependency: x,
  errors,
  onChange,
  onRemove,
}: {
  index: number;
  dependency: DependencyDraft;
  errors: DraftErrors;
  onChange: (next: DependencyDraft) => void;
  onRemove: () => void;
}) {
  const at = (f: string) => `dependencies.${index}.${f}`;
  const invalid = (f: string) => (errors[at(f)] ? true : undefined);
  return (
    <li>
      <fieldset className="rounded-md border border-slate-200 p-3" data-testid="dependency-row">
        <legend className="px-1 text-xs font-semibold text-slate-500">Dependency {index + 1}</legend>
        <div className="grid gap-3 md:grid-cols-[1fr_auto]">
          <div data-field={at('description')}>
            <Field label="What is needed" error={errors[at('description')]}>
              <input
                className={inputClass}
                value={x.description}
                aria-invalid={invalid('description')}
                onChange={(e) => onChange({ ...x, description: e.target.value })}
              />
            </Field>
          </div>
          <div className="flex items-end">
            <button
              type="button"
              className={secondaryButton}
              aria-label={`Remove dependency ${index + 1}`}
              onClick={onRemove}
            >
              Remove
            </button>
          </div>
          <div data-field={at('prereqCommand')} className="md:col-span-2">
            <Field label="Check command" error={errors[at('prereqCommand')]}>
              <textarea
                rows={2}
                spellCheck={false}
                className={codeClass}
                value={x.prereqCommand}
                aria-invalid={invalid('prereqCommand')}
                onChange={(e) => onChange({ ...x, prereqCommand: e.target.value })}
              />
            </Field>
          </div>
          <div data-field={at('getPrereqCommand')} className="md:col-span-2">
            <Field label="Command that provides it" error={errors[at('getPrereqCommand')]}>
              <textarea
                rows={2}
                spellCheck={false}
                className={codeClass}
                value={x.getPrereqCommand}
                aria-invalid={invalid('getPrereqCommand')}
                onChange={(e) => onChange({ ...x, getPrereqCommand: e.target.value })}
              />
            </Field>
          </div>
        </div>
      </fieldset>
    </li>
  );
}
