import { z } from 'zod';
import { PageQuery } from './envelopes';

/** One in-app notification of the signed-in user. */
export const Notification = z.object({
  id: z.uuid(),
  /** Stable kind clients branch on: `test.transition`, `test.vote`, `remediation.assigned`, … */
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  /** What the notification is about (e.g. `test_case` + its id), for a link; null when about nothing. */
  entityType: z.string().nullable(),
  entityId: z.string().nullable(),
  readAt: z.iso.datetime().nullable(),
  /** Set when someone's action made it moot (the vote cast, the test moved on): it no longer counts. */
  resolvedAt: z.iso.datetime().nullable(),
  /** Why it is done, shown after "Done — " (`vote cast by bob`, `test validated`). */
  resolvedReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type Notification = z.infer<typeof Notification>;

export const ListNotificationsQuery = PageQuery.extend({
  /** Only what still needs me: unread and not resolved. */
  unreadOnly: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type ListNotificationsQuery = z.infer<typeof ListNotificationsQuery>;

/** What still needs me: unread notifications no action has resolved. */
export const UnreadCount = z.object({ count: z.number().int().min(0) });
export type UnreadCount = z.infer<typeof UnreadCount>;

export const MarkAllReadResult = z.object({ updated: z.number().int().min(0) });
export type MarkAllReadResult = z.infer<typeof MarkAllReadResult>;

/**
 * Server-Sent Events of `GET /notifications/stream`: first `event: ready` with this data, then
 * `event: notification` with `NotificationStreamEvent` for each new notification, `event: resolved`
 * with `NotificationStreamResolved` when someone's action resolved some of mine, and `: ping`
 * comments to keep proxies from closing an idle stream.
 */
export const NotificationStreamReady = z.object({ unreadCount: z.number().int().min(0) });
export type NotificationStreamReady = z.infer<typeof NotificationStreamReady>;

export const NotificationStreamEvent = z.object({
  notification: Notification,
  /** The user's unread count once this notification exists: badges take it as is. */
  unreadCount: z.number().int().min(0),
});
export type NotificationStreamEvent = z.infer<typeof NotificationStreamEvent>;

/** Some of my notifications were resolved by someone's action: the badge takes the new count. */
export const NotificationStreamResolved = z.object({ unreadCount: z.number().int().min(0) });
export type NotificationStreamResolved = z.infer<typeof NotificationStreamResolved>;
