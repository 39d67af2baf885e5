import { type ChangeEvent, type ReactNode, useId } from 'react';
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

/** One labelled text field of a row, keyed by its path in the server's issues (`inputArguments.0.name`). */
function RowInput({
  path,
  label,
  errors,
  value,
  onChange,
  className,
  inputClassName = inputClass,
  list,
  multiline = false,
  children,
}: {
  path: string;
  label: string;
  errors: DraftErrors;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  inputClassName?: string;
  list?: string;
  multiline?: boolean;
  children?: ReactNode;
}) {
  const error = errors[path];
  const common = {
    className: inputClassName,
    value,
    'aria-invalid': error ? true : undefined,
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => onChange(e.target.value),
  };
  return (
    <div data-field={path} className={className}>
      <Field label={label} error={error}>
        {multiline ? <textarea rows={2} spellCheck={false} {...common} /> : <input list={list} {...common} />}
      </Field>
      {children}
    </div>
  );
}

function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <div className="flex items-end">
      <button type="button" className={secondaryButton} aria-label={label} onClick={onClick}>
        Remove
      </button>
    </div>
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
  return (
    <li>
      <fieldset className="rounded-md border border-slate-200 p-3" data-testid="argument-row">
        <legend className="px-1 text-xs font-semibold text-slate-500">Argument {index + 1}</legend>
        <div className="grid gap-3 md:grid-cols-[1fr_10rem_1fr_auto]">
          <RowInput
            path={at('name')}
            label="Argument name"
            errors={errors}
            inputClassName={`${inputClass} font-mono`}
            value={a.name}
            onChange={(name) => onChange({ ...a, name })}
          />
          <RowInput
            path={at('type')}
            label="Argument type"
            errors={errors}
            list={listId}
            value={a.type}
            onChange={(type) => onChange({ ...a, type })}
          >
            <datalist id={listId}>
              {ARGUMENT_TYPES.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </RowInput>
          <RowInput
            path={at('default')}
            label="Default value"
            errors={errors}
            inputClassName={`${inputClass} font-mono`}
            value={a.default}
            onChange={(value) => onChange({ ...a, default: value })}
          />
          <RemoveButton label={`Remove argument ${index + 1}`} onClick={onRemove} />
          <RowInput
            path={at('description')}
            label="Argument description"
            errors={errors}
            className="md:col-span-4"
            value={a.description}
            onChange={(description) => onChange({ ...a, description })}
          />
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
  return (
    <li>
      <fieldset className="rounded-md border border-slate-200 p-3" data-testid="dependency-row">
        <legend className="px-1 text-xs font-semibold text-slate-500">Dependency {index + 1}</legend>
        <div className="grid gap-3 md:grid-cols-[1fr_auto]">
          <RowInput
            path={at('description')}
            label="What is needed"
            errors={errors}
            value={x.description}
            onChange={(description) => onChange({ ...x, description })}
          />
          <RemoveButton label={`Remove dependency ${index + 1}`} onClick={onRemove} />
          <RowInput
            path={at('prereqCommand')}
            label="Check command"
            errors={errors}
            className="md:col-span-2"
            inputClassName={codeClass}
            multiline
            value={x.prereqCommand}
            onChange={(prereqCommand) => onChange({ ...x, prereqCommand })}
          />
          <RowInput
            path={at('getPrereqCommand')}
            label="Command that provides it"
            errors={errors}
            className="md:col-span-2"
            inputClassName={codeClass}
            multiline
            value={x.getPrereqCommand}
            onChange={(getPrereqCommand) => onChange({ ...x, getPrereqCommand })}
          />
        </div>
      </fieldset>
    </li>
  );
}
