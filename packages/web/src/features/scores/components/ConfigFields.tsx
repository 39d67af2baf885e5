import type { ScoringConfigSource } from '@aegis/contracts';
import { type ReactNode, useId } from 'react';
import { inputClass } from '../../../components/SearchField';
import { SOURCE_LABELS } from '../format';

/** The pieces of the scoring configuration form: a value's source badge, its groups and fields. */

const sourceStyles: Record<ScoringConfigSource, string> = {
  default: 'border-slate-300 bg-slate-50 text-slate-700',
  env: 'border-violet-300 bg-violet-50 text-violet-800',
  api: 'border-sky-300 bg-sky-50 text-sky-800',
};

export function SourceBadge({ source }: { source: ScoringConfigSource }) {
  return (
    <span
      data-testid="config-source"
      title={source === 'env' ? 'set by an environment variable at first start' : undefined}
      className={`inline-block rounded-full border px-1.5 py-px text-[11px] font-medium normal-case tracking-normal ${sourceStyles[source]}`}
    >
      {SOURCE_LABELS[source]}
    </span>
  );
}

export function Group({
  title,
  hint,
  badge,
  children,
}: {
  title: string;
  hint?: string;
  badge?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <h2 className="flex items-center gap-2 text-sm font-semibold uppercase tracking-wide text-slate-500">
        {title} {badge}
      </h2>
      {hint && <p className="mb-2 text-sm text-slate-600">{hint}</p>}
      <div className={hint ? '' : 'mt-2'}>{children}</div>
    </section>
  );
}

/** A number box; `errorId` names the message that explains a refused value. */
function NumberInput({
  id,
  value,
  step,
  errorId,
  onChange,
}: {
  id: string;
  value: string;
  step: string;
  errorId?: string;
  onChange: (value: string) => void;
}) {
  return (
    <input
      id={id}
      type="number"
      inputMode="decimal"
      step={step}
      className={inputClass}
      value={value}
      aria-invalid={errorId ? true : undefined}
      aria-describedby={errorId}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export function WeightRow({
  label,
  source,
  error,
  value,
  onChange,
}: {
  label: string;
  source: ReactNode;
  error?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <tr className="border-t border-slate-100 align-top">
      <th scope="row" className="py-1.5 pr-2 font-normal">
        <label htmlFor={id} className="text-slate-700">
          {label}
        </label>
        {error && (
          <span id={`${id}-error`} className="block text-xs text-red-700">
            {error}
          </span>
        )}
      </th>
      <td className="py-1">
        <NumberInput
          id={id}
          value={value}
          step="1"
          errorId={error ? `${id}-error` : undefined}
          onChange={onChange}
        />
      </td>
      <td className="py-1.5 pl-2">{source}</td>
    </tr>
  );
}

export function FieldError({ message }: { message: string }) {
  return <p className="mt-1 text-xs text-red-700">{message}</p>;
}

/** A labelled control with where its value came from beside the label and its refusal under it. */
function ConfigField({
  label,
  source,
  error,
  control,
}: {
  label: string;
  source?: ReactNode;
  error?: string;
  control: (id: string, errorId: string | undefined) => ReactNode;
}) {
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className="flex flex-col text-sm">
      <div className="mb-1 flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
        <label htmlFor={id} className="font-medium text-slate-700">
          {label}
        </label>
        {source}
      </div>
      {control(id, errorId)}
      {error && (
        <span id={errorId} className="mt-1 text-xs text-red-700">
          {error}
        </span>
      )}
    </div>
  );
}

export function NumberField({
  label,
  source,
  error,
  value,
  step = 'any',
  onChange,
}: {
  label: string;
  source?: ReactNode;
  error?: string;
  value: string;
  step?: string;
  onChange: (value: string) => void;
}) {
  return (
    <ConfigField
      label={label}
      source={source}
      error={error}
      control={(id, errorId) => (
        <NumberInput id={id} value={value} step={step} errorId={errorId} onChange={onChange} />
      )}
    />
  );
}

export function SelectConfig<V extends string>({
  label,
  source,
  error,
  value,
  options,
  onChange,
}: {
  label: string;
  source: ReactNode;
  error?: string;
  value: V;
  options: { value: V; label: string }[];
  onChange: (value: V) => void;
}) {
  return (
    <ConfigField
      label={label}
      source={source}
      error={error}
      control={(id, errorId) => (
        <select
          id={id}
          className={inputClass}
          value={value}
          aria-describedby={errorId}
          onChange={(e) => onChange(e.target.value as V)}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}
