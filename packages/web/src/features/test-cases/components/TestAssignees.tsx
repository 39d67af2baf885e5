import { SIDE_ROLES, type TestCase, type TestSide } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { describeError } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { ErrorMessage } from '../../../components/Feedback';
import { useAssignTest, useTakeTest } from '../api';
import { AssigneeSelect } from './Assignees';
import { Card, secondaryButton } from './ui';

const FIELD = { red: 'assignedRedId', blue: 'assignedBlueId' } as const;
const PERSON = { red: 'assignedRed', blue: 'assignedBlue' } as const;
const LABEL = { red: 'Red person', blue: 'Blue person' } as const;

/**
 * Who holds each side of the test: leads and admins choose anyone who may hold it; a tech of that
 * side takes it while nobody does; everyone else reads the names. Nobody changes them once the test
 * is in review or decided (the server refuses it too).
 */
export function TestAssignees({ test }: { test: TestCase }) {
  const user = useUser();
  const assign = useAssignTest(test.id);
  const take = useTakeTest(test.id);
  const open = !['in_review', 'validated', 'rejected'].includes(test.state);
  const assigner = open && hasRole(user, ROLE_GROUPS.leads);

  const side = (s: TestSide) => {
    const person = test[PERSON[s]];
    if (assigner)
      return (
        <AssigneeSelect
          key={s}
          side={s}
          label={LABEL[s]}
          value={person?.id ?? ''}
          onChange={(id) => assign.mutate({ [FIELD[s]]: id || null })}
        />
      );
    const mayTake = open && !person && user.role !== 'admin' && SIDE_ROLES[s].includes(user.role);
    return (
      <div key={s} className="flex items-center justify-between gap-2 text-sm" data-testid={`assignee-${s}`}>
        <span>
          <span className="font-medium text-slate-700">{LABEL[s]}: </span>
          {person ? person.displayName : <span className="text-slate-500">Unassigned</span>}
        </span>
        {mayTake && (
          <button
            type="button"
            className={secondaryButton}
            disabled={take.isPending}
            aria-label={`Take the ${s} side`}
            onClick={() => take.mutate(s)}
          >
            Take it
          </button>
        )}
      </div>
    );
  };

  const failed = assign.error ?? take.error;
  return (
    <Card title="People" labelId={`people-${test.id}`}>
      <div className="flex flex-col gap-3">
        {side('red')}
        {side('blue')}
        {assign.isSuccess && !assign.isPending && <p className="text-xs text-emerald-700">Saved.</p>}
        {failed && <ErrorMessage message={describeError(failed)} />}
      </div>
    </Card>
  );
}
