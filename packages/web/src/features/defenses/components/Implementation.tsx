import type { D3fendTechnique } from '@aegis/contracts';
import { type FormEvent, useId, useState } from 'react';
import { describeError } from '../../../app/api';
import { primaryButton } from '../../../components/buttons';
import { inputClass } from '../../../components/SearchField';
import { type Implementation, useSetImplementation } from '../api';

export const implementationStyles: Record<Implementation | 'unset', { label: string; badge: string }> = {
  implemented: { label: 'Implemented', badge: 'border-emerald-300 bg-emerald-50 text-emerald-800' },
  partial: { label: 'Partially implemented', badge: 'border-amber-300 bg-amber-50 text-amber-900' },
  none: { label: 'Not implemented', badge: 'border-red-300 bg-red-50 text-red-800' },
  unset: { label: 'Not assessed', badge: 'border-dashed border-slate-300 bg-white text-slate-600' },
};

export function ImplementationBadge({ value }: { value: Implementation | null }) {
  const style = implementationStyles[value ?? 'unset'];
  return (
    <span
      data-testid="implementation"
      className={`inline-block rounded-full border px-2 py-0.5 text-xs whitespace-nowrap ${style.badge}`}
    >
      {style.label}
    </span>
  );
}

const choices = ['implemented', 'partial', 'none', 'unset'] as const;

/**
 * Records whether the organisation implements a countermeasure. An explicit Save (not save-on-change):
 * arrowing through a closed select would otherwise send one change per option.
 */
export function ImplementationEditor({ defense }: { defense: D3fendTechnique }) {
  const id = useId();
  const stored = defense.implementation ?? 'unset';
  const [value, setValue] = useState<(typeof choices)[number]>(stored);
  const save = useSetImplementation(defense.id);
  const changed = value !== stored;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({ implementation: value === 'unset' ? null : value });
  };

  return (
    <form onSubmit={submit} aria-label="Record the implementation" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-end gap-2">
        <label htmlFor={id} className="min-w-52 flex-1 text-sm font-medium text-slate-700">
          Implementation status
          <select
            id={id}
            className={`${inputClass} mt-1`}
            value={value}
            onChange={(e) => {
              save.reset();
              setValue(e.target.value as (typeof choices)[number]);
            }}
          >
            {choices.map((c) => (
              <option key={c} value={c}>
                {implementationStyles[c].label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={primaryButton} disabled={!changed || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
      </div>
      <p role="status" className="min-h-5 text-sm">
        {save.isError ? (
          <span className="text-red-700">Not saved: {describeError(save.error)}</span>
        ) : save.isSuccess && !changed ? (
          <span className="text-emerald-800">Saved.</span>
        ) : changed ? (
          <span className="text-slate-500">Not saved yet.</span>
        ) : null}
      </p>
    </form>
  );
}
