import type { TestState } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { describeError, type Query } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { SearchField } from '../../../components/SearchField';
import { useTests } from '../api';
import { TestStateBadge } from '../components/TestStateBadge';
import { inputClass, outcomeLabel, secondaryButton } from '../components/ui';

const PAGE_SIZE = 50;
const stateOptions: { value: TestState | ''; label: string }[] = [
  { value: '', label: 'Any state' },
  { value: 'draft', label: 'Draft' },
  { value: 'red_executing', label: 'Red executing' },
  { value: 'blue_evaluating', label: 'Blue evaluating' },
  { value: 'in_review', label: 'In review' },
  { value: 'validated', label: 'Validated' },
  { value: 'rejected', label: 'Rejected' },
];
const sortOptions = [
  { value: 'updatedAt:desc', label: 'Recently updated' },
  { value: 'createdAt:desc', label: 'Newest' },
  { value: 'createdAt:asc', label: 'Oldest' },
  { value: 'title:asc', label: 'Title A→Z' },
  { value: 'state:asc', label: 'State' },
];

export const CREATOR_ROLES = ['red_tech', 'red_lead'] as const;

export function TestsListPage() {
  const user = useUser();
  const [state, setState] = useState<TestState | ''>('');
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [mine, setMine] = useState(false);
  const [sort, setSort] = useState('updatedAt:desc');
  const [offset, setOffset] = useState(0);
  const ids = { state: useId(), q: useId(), sort: useId(), mine: useId() };

  // Search as the user types, once they pause.
  useEffect(() => {
    const t = setTimeout(() => setQ(text.trim()), 250);
    return () => clearTimeout(t);
  }, [text]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: any filter change goes back to page 1.
  useEffect(() => setOffset(0), [state, q, mine, sort]);

  const [sortField, order] = sort.split(':');
  const query: Query = {
    state: state || undefined,
    q: q || undefined,
    assignedTo: mine ? 'me' : undefined,
    sort: sortField,
    order,
    limit: PAGE_SIZE,
    offset,
  };
  const tests = useTests(query);
  const total = tests.data?.total ?? 0;

  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title="All tests">
        {hasRole(user, CREATOR_ROLES) && (
          <Link
            to="/tests/new"
            className="rounded-md bg-sky-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-700"
          >
            New test
          </Link>
        )}
      </PageHeader>
      <search className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <SearchField id={ids.q} placeholder="Title or technique" value={text} onChange={setText} />
        <label htmlFor={ids.state} className="text-sm font-medium text-slate-700">
          State
          <select
            id={ids.state}
            className={`${inputClass} mt-1`}
            value={state}
            onChange={(e) => setState(e.target.value as TestState | '')}
          >
            {stateOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={ids.sort} className="text-sm font-medium text-slate-700">
          Sort
          <select
            id={ids.sort}
            className={`${inputClass} mt-1`}
            value={sort}
            onChange={(e) => setSort(e.target.value)}
          >
            {sortOptions.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={ids.mine} className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input id={ids.mine} type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />
          Assigned to me
        </label>
      </search>

      {tests.isPending ? (
        <Spinner label="Loading tests…" />
      ) : tests.isError ? (
        <ErrorMessage
          title="The tests could not be loaded."
          message={describeError(tests.error)}
          onRetry={() => void tests.refetch()}
        />
      ) : tests.data.items.length === 0 ? (
        <EmptyState>
          {state || q || mine ? 'No test matches these filters.' : 'No test has been created yet.'}
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" aria-busy={tests.isFetching}>
            <thead className="bg-slate-50 text-xs text-slate-500">
              <tr>
                <th className="px-3 py-2 font-medium">Title</th>
                <th className="px-3 py-2 font-medium">Technique</th>
                <th className="px-3 py-2 font-medium">State</th>
                <th className="px-3 py-2 font-medium">Outcome</th>
                <th className="px-3 py-2 font-medium">Red</th>
                <th className="px-3 py-2 font-medium">Blue</th>
                <th className="px-3 py-2 font-medium">Updated</th>
              </tr>
            </thead>
            <tbody>
              {tests.data.items.map((t) => (
                <tr key={t.id} data-testid="test-row" className="border-t border-slate-100 hover:bg-slate-50">
                  <td className="px-3 py-2">
                    <Link
                      to="/tests/$id"
                      params={{ id: t.id }}
                      className="font-medium text-sky-700 hover:underline"
                    >
                      {t.title}
                    </Link>
                    {t.retestNumber > 0 && (
                      <span className="ml-1 text-xs text-slate-500">re-test #{t.retestNumber}</span>
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <span className="font-mono text-xs text-slate-500">{t.technique.attackId}</span>{' '}
                    {t.technique.name}
                  </td>
                  <td className="px-3 py-2">
                    <TestStateBadge state={t.state} />
                  </td>
                  <td className="px-3 py-2 capitalize">{outcomeLabel(t.outcome)}</td>
                  <td className="px-3 py-2 text-slate-600">{t.assignedRed?.displayName ?? '—'}</td>
                  <td className="px-3 py-2 text-slate-600">{t.assignedBlue?.displayName ?? '—'}</td>
                  <td className="px-3 py-2 text-slate-500">{new Date(t.updatedAt).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="flex items-center justify-between border-t border-slate-100 px-3 py-2 text-sm text-slate-600">
            <span>
              {offset + 1}–{Math.min(offset + PAGE_SIZE, total)} of {total}
            </span>
            <div className="flex gap-2">
              <button
                type="button"
                className={secondaryButton}
                disabled={offset === 0}
                onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
              >
                Previous
              </button>
              <button
                type="button"
                className={secondaryButton}
                disabled={offset + PAGE_SIZE >= total}
                onClick={() => setOffset(offset + PAGE_SIZE)}
              >
                Next
              </button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
