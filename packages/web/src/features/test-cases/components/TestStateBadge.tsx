import type { TestState } from '@aegis/contracts';

const states: Record<TestState, { label: string; className: string }> = {
  draft: { label: 'Draft', className: 'bg-slate-100 text-slate-700 border-slate-300' },
  red_executing: { label: 'Red executing', className: 'bg-rose-50 text-rose-800 border-rose-300' },
  blue_evaluating: { label: 'Blue evaluating', className: 'bg-sky-50 text-sky-800 border-sky-300' },
  in_review: { label: 'In review', className: 'bg-violet-50 text-violet-800 border-violet-300' },
  validated: { label: 'Validated', className: 'bg-emerald-50 text-emerald-800 border-emerald-300' },
  rejected: { label: 'Rejected', className: 'bg-red-50 text-red-800 border-red-300' },
};

/** A state as people read it: "Blue evaluating". */
export const testStateLabel = (state: TestState): string => states[state].label;

export function TestStateBadge({ state }: { state: TestState }) {
  const s = states[state];
  return (
    <span className={`rounded-full border px-2 py-0.5 text-xs font-medium ${s.className}`}>{s.label}</span>
  );
}
