import type {
  ListEnvelope,
  MarkAllReadResult,
  Notification,
  NotificationStreamEvent,
  NotificationStreamReady,
  NotificationStreamResolved,
  UnreadCount,
} from '@aegis/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../app/api';

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread-count'] as const,
  recent: ['notifications', 'recent'] as const,
  list: (q: { unreadOnly: boolean; offset: number; limit: number }) => ['notifications', 'list', q] as const,
};

/** How many notifications still need me: unread and not made moot by someone's action. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread,
    queryFn: ({ signal }) => api<UnreadCount>('/notifications/unread-count', { signal }).then((r) => r.count),
  });
}

export function useRecentNotifications(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.recent,
    enabled,
    queryFn: ({ signal }) =>
      api<ListEnvelope<Notification>>('/notifications', { query: { limit: 10 }, signal }).then(
        (r) => r.items,
      ),
  });
}

/** A page of my notifications; `unreadOnly`: only what still needs me. */
export function useNotifications(q: { unreadOnly: boolean; offset: number; limit: number }) {
  return useQuery({
    queryKey: notificationKeys.list(q),
    queryFn: ({ signal }) =>
      api<ListEnvelope<Notification>>('/notifications', {
        query: { ...q, unreadOnly: q.unreadOnly ? 'true' : undefined },
        signal,
      }),
    placeholderData: (previous) => previous,
  });
}

/** Lists other than the bell's count are refetched (or on next use) after anything changes them. */
const refreshLists = (queryClient: QueryClient) =>
  queryClient.invalidateQueries({
    queryKey: notificationKeys.all,
    predicate: (q) => q.queryKey[1] !== notificationKeys.unread[1],
  });

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<MarkAllReadResult>('/notifications/read-all', { method: 'POST', body: {} }),
    onSuccess: () => {
      queryClient.setQueryData(notificationKeys.unread, 0);
      void refreshLists(queryClient);
    },
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<Notification>(`/notifications/${id}/read`, { method: 'POST', body: {} }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

/**
 * Keeps the count (and the lists) live from the SSE stream: a new notification, or notifications
 * resolved by someone's action (`resolved`), carry the new count. EventSource reconnects itself.
 */
export function useNotificationStream() {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/notifications/stream', { withCredentials: true });
    source.addEventListener('ready', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as NotificationStreamReady;
      queryClient.setQueryData(notificationKeys.unread, data.unreadCount);
    });
    source.addEventListener('notification', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as NotificationStreamEvent;
      queryClient.setQueryData(notificationKeys.unread, data.unreadCount);
      queryClient.setQueryData<Notification[]>(notificationKeys.recent, (list) =>
        list ? [data.notification, ...list.filter((n) => n.id !== data.notification.id)].slice(0, 10) : list,
      );
      void queryClient.invalidateQueries({ queryKey: ['notifications', 'list'] });
    });
    source.addEventListener('resolved', (event) => {
      const data = JSON.parse((event as MessageEvent<string>).data) as NotificationStreamResolved;
      queryClient.setQueryData(notificationKeys.unread, data.unreadCount);
      void refreshLists(queryClient);
    });
    return () => source.close();
  }, [queryClient]);
}
