import type { AuditLog } from '@aegis/contracts';
import { useCallback, useEffect, useId, useState } from 'react';
import type { Query } from '../../../app/api';
import { useInfiniteList } from '../../../app/lists';
import { PageHeader } from '../../../components/Feedback';
import { FilterBar } from '../../../components/FilterBar';
import { QueryView } from '../../../components/QueryView';
import { VirtualTable } from '../../../components/VirtualTable';
import { inputClass, secondaryButton } from '../../test-cases/components/ui';
import { auditColumns } from '../components/AuditEntry';
import { AdminOnly } from '../components/ui';

/** A `date` input (local day) as the ISO instant of its start, or of the next day's start (for `to`). */
export function dayBoundary(value: string, endOfDay: boolean): string | undefined {
  if (!value) return undefined;
  const d = new Date(`${value}T00:00:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  if (endOfDay) d.setDate(d.getDate() + 1);
  return d.toISOString();
}

export function AuditLogPage() {
  return (
    <AdminOnly>
      <AuditLogList />
    </AdminOnly>
  );
}

function AuditLogList() {
  const [actionText, setActionText] = useState('');
  const [entityText, setEntityText] = useState('');
  const [action, setAction] = useState('');
  const [entityType, setEntityType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const ids = { action: useId(), entity: useId(), from: useId(), to: useId() };

  useEffect(() => {
    const t = setTimeout(() => {
      setAction(actionText.trim());
      setEntityType(entityText.trim());
    }, 250);
    return () => clearTimeout(t);
  }, [actionText, entityText]);

  const query: Query = {
    action: action || undefined,
    entityType: entityType || undefined,
    from: dayBoundary(from, false),
    to: dayBoundary(to, true),
  };
  const logs = useInfiniteList<AuditLog>(['audit-logs', 'scroll'], '/audit-logs', query);
  const { fetchNextPage } = logs;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const filtered = Boolean(action || entityType || from || to);

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <PageHeader title="Audit log" />
      <FilterBar>
        <label htmlFor={ids.action} className="text-sm font-medium text-slate-700">
          Action
          <input
            id={ids.action}
            type="search"
            placeholder="user.create"
            className={`${inputClass} mt-1 font-mono`}
            value={actionText}
            onChange={(e) => setActionText(e.target.value)}
          />
        </label>
        <label htmlFor={ids.entity} className="text-sm font-medium text-slate-700">
          Entity type
          <input
            id={ids.entity}
            type="search"
            placeholder="user"
            className={`${inputClass} mt-1 font-mono`}
            value={entityText}
            onChange={(e) => setEntityText(e.target.value)}
          />
        </label>
        <label htmlFor={ids.from} className="text-sm font-medium text-slate-700">
          From
          <input
            id={ids.from}
            type="date"
            className={`${inputClass} mt-1`}
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
        <label htmlFor={ids.to} className="text-sm font-medium text-slate-700">
          To
          <input
            id={ids.to}
            type="date"
            className={`${inputClass} mt-1`}
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        {filtered && (
          <button
            type="button"
            className={secondaryButton}
            onClick={() => {
              setActionText('');
              setEntityText('');
              setFrom('');
              setTo('');
            }}
          >
            Clear filters
          </button>
        )}
      </FilterBar>

      <QueryView
        query={logs}
        loading="Loading the audit log…"
        failed="The audit log could not be loaded."
        isEmpty={() => logs.rows.length === 0}
        empty={filtered ? 'No entry matches these filters.' : 'The audit log is empty.'}
      >
        {() => (
          <VirtualTable
            label="Audit log entries"
            columns={auditColumns}
            rows={logs.rows}
            rowKey={(log) => log.id}
            rowTestId="audit-row"
            total={logs.total}
            totalEstimated={logs.totalEstimated}
            hasMore={logs.hasNextPage}
            loadingMore={logs.isFetchingNextPage}
            loadMore={loadMore}
            busy={logs.isFetching}
          />
        )}
      </QueryView>
    </div>
  );
}
