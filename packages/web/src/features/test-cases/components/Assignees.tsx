import type { AssignableUser, TestCaseSummary, TestSide } from '@aegis/contracts';
import { useMemo } from 'react';
import { roleLabel } from '../../../app/auth';
import { type Option, SelectField } from '../../../components/FilterBar';
import { useAssignableUsers } from '../api';

export const personOption = (u: AssignableUser): Option => ({
  value: u.id,
  label: `${u.displayName} (${roleLabel(u.role)})`,
});

/** A side's assignee where tests are listed: the name, or "Unassigned". */
export function AssigneeName({ person }: { person: TestCaseSummary['assignedRed'] }) {
  return person ? person.displayName : <span className="text-slate-500">Unassigned</span>;
}

/** "Red: Alice · Blue: Unassigned", for rows that have no columns (pending tasks). */
export function AssigneesLine({
  test,
  className = '',
}: {
  test: Pick<TestCaseSummary, 'assignedRed' | 'assignedBlue'>;
  className?: string;
}) {
  return (
    <span className={`text-xs text-slate-600 ${className}`}>
      Red: <AssigneeName person={test.assignedRed} /> · Blue: <AssigneeName person={test.assignedBlue} />
    </span>
  );
}

/** The value of the "leave it as it is" choice of a bulk assignment. */
export const KEEP = 'keep';

/**
 * A labelled choice of a side's person: "Unassigned" (the empty value), or anyone who may hold the
 * side; with `keep`, first "Leave as it is" (`KEEP`).
 */
export function AssigneeSelect({
  side,
  label,
  value,
  onChange,
  keep = false,
}: {
  side: TestSide;
  label: string;
  value: string;
  onChange: (value: string) => void;
  keep?: boolean;
}) {
  const people = useAssignableUsers(side);
  const options: Option[] = [
    ...(keep ? [{ value: KEEP, label: 'Leave as it is' }] : []),
    { value: '', label: 'Unassigned' },
    ...(people.data?.items.map(personOption) ?? []),
  ];
  return (
    <div>
      <SelectField label={label} value={value} options={options} onChange={onChange} />
      {people.isError && <p className="mt-1 text-xs text-red-700">The {side} people could not be loaded.</p>}
    </div>
  );
}

/**
 * The "Assigned to" filter's choices: anyone, me, nobody, then everyone who can be assigned (both
 * sides; not loaded for viewers, who may not read that list).
 */
export function useAssignedToOptions(canList: boolean): Option[] {
  const red = useAssignableUsers('red', canList);
  const blue = useAssignableUsers('blue', canList);
  return useMemo(() => {
    const people = new Map<string, AssignableUser>();
    for (const u of [...(red.data?.items ?? []), ...(blue.data?.items ?? [])]) people.set(u.id, u);
    const sorted = [...people.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
    return [
      { value: '', label: 'Anyone' },
      { value: 'me', label: 'Me' },
      { value: 'unassigned', label: 'Nobody yet' },
      ...sorted.map(personOption),
    ];
  }, [red.data, blue.data]);
}
