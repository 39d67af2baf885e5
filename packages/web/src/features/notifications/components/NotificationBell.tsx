import { Link } from '@tanstack/react-router';
import { useEffect, useId, useRef, useState } from 'react';
import { describeError } from '../../../app/api';
import { Spinner } from '../../../components/Feedback';
import { useMarkAllRead, useNotificationStream, useRecentNotifications, useUnreadCount } from '../api';
import { NotificationItem } from './NotificationItem';

export function NotificationBell() {
  useNotificationStream();
  const unread = useUnreadCount();
  const [open, setOpen] = useState(false);
  const recent = useRecentNotifications(open);
  const markAll = useMarkAllRead();
  const panelId = useId();
  const headingId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const count = unread.data ?? 0;

  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  return (
    <div ref={ref} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={`Notifications, ${count} unread`}
        title={count === 0 ? 'Nothing needs you' : `${count} need${count === 1 ? 's' : ''} you`}
        onClick={() => setOpen((o) => !o)}
        className="relative rounded-md p-2 text-slate-600 hover:bg-slate-100"
      >
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          className="size-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9M13.7 21a2 2 0 0 1-3.4 0" />
        </svg>
        {count > 0 && (
          <span
            data-testid="unread-count"
            className="absolute -top-0.5 -right-0.5 min-w-5 rounded-full bg-red-600 px-1 text-center text-[11px] font-semibold leading-5 text-white tabular-nums"
          >
            {count > 99 ? '99+' : count}
          </span>
        )}
      </button>
      {open && (
        <section
          id={panelId}
          aria-labelledby={headingId}
          className="absolute right-0 z-30 mt-2 w-96 rounded-lg border border-slate-200 bg-white shadow-lg"
        >
          <div className="flex items-center justify-between border-b border-slate-100 px-4 py-2">
            <h2 id={headingId} className="text-sm font-semibold">
              Notifications
            </h2>
            <button
              type="button"
              disabled={count === 0 || markAll.isPending}
              onClick={() => markAll.mutate()}
              className="rounded px-2 py-1 text-xs font-medium text-sky-700 hover:bg-sky-50 disabled:text-slate-400 disabled:hover:bg-transparent"
            >
              Mark all read
            </button>
          </div>
          <div className="max-h-96 overflow-auto">
            {markAll.isError && (
              <p className="px-4 py-2 text-sm text-red-700">{describeError(markAll.error)}</p>
            )}
            {recent.isPending ? (
              <div className="px-4 py-3">
                <Spinner />
              </div>
            ) : recent.isError ? (
              <p className="px-4 py-3 text-sm text-red-700">{describeError(recent.error)}</p>
            ) : recent.data.length === 0 ? (
              <p className="px-4 py-6 text-center text-sm text-slate-500">You have no notifications.</p>
            ) : (
              <ul>
                {recent.data.map((n) => (
                  <li key={n.id} className="border-b border-slate-100 px-4 py-2 last:border-0">
                    <NotificationItem n={n} />
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div className="border-t border-slate-100 px-4 py-2 text-right">
            <Link
              to="/notifications"
              onClick={() => setOpen(false)}
              className="text-sm font-medium text-sky-700 hover:underline"
            >
              All notifications
            </Link>
          </div>
        </section>
      )}
    </div>
  );
}
