import type { Outcome } from '@aegis/contracts';
import type { ReactNode } from 'react';

export { primaryButton, secondaryButton } from '../../../components/buttons';
export { inputClass } from '../../../components/SearchField';

export const outcomes: Outcome[] = ['prevented', 'detected', 'logged', 'not_detected'];
const OUTCOME_LABELS: Record<Outcome, string> = {
  prevented: 'Prevented',
  detected: 'Detected',
  logged: 'Logged',
  not_detected: 'Not detected',
};
export const outcomeLabel = (o: Outcome | null | undefined): string => (o ? OUTCOME_LABELS[o] : '—');

/** The four outcomes as `<option>`s, best first, with their full labels. */
export function OutcomeOptions() {
  return outcomes.map((o) => (
    <option key={o} value={o}>
      {outcomeLabel(o)}
    </option>
  ));
}

/** What the page says where the other team's record is withheld (the server's `hidden` sides). */
export const HIDDEN_UNTIL_REVIEW = 'Hidden until review';

/** A test's outcome, or that it is hidden while blue's record is (the server sends null then). */
export const visibleOutcome = (test: { outcome: Outcome | null; hidden: readonly string[] }): string =>
  test.hidden.includes('blue') ? HIDDEN_UNTIL_REVIEW : outcomeLabel(test.outcome);

export function Card({
  title,
  actions,
  children,
  labelId,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  labelId?: string;
}) {
  return (
    <section aria-labelledby={labelId} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 id={labelId} className="text-sm font-semibold uppercase tracking-wide text-slate-500">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** A labelled control with its validation message underneath. */
export function Field({
  label,
  error,
  children,
  className = '',
}: {
  label: string;
  error?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is passed in as children.
    <label className={`block text-sm font-medium text-slate-700 ${className}`}>
      <span className="mb-1 block">{label}</span>
      {children}
      {error && <span className="mt-1 block text-xs font-normal text-red-700">{error}</span>}
    </label>
  );
}

/** `datetime-local` value (local time) from an ISO instant, and back. */
export function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeZone = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

/**
 * An instant in the reader's own time zone and locale; `zone` adds the zone's name (records, where
 * the reader compares times taken elsewhere).
 */
export function formatDateTime(iso: string | null | undefined, { zone = false } = {}): string {
  if (!iso) return '—';
  return (zone ? dateTimeZone : dateTime).format(new Date(iso));
}
