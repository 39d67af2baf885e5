import type { ListEnvelope } from '@aegis/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { type Column, DataTable } from './DataTable';
import { Pager } from './Pager';
import { QueryView } from './QueryView';

/**
 * One page of a list endpoint as a table with its pager, in its four states (loading, failed,
 * empty, rows). Pages are 1-based; `onPage` gets `undefined` for the first page, so a page kept in
 * the URL disappears from it there.
 */
export function PagedTable<T extends { id: string }>({
  query,
  loading,
  failed,
  empty,
  columns,
  rowTestId,
  page,
  pageSize,
  onPage,
}: {
  query: Pick<
    UseQueryResult<ListEnvelope<T>>,
    'isPending' | 'isError' | 'error' | 'data' | 'refetch' | 'isFetching'
  >;
  loading: string;
  failed: string;
  empty: ReactNode;
  columns: readonly Column<T>[];
  rowTestId: string;
  page: number;
  pageSize: number;
  onPage: (page: number | undefined) => void;
}) {
  return (
    <QueryView
      query={query}
      loading={loading}
      failed={failed}
      isEmpty={(data) => data.items.length === 0}
      empty={empty}
    >
      {(data) => (
        <DataTable
          columns={columns}
          rows={data.items}
          rowKey={(row) => row.id}
          rowTestId={rowTestId}
          busy={query.isFetching}
          footer={
            <Pager
              offset={(page - 1) * pageSize}
              pageSize={pageSize}
              total={data.total}
              estimated={data.totalEstimated}
              pageItems={data.items.length}
              onChange={(offset) => onPage(offset > 0 ? offset / pageSize + 1 : undefined)}
            />
          }
        />
      )}
    </QueryView>
  );
}
