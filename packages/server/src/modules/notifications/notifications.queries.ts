import { and, desc, eq, getTableColumns, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { boundedCount, type Db, type ListTotal, type Tx } from '../../infra/db';
import { users } from '../users/users.schema';
import { notifications } from './notifications.schema';

export type NotificationRow = typeof notifications.$inferSelect;
type Conn = Db | Tx;

/** The PostgreSQL channel every instance LISTENs on; payloads are `{"ids": [...]}`. */
export const NOTIFY_CHANNEL = 'aegis_notifications';
/**
 * NOTIFY payloads must stay under 8000 bytes; a quoted uuid plus its comma is 39 bytes, so 150 ids
 * (≈ 5.9 kB) leave room for the JSON around them.
 */
export const IDS_PER_NOTIFY = 150;

/** One notification for a set of recipients, each of whom gets a row. */
export interface NotificationInsert {
  userIds: readonly string[];
  /** And every active user with one of these roles. */
  roles: readonly string[];
  /** Not these users, whether named or by role. */
  exceptUserIds: readonly string[];
  kind: string;
  title: string;
  body: string;
  entityType: string | null;
  entityId: string | null;
}

/**
 * Inserts one row per recipient of every notification with one INSERT (a single JSON parameter,
 * so any number of notifications binds one value; each recipient is a user row matched once, by
 * id or by role) and, in the same statement, NOTIFYs the new ids in chunks. One statement keeps
 * the two atomic even when called outside a transaction; inside one, PostgreSQL delivers the
 * NOTIFY only if and when it commits.
 */
export async function insertNotificationsAndNotify(conn: Conn, items: NotificationInsert[]): Promise<number> {
  const records = items.map((r) => ({
    user_ids: r.userIds,
    roles: r.roles,
    except_ids: r.exceptUserIds,
    kind: r.kind,
    title: r.title,
    body: r.body,
    entity_type: r.entityType,
    entity_id: r.entityId,
  }));
  const result = await conn.execute<{ n: number }>(sql`
    with inserted as (
      insert into ${notifications} (user_id, kind, title, body, entity_type, entity_id)
      select u.id, i.kind, i.title, i.body, i.entity_type, i.entity_id
      from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
        as i(user_ids uuid[], roles text[], except_ids uuid[],
             kind text, title text, body text, entity_type text, entity_id text)
      join ${users} u on (u.id = any(i.user_ids) or (u.active and u.role = any(i.roles)))
        and u.id <> all(i.except_ids)
      returning id
    ),
    chunked as (
      select id, (row_number() over () - 1) / ${IDS_PER_NOTIFY} as chunk from inserted
    )
    select count(*)::int as n, pg_notify(${NOTIFY_CHANNEL}, json_build_object('ids', json_agg(id))::text)
    from chunked group by chunk`);
  return result.rows.reduce((sum, r) => sum + Number(r.n), 0);
}

export interface ResolveFilter {
  entityType: string;
  entityId: string;
  kinds: readonly string[];
  /** Only these recipients' notifications (absent: everyone's). */
  userIds?: readonly string[];
  /** Everyone's but these recipients'. */
  exceptUserIds?: readonly string[];
  reason: string;
}

const uuidList = (ids: readonly string[]) =>
  sql`(select (jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))::uuid)`;

/**
 * Marks the open notifications about one entity of these kinds done, in one UPDATE on the partial
 * index of open notifications, and in the same statement NOTIFYs the recipients whose count fell
 * (chunked like the inserts), so their open bells refresh after commit. Returns the rows resolved.
 */
export async function resolveNotificationsAndNotify(conn: Conn, f: ResolveFilter): Promise<number> {
  if (f.kinds.length === 0 || f.userIds?.length === 0) return 0;
  const result = await conn.execute<{ n: number }>(sql`
    with resolved as (
      update ${notifications} set resolved_at = now(), resolved_reason = ${f.reason}
      where entity_type = ${f.entityType} and entity_id = ${f.entityId} and resolved_at is null
        and kind in (select jsonb_array_elements_text(${JSON.stringify(f.kinds)}::jsonb))
        ${f.userIds ? sql`and user_id in ${uuidList(f.userIds)}` : sql``}
        ${f.exceptUserIds?.length ? sql`and user_id not in ${uuidList(f.exceptUserIds)}` : sql``}
      returning user_id, read_at
    ),
    recipients as (
      select user_id, count(*)::int as n from resolved group by user_id
    ),
    chunked as (
      select user_id, n, (row_number() over () - 1) / ${IDS_PER_NOTIFY} as chunk from recipients
    )
    select sum(n)::int as n,
           pg_notify(${NOTIFY_CHANNEL}, json_build_object('resolvedFor', json_agg(user_id))::text)
    from chunked group by chunk`);
  return result.rows.reduce((sum, r) => sum + Number(r.n), 0);
}

/** Each user's count of what still needs them: unread and not resolved (0 for users with none). */
export async function openCounts(
  db: Conn,
  userIds: readonly string[],
): Promise<Array<{ userId: string; unreadCount: number }>> {
  if (userIds.length === 0) return [];
  const r = await db.execute<{ user_id: string; n: number }>(sql`
    select u.id as user_id,
           (select count(*)::int from ${notifications} n
             where n.user_id = u.id and n.read_at is null and n.resolved_at is null) as n
    from ${uuidList(userIds)} as u(id)`);
  return r.rows.map((row) => ({ userId: row.user_id, unreadCount: Number(row.n) }));
}

/**
 * Notifications by id, restricted to the given users, each with its user's current unread count
 * (one query per NOTIFY payload, whatever the number of ids and users).
 */
export async function loadForFanOut(
  db: Conn,
  ids: readonly string[],
  userIds: readonly string[],
): Promise<Array<NotificationRow & { unreadCount: number }>> {
  if (ids.length === 0 || userIds.length === 0) return [];
  return db
    .select({
      ...getTableColumns(notifications),
      // Spelled out: drizzle drops table qualifiers in single-table selects, which a correlated subquery needs.
      unreadCount: sql<number>`(select count(*)::int from notifications as unread
        where unread.user_id = notifications.user_id and unread.read_at is null
          and unread.resolved_at is null)`.mapWith(Number),
    })
    .from(notifications)
    .where(and(inArray(notifications.id, [...ids]), inArray(notifications.userId, [...userIds])))
    .orderBy(notifications.createdAt, notifications.id);
}

export async function listNotifications(
  db: Conn,
  userId: string,
  q: { unreadOnly: boolean; limit: number; offset: number },
): Promise<{ rows: NotificationRow[] } & ListTotal> {
  const where: SQL[] = [eq(notifications.userId, userId)];
  if (q.unreadOnly) where.push(isNull(notifications.readAt), isNull(notifications.resolvedAt));
  const condition = and(...where);
  const [rows, total] = await Promise.all([
    db
      .select()
      .from(notifications)
      .where(condition)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(q.limit)
      .offset(q.offset),
    boundedCount(db, sql`from ${notifications} where ${condition}`),
  ]);
  return { rows, ...total };
}

export async function countUnread(db: Conn, userId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(notifications)
    .where(
      and(eq(notifications.userId, userId), isNull(notifications.readAt), isNull(notifications.resolvedAt)),
    );
  return r?.n ?? 0;
}

/** Marks one of the user's notifications read; an already read one keeps its first read time. */
export async function markNotificationRead(
  db: Conn,
  userId: string,
  id: string,
): Promise<NotificationRow | undefined> {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning();
  return row;
}

export async function markAllNotificationsRead(db: Conn, userId: string): Promise<number> {
  const result = await db.execute<{ n: number }>(sql`
    with updated as (
      update ${notifications} set read_at = now()
      where ${notifications.userId} = ${userId} and ${notifications.readAt} is null
      returning 1
    )
    select count(*)::int as n from updated`);
  return Number(result.rows[0]?.n ?? 0);
}

/**
 * Unread notifications are kept whatever their age: only what the user has seen, or what someone's
 * action resolved (it needs nobody any more), expires.
 */
export async function deleteReadNotificationsOlderThan(db: Conn, days: number): Promise<number> {
  const result = await db.execute<{ n: number }>(sql`
    with deleted as (
      delete from ${notifications}
      where ${notifications.readAt} < now() - make_interval(days => ${days}::int)
         or ${notifications.resolvedAt} < now() - make_interval(days => ${days}::int)
      returning 1
    )
    select count(*)::int as n from deleted`);
  return Number(result.rows[0]?.n ?? 0);
}
