import { useState } from 'react';
import { describeError } from '../../../app/api';
import { secondaryButton } from '../../../components/buttons';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { Pager } from '../../../components/Pager';
import { useMarkAllRead, useMarkRead, useNotifications, useUnreadCount } from '../api';
import { NotificationItem } from '../components/NotificationItem';

const PAGE_SIZE = 25;

/** `/notifications`: everything I was told, newest first; what still needs me, or all of it. */
export function NotificationsPage() {
  const [openOnly, setOpenOnly] = useState(true);
  const [offset, setOffset] = useState(0);
  const list = useNotifications({ unreadOnly: openOnly, offset, limit: PAGE_SIZE });
  const unread = useUnreadCount();
  const markAll = useMarkAllRead();
  const markRead = useMarkRead();
  const count = unread.data ?? 0;
  const show = (next: boolean) => {
    setOpenOnly(next);
    setOffset(0);
  };

  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader title="Notifications">
        <div className="flex items-center gap-3">
          <p className="text-sm text-slate-600" data-testid="open-count">
            {count === 0 ? 'Nothing needs you' : `${count} need${count === 1 ? 's' : ''} you`}
          </p>
          <button
            type="button"
            className={secondaryButton}
            disabled={count === 0 || markAll.isPending}
            onClick={() => markAll.mutate()}
          >
            Mark all read
          </button>
        </div>
      </PageHeader>
      <fieldset className="mb-3 flex gap-4 text-sm text-slate-700">
        <legend className="sr-only">Show</legend>
        <label className="flex items-center gap-1.5">
          <input type="radio" name="show" checked={openOnly} onChange={() => show(true)} />
          Needs me
        </label>
        <label className="flex items-center gap-1.5">
          <input type="radio" name="show" checked={!openOnly} onChange={() => show(false)} />
          All, including done
        </label>
      </fieldset>
      {(markAll.isError || markRead.isError) && (
        <p role="alert" className="mb-2 text-sm text-red-700">
          {describeError(markAll.error ?? markRead.error)}
        </p>
      )}
      {list.isPending ? (
        <Spinner label="Loading your notifications…" />
      ) : list.isError ? (
        <ErrorMessage message={describeError(list.error)} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <EmptyState>{openOnly ? 'Nothing needs you right now.' : 'You have no notifications.'}</EmptyState>
      ) : (
        <section aria-label="Notifications" className="rounded-lg border border-slate-200 bg-white">
          <ul className="divide-y divide-slate-100">
            {list.data.items.map((n) => (
              <li key={n.id} className="px-4 py-3">
                <NotificationItem n={n} onRead={(id) => markRead.mutate(id)} />
              </li>
            ))}
          </ul>
          <Pager
            offset={offset}
            pageSize={PAGE_SIZE}
            total={list.data.total}
            estimated={list.data.totalEstimated}
            pageItems={list.data.items.length}
            onChange={setOffset}
          />
        </section>
      )}
    </div>
  );
}
