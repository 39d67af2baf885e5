import type { TestCaseSummary, TestState } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { useCallback, useId, useState } from 'react';
import type { Query } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import type { Column } from '../../../components/DataTable';
import { PageHeader } from '../../../components/Feedback';
import { FilterBar, type Option, SelectField } from '../../../components/FilterBar';
import { QueryView } from '../../../components/QueryView';
import { SearchField } from '../../../components/SearchField';
import { useDebounced } from '../../../components/useDebounced';
import { VirtualTable } from '../../../components/VirtualTable';
import { useTestsScroll } from '../api';
import { TestStateBadge } from '../components/TestStateBadge';
import { visibleOutcome } from '../components/ui';

const stateOptions: Option<TestState | ''>[] = [
  { value: '', label: 'Any state' },
  { value: 'draft', label: 'Draft' },
  { value: 'red_executing', label: 'Red executing' },
  { value: 'blue_evaluating', label: 'Blue evaluating' },
  { value: 'in_review', label: 'In review' },
  { value: 'validated', label: 'Validated' },
  { value: 'rejected', label: 'Rejected' },
];
const sortOptions: Option[] = [
  { value: 'updatedAt:desc', label: 'Recently updated' },
  { value: 'createdAt:desc', label: 'Newest' },
  { value: 'createdAt:asc', label: 'Oldest' },
  { value: 'title:asc', label: 'Title A→Z' },
  { value: 'state:asc', label: 'State' },
];

export const CREATOR_ROLES = ['red_tech', 'red_lead'] as const;

const columns: Column<TestCaseSummary>[] = [
  {
    header: 'Title',
    cell: (t) => (
      <>
        <Link to="/tests/$id" params={{ id: t.id }} className="font-medium text-sky-700 hover:underline">
          {t.title}
        </Link>
        {t.retestNumber > 0 && <span className="ml-1 text-xs text-slate-500">re-test #{t.retestNumber}</span>}
      </>
    ),
  },
  {
    header: 'Technique',
    cell: (t) => (
      <>
        <span className="font-mono text-xs text-slate-500">{t.technique.attackId}</span> {t.technique.name}
      </>
    ),
  },
  { header: 'State', cell: (t) => <TestStateBadge state={t.state} /> },
  { header: 'Outcome', className: 'capitalize', cell: visibleOutcome },
  { header: 'Red', className: 'text-slate-600', cell: (t) => t.assignedRed?.displayName ?? '—' },
  { header: 'Blue', className: 'text-slate-600', cell: (t) => t.assignedBlue?.displayName ?? '—' },
  {
    header: 'Updated',
    className: 'whitespace-nowrap text-slate-500',
    cell: (t) => <time dateTime={t.updatedAt}>{new Date(t.updatedAt).toLocaleString()}</time>,
  },
];

export function TestsListPage() {
  const user = useUser();
  const [state, setState] = useState<TestState | ''>('');
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const [mine, setMine] = useState(false);
  const [sort, setSort] = useState('updatedAt:desc');
  const ids = { q: useId(), mine: useId() };

  const [sortField, order] = sort.split(':');
  const query: Query = {
    state: state || undefined,
    q: q || undefined,
    assignedTo: mine ? 'me' : undefined,
    sort: sortField,
    order,
  };
  const tests = useTestsScroll(query);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = tests;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title="All tests">
        {hasRole(user, CREATOR_ROLES) && (
          <Link
            to="/tests/new"
            className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800"
          >
            New test
          </Link>
        )}
      </PageHeader>
      <FilterBar>
        <SearchField id={ids.q} placeholder="Title or technique" value={text} onChange={setText} />
        <SelectField label="State" value={state} options={stateOptions} onChange={setState} />
        <SelectField label="Sort" value={sort} options={sortOptions} onChange={setSort} />
        <label htmlFor={ids.mine} className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input id={ids.mine} type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} />
          Assigned to me
        </label>
      </FilterBar>

      <QueryView
        query={tests}
        loading="Loading tests…"
        failed="The tests could not be loaded."
        isEmpty={() => tests.rows.length === 0}
        empty={state || q || mine ? 'No test matches these filters.' : 'No test has been created yet.'}
      >
        {() => (
          <VirtualTable
            label="Tests"
            columns={columns}
            rows={tests.rows}
            rowKey={(t) => t.id}
            rowTestId="test-row"
            total={tests.total}
            totalEstimated={tests.totalEstimated}
            hasMore={hasNextPage}
            loadingMore={isFetchingNextPage}
            loadMore={loadMore}
            busy={tests.isFetching}
          />
        )}
      </QueryView>
    </div>
  );
}
