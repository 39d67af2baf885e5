import type { ListEnvelope, Notification, Role } from '@aegis/contracts';
import type { DatabaseHandle, Db, Tx } from '../../infra/db';
import { errors } from '../../infra/http';
import type { Logger } from '../../infra/logger';
import { createLiveBus, type LiveListener, type ReconnectOptions } from './live';
import {
  countUnread,
  deleteReadNotificationsOlderThan,
  insertNotificationsAndNotify,
  listNotifications,
  loadForFanOut,
  markAllNotificationsRead,
  markNotificationRead,
  type NotificationInsert,
  type NotificationRow,
  openCounts,
  type ResolveFilter,
  resolveNotificationsAndNotify,
} from './notifications.queries';

/**
 * Which open notifications an action made moot: those about one entity, of these kinds (of these
 * recipients, or of everyone but some), and why, in the words shown after "Done — ".
 */
export type ResolveNotifications = ResolveFilter;

/**
 * One notification to send to each of `userIds` and, with `roles`, to every active user with one of
 * them (read in the insert's statement), but to none of `exceptUserIds`. Each recipient gets it once.
 */
export interface NewNotification {
  userIds: string[];
  roles?: readonly Role[];
  exceptUserIds?: readonly string[];
  kind: string;
  title: string;
  body?: string;
  entityType?: string;
  entityId?: string;
}

export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    kind: row.kind,
    title: row.title,
    body: row.body,
    entityType: row.entityType,
    entityId: row.entityId,
    readAt: row.readAt?.toISOString() ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    resolvedReason: row.resolvedAt ? row.resolvedReason : null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The notifications that reach anyone: with a recipient named, or roles to read them from. */
function insertsOf(items: NewNotification[]): NotificationInsert[] {
  return items.flatMap((item) => {
    const except = item.exceptUserIds ?? [];
    const userIds = item.userIds.filter((id) => !except.includes(id));
    const roles = item.roles ?? [];
    if (userIds.length === 0 && roles.length === 0) return [];
    return [
      {
        userIds,
        roles,
        exceptUserIds: except,
        kind: item.kind,
        title: item.title,
        body: item.body ?? '',
        entityType: item.entityType ?? null,
        entityId: item.entityId ?? null,
      },
    ];
  });
}

export function createNotificationsService(deps: {
  database: DatabaseHandle;
  logger: Logger;
  /** Backoff of the PostgreSQL LISTEN connection after it drops (tests shorten it). */
  reconnect?: ReconnectOptions;
}) {
  const { db } = deps.database;
  const bus = createLiveBus({
    database: deps.database,
    logger: deps.logger,
    reconnect: deps.reconnect,
    load: async (ids, userIds) =>
      (await loadForFanOut(db, ids, userIds)).map((row) => ({
        userId: row.userId,
        event: { type: 'notification', notification: toNotification(row), unreadCount: row.unreadCount },
      })),
    counts: (userIds) => openCounts(db, userIds),
  });

  return {
    /**
     * Inserts one row per recipient (set-based, one INSERT) in the caller's transaction, and
     * schedules the live push for after commit: the same statement NOTIFYs the new ids, which
     * PostgreSQL delivers to every instance on commit and drops on rollback.
     */
    async notify(tx: Tx | Db, ...items: NewNotification[]): Promise<void> {
      const inserts = insertsOf(items);
      if (inserts.length > 0) await insertNotificationsAndNotify(tx, inserts);
    },

    /**
     * Marks done, in the caller's transaction and one UPDATE, the open notifications an action made
     * moot; their recipients' open streams get the new count after commit (`event: resolved`).
     * Returns how many were resolved.
     */
    resolve: (tx: Tx | Db, which: ResolveNotifications): Promise<number> =>
      resolveNotificationsAndNotify(tx, which),

    async list(
      userId: string,
      q: { unreadOnly?: boolean; limit: number; offset: number },
    ): Promise<ListEnvelope<Notification>> {
      const { rows, ...total } = await listNotifications(db, userId, {
        unreadOnly: q.unreadOnly ?? false,
        limit: q.limit,
        offset: q.offset,
      });
      return { items: rows.map(toNotification), ...total, limit: q.limit, offset: q.offset };
    },

    unreadCount: (userId: string): Promise<number> => countUnread(db, userId),

    /** Someone else's notification is answered like a missing one: ids reveal nothing. */
    async markRead(userId: string, id: string): Promise<Notification> {
      const row = await markNotificationRead(db, userId, id);
      if (!row) throw errors.notFound('Notification', id);
      return toNotification(row);
    },

    markAllRead: (userId: string): Promise<number> => markAllNotificationsRead(db, userId),

    async deleteReadOlderThan(days: number): Promise<number> {
      if (!Number.isInteger(days) || days < 0)
        throw new RangeError(`days must be a whole number ≥ 0, not ${days}`);
      return deleteReadNotificationsOlderThan(db, days);
    },

    /** Starts the cross-instance listener (PostgreSQL LISTEN, or PGlite's listen); call at platform start. */
    start: (): Promise<void> => bus.start(),
    /** Stops the listener; call at shutdown, before the database closes. */
    stop: (): Promise<void> => bus.stop(),

    /** Live events for one user (used by the SSE route). Returns the unsubscribe function. */
    subscribe: (userId: string, onEvent: LiveListener): (() => void) => bus.subscribe(userId, onEvent),

    /** Live subscriptions held by this instance. */
    subscriberCount: (): number => bus.subscriberCount(),
  };
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;
