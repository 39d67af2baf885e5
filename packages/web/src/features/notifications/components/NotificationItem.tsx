import type { Notification } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';

/** Where a notification leads: its test, when it is about one. */
function Subject({ n }: { n: Notification }) {
  if (n.entityType === 'test_case' && n.entityId)
    return (
      <Link to="/tests/$id" params={{ id: n.entityId }} className="hover:underline">
        {n.title}
      </Link>
    );
  return <>{n.title}</>;
}

/**
 * One notification: unread and still needing the user (dot, bold), read, or done by someone's action
 * ("Done — vote cast by bob"), which no longer counts.
 */
export function NotificationItem({ n, onRead }: { n: Notification; onRead?: (id: string) => void }) {
  const open = !n.readAt && !n.resolvedAt;
  return (
    <div data-testid="notification" data-state={n.resolvedAt ? 'done' : open ? 'open' : 'read'}>
      <p className={`text-sm ${open ? 'font-semibold text-slate-900' : 'text-slate-600'}`}>
        {open && <span aria-hidden="true" className="mr-1.5 inline-block size-2 rounded-full bg-sky-500" />}
        {open && <span className="sr-only">Unread: </span>}
        <Subject n={n} />
      </p>
      {n.body && <p className="text-xs text-slate-600">{n.body}</p>}
      <p className="flex flex-wrap items-center gap-2 text-xs text-slate-500">
        <time dateTime={n.createdAt}>{new Date(n.createdAt).toLocaleString()}</time>
        {n.resolvedAt && (
          <span
            data-testid="notification-done"
            className="rounded-full border border-emerald-300 bg-emerald-50 px-2 py-0.5 text-emerald-800"
          >
            Done — {n.resolvedReason ?? 'no longer needed'}
          </span>
        )}
        {open && onRead && (
          <button
            type="button"
            onClick={() => onRead(n.id)}
            className="rounded px-1.5 py-0.5 font-medium text-sky-700 hover:bg-sky-50"
          >
            Mark read
          </button>
        )}
      </p>
    </div>
  );
}
