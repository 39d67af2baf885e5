import type { AuditLog } from '@aegis/contracts';
import { useState } from 'react';
import type { Column } from '../../../components/DataTable';
import { describeAudit } from '../audit';

/** The request id, shown on demand, selectable in one click and copyable where the browser allows. */
function RequestId({ id }: { id: string }) {
  const [copied, setCopied] = useState(false);
  const canCopy = typeof navigator !== 'undefined' && Boolean(navigator.clipboard);
  return (
    <details className="mt-0.5">
      <summary className="cursor-pointer text-slate-500">Request id</summary>
      <span className="mt-1 flex items-center gap-1">
        <code className="select-all break-all font-mono text-[11px] text-slate-700">{id}</code>
        {canCopy && (
          <button
            type="button"
            className="rounded px-1 text-sky-700 hover:bg-sky-50"
            onClick={() =>
              void navigator.clipboard.writeText(id).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? 'Copied' : 'Copy'}
          </button>
        )}
      </span>
    </details>
  );
}

function WhatHappened({ log }: { log: AuditLog }) {
  const { sentence, details } = describeAudit(log);
  return (
    <div className="max-w-2xl">
      <p className="text-sm text-slate-900" data-testid="audit-sentence">
        {sentence}
      </p>
      {details.length > 0 && (
        <ul className="mt-0.5 flex flex-wrap gap-x-3 text-xs text-slate-600">
          {details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      <p className="mt-0.5 font-mono text-[11px] text-slate-500">{log.action}</p>
    </div>
  );
}

export const auditColumns: Column<AuditLog>[] = [
  {
    header: 'Time',
    className: 'whitespace-nowrap text-slate-500',
    cell: (log) => <time dateTime={log.at}>{new Date(log.at).toLocaleString()}</time>,
  },
  { header: 'What happened', cell: (log) => <WhatHappened log={log} /> },
  {
    header: 'Client',
    className: 'text-xs text-slate-600',
    cell: (log) => (
      <>
        <span className="font-mono">{log.ip ?? '—'}</span>
        {log.requestId && <RequestId id={log.requestId} />}
      </>
    ),
  },
];
