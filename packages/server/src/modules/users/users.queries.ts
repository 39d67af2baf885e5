import type { ListUsersQuery, Role } from '@aegis/contracts';
import { and, asc, eq, ilike, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import { containsPattern, type Db, type Tx } from '../../infra/db';
import { users } from './users.schema';

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;
type Conn = Db | Tx;

/** Serialises every change that could remove the last active admin (two admins demoting each other). */
const ADMIN_SET_LOCK = 4_711_000_010;

export async function findUserById(db: Conn, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function findUserByUsername(db: Conn, username: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.username, username.toLowerCase()));
  return row;
}

/** Sign-in accepts the username or the email address. */
export async function findUserByLogin(db: Conn, login: string): Promise<UserRow | undefined> {
  const value = login.toLowerCase();
  const [row] = await db
    .select()
    .from(users)
    .where(or(eq(users.username, value), eq(users.email, value)))
    .orderBy(sql`${users.username} = ${value} desc`)
    .limit(1);
  return row;
}

const SORT = {
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  createdAt: users.createdAt,
  lastLoginAt: users.lastLoginAt,
} as const;

export async function listUsers(db: Conn, q: ListUsersQuery): Promise<{ rows: UserRow[]; total: number }> {
  const where: SQL[] = [];
  if (q.role) where.push(eq(users.role, q.role));
  if (q.active !== undefined) where.push(eq(users.active, q.active));
  if (q.q) {
    const p = containsPattern(q.q);
    const match = or(ilike(users.username, p), ilike(users.email, p), ilike(users.displayName, p));
    if (match) where.push(match);
  }
  const condition = where.length > 0 ? and(...where) : undefined;
  const column = SORT[q.sort];
  const order = q.order === 'desc' ? sql`${column} desc nulls last` : sql`${column} asc nulls last`;
  const [rows, [count]] = await Promise.all([
    db.select().from(users).where(condition).orderBy(order, asc(users.id)).limit(q.limit).offset(q.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(users).where(condition),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/** A person as other modules show and check them (assignees): no credentials. */
export type UserBrief = Pick<UserRow, 'id' | 'username' | 'displayName' | 'role' | 'active'>;
const brief = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  active: users.active,
};

/** Active users with one of `roles`, by display name, optionally matching `q` (username or display name). */
export async function listActiveWithRoles(
  db: Conn,
  roles: readonly Role[],
  q: string | undefined,
  limit: number,
): Promise<UserBrief[]> {
  const p = q ? containsPattern(q) : undefined;
  return db
    .select(brief)
    .from(users)
    .where(
      and(
        eq(users.active, true),
        inArray(users.role, [...roles]),
        p ? or(ilike(users.username, p), ilike(users.displayName, p)) : undefined,
      ),
    )
    .orderBy(sql`lower(${users.displayName})`, asc(users.id))
    .limit(limit);
}

/** The ids of the active users with one of `roles` (whom to notify), in no order. */
export async function activeUserIdsWithRoles(db: Conn, roles: readonly Role[]): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.active, true), inArray(users.role, [...roles])));
  return rows.map((r) => r.id);
}

/** Some users by id, in one query (unknown ids are absent). */
export async function findUsersByIds(db: Conn, ids: readonly string[]): Promise<UserBrief[]> {
  if (ids.length === 0) return [];
  return db
    .select(brief)
    .from(users)
    .where(inArray(users.id, [...ids]));
}

export async function insertUser(tx: Conn, values: NewUserRow): Promise<UserRow> {
  const [row] = await tx.insert(users).values(values).returning();
  if (!row) throw new Error('user insert returned no row');
  return row;
}

/** Inserts unless the username exists; returns undefined when another instance got there first. */
export async function insertUserIfAbsent(tx: Conn, values: NewUserRow): Promise<UserRow | undefined> {
  const [row] = await tx.insert(users).values(values).onConflictDoNothing().returning();
  return row;
}

export async function updateUserRow(
  tx: Conn,
  id: string,
  patch: Partial<
    Pick<UserRow, 'email' | 'displayName' | 'role' | 'active' | 'passwordHash' | 'mustChangePassword'>
  > & {
    passwordChangedAt?: Date;
    lastLoginAt?: Date;
  },
): Promise<UserRow | undefined> {
  const [row] = await tx
    .update(users)
    .set({ ...patch, updatedAt: sql`now()` })
    .where(eq(users.id, id))
    .returning();
  return row;
}

export async function lockUserForUpdate(tx: Tx, id: string): Promise<UserRow | undefined> {
  await tx.execute(sql`select pg_advisory_xact_lock(${ADMIN_SET_LOCK})`);
  const [row] = await tx.select().from(users).where(eq(users.id, id)).for('update');
  return row;
}

export async function countActiveAdmins(db: Conn, excludeId?: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(
      and(
        eq(users.role, 'admin' satisfies Role),
        eq(users.active, true),
        excludeId ? ne(users.id, excludeId) : undefined,
      ),
    );
  return r?.n ?? 0;
}

export async function touchLastLogin(db: Conn, id: string): Promise<void> {
  await db.update(users).set({ lastLoginAt: sql`now()` }).where(eq(users.id, id));
}
