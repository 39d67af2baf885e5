import { useEffect, useId, useState } from 'react';
import { describeError, type Query } from '../../../app/api';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { Pager } from '../../../components/Pager';
import { inputClass, secondaryButton } from '../../test-cases/components/ui';
import { useAuditLogs } from '../api';
import { AdminOnly, compactJson } from '../components/ui';

const PAGE_SIZE = 50;

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
      <AuditLog />
    </AdminOnly>
  );
}

function AuditLog() {
  const [actionText, setActionText] = useState('');
  const [entityText, setEntityText] = useState('');
  const [action, setAction] = useState('');
  const [entityType, setEntityType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [offset, setOffset] = useState(0);
  const ids = { action: useId(), entity: useId(), from: useId(), to: useId() };

  useEffect(() => {
    const t = setTimeout(() => {
      setAction(actionText.trim());
      setEntityType(entityText.trim());
    }, 250);
    return () => clearTimeout(t);
  }, [actionText, entityText]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: any filter change goes back to page 1.
  useEffect(() => setOffset(0), [action, entityType, from, to]);

  const query: Query = {
    action: action || undefined,
    entityType: entityType || undefined,
    from: dayBoundary(from, false),
    to: dayBoundary(to, true),
    limit: PAGE_SIZE,
    offset,
  };
  const logs = useAuditLogs(query);
  const filtered = Boolean(action || entityType || from || to);

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <PageHeader title="Audit log" />
      <search className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
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
      </search>

      {logs.isPending ? (
        <Spinner label="Loading the audit log…" />
      ) : logs.isError ? (
        <ErrorMessage
          title="The audit log could not be loaded."
          message={describeError(logs.error)}
          onRetry={() => void logs.refetch()}
        />
      ) : logs.data.items.length === 0 ? (
        <EmptyState>{filtered ? 'No entry matches these filters.' : 'The audit log is empty.'}</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" aria-busy={logs.isFetching}>
            <thead className="bg-slate-50 text-xs text-slate-500">
              <tr>
                <th className="px-3 py-2 font-medium">Time</th>
                <th className="px-3 py-2 font-medium">Actor</th>
                <th className="px-3 py-2 font-medium">Action</th>
                <th className="px-3 py-2 font-medium">Entity</th>
                <th className="px-3 py-2 font-medium">Summary</th>
                <th className="px-3 py-2 font-medium">Client</th>
              </tr>
            </thead>
            <tbody>
              {logs.data.items.map((log) => (
                <tr key={log.id} data-testid="audit-row" className="border-t border-slate-100 align-top">
                  <td className="whitespace-nowrap px-3 py-2 text-slate-500">
                    <time dateTime={log.at}>{new Date(log.at).toLocaleString()}</time>
                  </td>
                  <td className="px-3 py-2">
                    {log.actorUsername ?? <span className="text-slate-400">system</span>}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{log.action}</td>
                  <td className="px-3 py-2 text-xs">
                    <span className="font-mono">{log.entityType}</span>
                    {log.entityId && (
                      <span className="block max-w-48 truncate font-mono text-slate-500" title={log.entityId}>
                        {log.entityId}
                      </span>
                    )}
                  </td>
                  <td className="px-3 py-2">
                    <code className="block max-w-xl break-all font-mono text-xs text-slate-700">
                      {compactJson(log.summary)}
                    </code>
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-500">
                    {log.ip ?? '—'}
                    {log.requestId && (
                      <span className="block font-mono" title="Request id">
                        {log.requestId}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} pageSize={PAGE_SIZE} total={logs.data.total} onChange={setOffset} />
        </div>
      )}
    </div>
  );
}
