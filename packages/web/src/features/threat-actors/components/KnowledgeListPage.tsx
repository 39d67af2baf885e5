import type { ListEnvelope } from '@aegis/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { type ReactNode, useId, useState } from 'react';
import type { Query } from '../../../app/api';
import type { Column } from '../../../components/DataTable';
import { PageHeader } from '../../../components/Feedback';
import { FilterBar } from '../../../components/FilterBar';
import { PagedTable } from '../../../components/PagedTable';
import { SearchField } from '../../../components/SearchField';
import { useDebounced } from '../../../components/useDebounced';

const PAGE_SIZE = 50;

/**
 * A searchable, paged list of ATT&CK knowledge objects (groups, software, intrusion campaigns).
 * `useList` is the list's query hook; the search box sends `q` and a new search starts at page 1.
 */
export function KnowledgeListPage<T extends { id: string }>({
  title,
  intro,
  searchPlaceholder,
  useList,
  columns,
  rowTestId,
  noun,
  filters,
}: {
  title: string;
  intro?: ReactNode;
  searchPlaceholder: string;
  useList: (query: Query) => UseQueryResult<ListEnvelope<T>>;
  columns: readonly Column<T>[];
  rowTestId: string;
  /** What one row is, and many, for the loading, failure and empty messages. */
  noun: { one: string; many: string };
  /** Filter controls beside the search box, and the query parameters they set. */
  filters?: { controls: ReactNode; query: Query };
}) {
  const [text, setText] = useState('');
  const q = useDebounced(text);
  // A new search or filter starts at page 1.
  const key = JSON.stringify([q, filters?.query]);
  const [page, setPage] = useState({ key, offset: 0 });
  const offset = page.key === key ? page.offset : 0;
  const filtered = Boolean(q) || Object.values(filters?.query ?? {}).some((v) => v !== undefined);
  const list = useList({ ...filters?.query, q: q || undefined, limit: PAGE_SIZE, offset });
  const searchId = useId();

  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader title={title} />
      {intro && <p className="-mt-2 mb-4 max-w-3xl text-sm text-slate-600">{intro}</p>}
      <FilterBar>
        <SearchField id={searchId} placeholder={searchPlaceholder} value={text} onChange={setText} />
        {filters?.controls}
      </FilterBar>
      <PagedTable
        query={list}
        loading={`Loading ${noun.many}…`}
        failed={`The ${noun.many} could not be loaded.`}
        empty={
          filtered
            ? `No ${noun.one} matches this search.`
            : `No ${noun.one} has been imported yet: an admin imports ATT&CK under System → Import runs.`
        }
        columns={columns}
        rowTestId={rowTestId}
        page={offset / PAGE_SIZE + 1}
        pageSize={PAGE_SIZE}
        onPage={(next) => setPage({ key, offset: ((next ?? 1) - 1) * PAGE_SIZE })}
      />
    </div>
  );
}
