import { useId } from 'react';
import { secondaryButton } from '../../../components/buttons';
import { inputClass } from '../../../components/SearchField';
import { PERIODS, type PeriodDays } from '../search';

/** The analysis pages' period (the last 30, 90 or 365 days) and their Print button; neither prints. */
export function PeriodPicker({ days, onChange }: { days: PeriodDays; onChange: (days: PeriodDays) => void }) {
  const id = useId();
  return (
    <div className="no-print flex items-end gap-3">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        Period
        <select
          id={id}
          className={`${inputClass} mt-1 w-40`}
          value={days}
          onChange={(e) => onChange(Number(e.target.value) as PeriodDays)}
        >
          {PERIODS.map((p) => (
            <option key={p} value={p}>
              Last {p} days
            </option>
          ))}
        </select>
      </label>
      <button type="button" className={secondaryButton} onClick={() => window.print()}>
        Print
      </button>
    </div>
  );
}
