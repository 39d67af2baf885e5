import type { PendingTask } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { describeError } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { Pager } from '../../../components/Pager';
import { usePendingTasks } from '../api';
import { AssigneesLine } from '../components/Assignees';
import { TestStateBadge } from '../components/TestStateBadge';

type Kind = PendingTask['kind'];
const kinds: { kind: Kind; title: string }[] = [
  { kind: 'execute', title: 'To execute' },
  { kind: 'evaluate', title: 'To evaluate' },
  { kind: 'vote', title: 'To vote on' },
  { kind: 'rework', title: 'To rework' },
  { kind: 'remediate', title: 'To remediate' },
];

const PAGE_SIZE = 50;

/** `/tests/pending`: what waits for me, oldest first, a page at a time, grouped by what to do. */
export function PendingTasksPage() {
  const user = useUser();
  if (!hasRole(user, ROLE_GROUPS.workers))
    return (
      <div className="mx-auto max-w-5xl">
        <PageHeader title="My pending tasks" />
        <EmptyState>
          Your role reads tests; the red and blue teams execute, evaluate and vote on them.
        </EmptyState>
      </div>
    );
  return <PendingTasks />;
}

function PendingTasks() {
  const [offset, setOffset] = useState(0);
  const pending = usePendingTasks(offset, PAGE_SIZE);
  return (
    <div className="mx-auto max-w-5xl">
      <PageHeader title="My pending tasks" />
      {pending.isPending ? (
        <Spinner label="Loading your tasks…" />
      ) : pending.isError ? (
        <ErrorMessage message={describeError(pending.error)} onRetry={() => void pending.refetch()} />
      ) : pending.data.items.length === 0 ? (
        <EmptyState>Nothing is waiting for you.</EmptyState>
      ) : (
        <div className="flex flex-col gap-4">
          {kinds.map(({ kind, title }) => {
            const tasks = pending.data.items.filter((t) => t.kind === kind);
            if (tasks.length === 0) return null;
            return (
              <section
                key={kind}
                aria-label={title}
                className="rounded-lg border border-slate-200 bg-white p-4"
              >
                <h2 className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-500">
                  {title} ({tasks.length})
                </h2>
                <ul className="flex flex-col divide-y divide-slate-100">
                  {tasks.map((task) => (
                    <li
                      key={`${task.kind}-${task.test.id}`}
                      className="flex flex-wrap items-center gap-3 py-2 text-sm"
                    >
                      <TestStateBadge state={task.test.state} />
                      <Link
                        to="/tests/$id"
                        params={{ id: task.test.id }}
                        className="font-medium text-sky-700 hover:underline"
                      >
                        {task.test.title}
                      </Link>
                      <span className="font-mono text-xs text-slate-500">{task.test.technique.attackId}</span>
                      <span className="ml-auto text-slate-600">{task.detail}</span>
                      <AssigneesLine test={task.test} className="-mt-2 basis-full" />
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
          <div className="rounded-lg border border-slate-200 bg-white">
            <Pager
              offset={offset}
              pageSize={PAGE_SIZE}
              total={pending.data.total}
              estimated={pending.data.totalEstimated}
              pageItems={pending.data.items.length}
              onChange={setOffset}
            />
          </div>
        </div>
      )}
    </div>
  );
}
