import type {
  ListEnvelope,
  MarkAllReadResult,
  Notification,
  NotificationStreamEvent,
  NotificationStreamReady,
  UnreadCount,
} from '@aegis/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from '../../app/api';

export const notificationKeys = {
  unread: ['notifications', 'unread-count'] as const,
  recent: ['notifications', 'recent'] as const,
};

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

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<MarkAllReadResult>('/notifications/read-all', { method: 'POST', body: {} }),
    onSuccess: () => {
      queryClient.setQueryData(notificationKeys.unread, 0);
      void queryClient.invalidateQueries({ queryKey: notificationKeys.recent });
    },
  });
}

/** Keeps the unread count (and the recent list) live from the SSE stream; EventSource reconnects itself. */
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
    });
    return () => source.close();
  }, [queryClient]);
}
