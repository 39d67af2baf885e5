import type { TestCaseSummary, TestState } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link } from '@tanstack/react-router';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
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
import { AssigneeName, useAssignedToOptions } from '../components/Assignees';
import { BulkActions, type Selection } from '../components/BulkActions';
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
  { header: 'Outcome', cell: visibleOutcome },
  { header: 'Red', cell: (t) => <AssigneeName person={t.assignedRed} /> },
  { header: 'Blue', cell: (t) => <AssigneeName person={t.assignedBlue} /> },
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
  const [assignedTo, setAssignedTo] = useState('');
  const [sort, setSort] = useState('updatedAt:desc');
  const searchId = useId();
  const assignedToOptions = useAssignedToOptions(hasRole(user, ROLE_GROUPS.workers));
  const canBulk = hasRole(user, ROLE_GROUPS.leads);

  const [sortField, order] = sort.split(':');
  const query: Query = {
    state: state || undefined,
    q: q || undefined,
    assignedTo: assignedTo || undefined,
    sort: sortField,
    order,
  };
  const tests = useTestsScroll(query);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = tests;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);

  const [selection, setSelection] = useState<Selection>(new Map());
  const filterKey = JSON.stringify(query);
  // biome-ignore lint/correctness/useExhaustiveDependencies: other filters start a new selection.
  useEffect(() => setSelection(new Map()), [filterKey]);
  const clearSelection = useCallback(() => setSelection(new Map()), []);
  const tableColumns = useMemo(
    () => (canBulk ? [selectColumn(tests.rows, selection, setSelection), ...columns] : columns),
    [canBulk, tests.rows, selection],
  );

  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title="All tests">
        {hasRole(user, ROLE_GROUPS.red) && (
          <Link
            to="/tests/new"
            className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800"
          >
            New test
          </Link>
        )}
      </PageHeader>
      <FilterBar>
        <SearchField id={searchId} placeholder="Title or technique" value={text} onChange={setText} />
        <SelectField label="State" value={state} options={stateOptions} onChange={setState} />
        <SelectField
          label="Assigned to"
          value={assignedTo}
          options={assignedToOptions}
          onChange={setAssignedTo}
        />
        <SelectField label="Sort" value={sort} options={sortOptions} onChange={setSort} />
      </FilterBar>
      {canBulk && (
        <BulkActions
          selection={selection}
          onClear={clearSelection}
          canStart={hasRole(user, ROLE_GROUPS.redLeads)}
        />
      )}

      <QueryView
        query={tests}
        loading="Loading tests…"
        failed="The tests could not be loaded."
        isEmpty={() => tests.rows.length === 0}
        empty={state || q || assignedTo ? 'No test matches these filters.' : 'No test has been created yet.'}
      >
        {() => (
          <VirtualTable
            label="Tests"
            columns={tableColumns}
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

/** The leads' selection column: one checkbox per test, named by its title, and one for every loaded test. */
function selectColumn(
  rows: readonly TestCaseSummary[],
  selection: Selection,
  setSelection: (update: (prev: Selection) => Selection) => void,
): Column<TestCaseSummary> {
  const all = rows.length > 0 && rows.every((t) => selection.has(t.id));
  const toggle = (t: TestCaseSummary) =>
    setSelection((prev) => {
      const next = new Map(prev);
      if (next.has(t.id)) next.delete(t.id);
      else next.set(t.id, t.title);
      return next;
    });
  return {
    header: (
      <input
        type="checkbox"
        aria-label="Select every loaded test"
        checked={all}
        onChange={() => setSelection(() => (all ? new Map() : new Map(rows.map((t) => [t.id, t.title]))))}
      />
    ),
    className: 'w-8',
    cell: (t) => (
      <input
        type="checkbox"
        aria-label={`Select ${t.title}`}
        checked={selection.has(t.id)}
        onChange={() => toggle(t)}
      />
    ),
  };
}
