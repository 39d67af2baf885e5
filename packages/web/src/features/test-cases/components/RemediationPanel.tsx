import type { TestCase } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { describeError, fieldErrors } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { ErrorMessage, Spinner } from '../../../components/Feedback';
import {
  type RemediationStatus,
  useAddRemediationStep,
  useRemediation,
  useUpdateRemediationStep,
} from '../api';
import { Card, Field, fromLocalInput, inputClass, primaryButton } from './ui';

const statuses: { value: RemediationStatus; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'done', label: 'Done' },
  { value: 'wont_fix', label: "Won't fix" },
];

/** Remediation steps of a validated test that found a gap, and the re-test they lead to. */
export function RemediationPanel({ test }: { test: TestCase }) {
  const user = useUser();
  const remediation = useRemediation(test.id);
  const update = useUpdateRemediationStep(test.id);
  const isLead = hasRole(user, ROLE_GROUPS.leads);
  if (test.state !== 'validated' && !(remediation.data && remediation.data.steps.length > 0)) return null;

  return (
    <Card title="Remediation">
      {remediation.isPending ? (
        <Spinner label="Loading remediation…" />
      ) : remediation.isError ? (
        <ErrorMessage message={describeError(remediation.error)} onRetry={() => void remediation.refetch()} />
      ) : (
        <div className="flex flex-col gap-3 text-sm">
          {remediation.data.retest && (
            <p className="rounded-md bg-sky-50 px-3 py-2 text-sky-900">
              Re-test #{remediation.data.retest.retestNumber}:{' '}
              <Link
                to="/tests/$id"
                params={{ id: remediation.data.retest.id }}
                className="font-medium text-sky-700 underline"
              >
                open the re-test
              </Link>
            </p>
          )}
          {remediation.data.steps.length === 0 ? (
            <p className="text-slate-500">No remediation step.</p>
          ) : (
            <ul className="flex flex-col divide-y divide-slate-100">
              {remediation.data.steps.map((step) => {
                const mayUpdate = isLead || step.assignee?.id === user.id;
                return (
                  <li key={step.id} className="flex flex-wrap items-start justify-between gap-2 py-2">
                    <div>
                      <p className="font-medium text-slate-900">{step.title}</p>
                      {step.description && <p className="text-slate-600">{step.description}</p>}
                      <p className="text-xs text-slate-500">
                        {step.assignee ? `Assigned to ${step.assignee.displayName}` : 'Unassigned'}
                        {step.dueDate && ` · due ${new Date(step.dueDate).toLocaleDateString()}`}
                      </p>
                    </div>
                    {mayUpdate ? (
                      <select
                        aria-label={`Status of ${step.title}`}
                        className={`${inputClass} w-36`}
                        value={step.status}
                        disabled={update.isPending}
                        onChange={(e) =>
                          update.mutate({ stepId: step.id, status: e.target.value as RemediationStatus })
                        }
                      >
                        {statuses.map((s) => (
                          <option key={s.value} value={s.value}>
                            {s.label}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <span className="text-xs text-slate-600">
                        {statuses.find((s) => s.value === step.status)?.label}
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          {update.isError && <ErrorMessage message={describeError(update.error)} />}
          {isLead && test.state === 'validated' && <AddStep testId={test.id} />}
          <p className="text-xs text-slate-500">
            Re-tests left in this chain: {remediation.data.retestsLeft}
          </p>
        </div>
      )}
    </Card>
  );
}

function AddStep({ testId }: { testId: string }) {
  const add = useAddRemediationStep(testId);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [due, setDue] = useState('');
  const errors = fieldErrors(add.error);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate(
      { title, description, dueDate: fromLocalInput(due) ?? undefined },
      {
        onSuccess: () => {
          setTitle('');
          setDescription('');
          setDue('');
        },
      },
    );
  };
  return (
    <form
      onSubmit={onSubmit}
      aria-label="Add a remediation step"
      className="grid gap-2 border-t pt-3 md:grid-cols-3"
    >
      <Field label="Step title" error={errors.title} className="md:col-span-2">
        <input className={inputClass} value={title} onChange={(e) => setTitle(e.target.value)} />
      </Field>
      <Field label="Due" error={errors.dueDate}>
        <input
          type="datetime-local"
          className={inputClass}
          value={due}
          onChange={(e) => setDue(e.target.value)}
        />
      </Field>
      <Field label="Description" error={errors.description} className="md:col-span-3">
        <textarea
          rows={2}
          className={inputClass}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </Field>
      <div className="md:col-span-3">
        <button type="submit" disabled={add.isPending} className={primaryButton}>
          Add step
        </button>
      </div>
      {add.isError && Object.keys(errors).length === 0 && (
        <div className="md:col-span-3">
          <ErrorMessage message={describeError(add.error)} />
        </div>
      )}
    </form>
  );
}
