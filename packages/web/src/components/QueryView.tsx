import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { describeError } from '../app/api';
import { EmptyState, ErrorMessage, Spinner } from './Feedback';

/**
 * The four states of a loaded list or record: loading, failed (in words, with a retry), empty and
 * loaded. `isEmpty` decides the empty state; `children` renders the data.
 */
export interface QueryViewProps<T> {
  query: Pick<UseQueryResult<T>, 'isPending' | 'isError' | 'error' | 'data' | 'refetch'>;
  loading: string;
  failed: string;
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}

export function QueryView<T>({ query, loading, failed, empty, isEmpty, children }: QueryViewProps<T>) {
  if (query.isPending) return <Spinner label={loading} />;
  if (query.isError || query.data === undefined)
    return (
      <ErrorMessage
        title={failed}
        message={describeError(query.error)}
        onRetry={() => void query.refetch()}
      />
    );
  if (empty !== undefined && isEmpty?.(query.data)) return <EmptyState>{empty}</EmptyState>;
  return <>{children(query.data)}</>;
}
