import { and, desc, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { type Db, preparedOnFirstUse, type Tx } from '../../infra/db';
import { users } from '../users/users.schema';
import { apiTokens, loginAttempts, sessions } from './auth.schema';

type Conn = Db | Tx;
export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
type UserRow = typeof users.$inferSelect;

export async function insertSession(
  tx: Conn,
  values: { userId: string; expiresAt: Date; ip: string | null; userAgent: string | null },
): Promise<SessionRow> {
  const [row] = await tx.insert(sessions).values(values).returning();
  if (!row) throw new Error('session insert returned no row');
  return row;
}

/**
 * A live session with its active user, in one query. It runs on every authenticated request, so it
 * is prepared: drizzle builds it once, and PostgreSQL parses it once per connection.
 */
export function liveSessionReader(
  db: Db,
): (sessionId: string) => Promise<{ session: SessionRow; user: UserRow } | undefined> {
  const query = preparedOnFirstUse(() =>
    db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.id, sql.placeholder('id')),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, sql`now()`),
          eq(users.active, true),
        ),
      )
      .prepare('live_session'),
  );
  return async (sessionId) => (await query().execute({ id: sessionId }))[0];
}

export async function extendSession(db: Conn, sessionId: string, expiresAt: Date): Promise<void> {
  await db
    .update(sessions)
    .set({ expiresAt })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function revokeSession(tx: Conn, sessionId: string): Promise<boolean> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}

/** Revokes every open session of a user, except `keepSessionId`. Returns how many ended. */
export async function revokeUserSessions(tx: Conn, userId: string, keepSessionId?: string): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        keepSessionId ? ne(sessions.id, keepSessionId) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return rows.length;
}

export async function revokeUserApiTokens(tx: Conn, userId: string): Promise<number> {
  const rows = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id });
  return rows.length;
}

export async function insertApiToken(
  tx: Conn,
  values: { userId: string; name: string; tokenHash: string; prefix: string; expiresAt: Date },
): Promise<ApiTokenRow> {
  const [row] = await tx.insert(apiTokens).values(values).returning();
  if (!row) throw new Error('api token insert returned no row');
  return row;
}

/** A live API token with its active user, in one query (prepared, like `liveSessionReader`). */
export function liveApiTokenReader(
  db: Db,
): (tokenHash: string) => Promise<{ token: ApiTokenRow; user: UserRow } | undefined> {
  const query = preparedOnFirstUse(() =>
    db
      .select({ token: apiTokens, user: users })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(
        and(
          eq(apiTokens.tokenHash, sql.placeholder('hash')),
          isNull(apiTokens.revokedAt),
          gt(apiTokens.expiresAt, sql`now()`),
          eq(users.active, true),
        ),
      )
      .prepare('live_api_token'),
  );
  return async (tokenHash) => (await query().execute({ hash: tokenHash }))[0];
}

/** Records use at most once a minute per token, so API traffic does not write on every request. */
export async function touchApiToken(db: Conn, id: string): Promise<void> {
  await db
    .update(apiTokens)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(apiTokens.id, id),
        or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
}

export async function listUserApiTokens(db: Conn, userId: string): Promise<ApiTokenRow[]> {
  return db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(tx: Conn, id: string, userId: string): Promise<ApiTokenRow | undefined> {
  const [row] = await tx
    .update(apiTokens)
    .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId)))
    .returning();
  return row;
}

/**
 * Counts this address's attempts inside the window and, when under the limit, records this one.
 * A per-address advisory lock makes the count-then-insert atomic across instances.
 */
export async function admitLoginAttempt(
  tx: Tx,
  input: { ip: string; username: string; limit: number; windowSeconds: number },
): Promise<{ admitted: true; attemptId: number } | { admitted: false; retryAfterSeconds: number }> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`aegis-login:${input.ip}`}))`);
  const [stats] = await tx
    .select({
      n: sql<number>`count(*)::int`,
      retryAfter: sql<number>`coalesce(ceil(extract(epoch from (min(${loginAttempts.attemptedAt}) + make_interval(secs => ${input.windowSeconds}) - now())))::int, 0)`,
    })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.ip, input.ip),
        gt(loginAttempts.attemptedAt, sql`now() - make_interval(secs => ${input.windowSeconds})`),
      ),
    );
  if ((stats?.n ?? 0) >= input.limit)
    return { admitted: false, retryAfterSeconds: Math.max(1, stats?.retryAfter ?? 1) };
  const [row] = await tx
    .insert(loginAttempts)
    .values({ ip: input.ip, username: input.username.slice(0, 254) })
    .returning({ id: loginAttempts.id });
  if (!row) throw new Error('login attempt insert returned no row');
  return { admitted: true, attemptId: row.id };
}

export async function markLoginSucceeded(tx: Conn, attemptId: number): Promise<void> {
  await tx.update(loginAttempts).set({ succeeded: true }).where(eq(loginAttempts.id, attemptId));
}

/** Housekeeping: drop expired/revoked sessions and old attempts. Returns counts. */
export async function deleteStaleAuthRows(
  db: Conn,
  olderThanDays: number,
): Promise<{ sessions: number; attempts: number }> {
  const cutoff = sql`now() - make_interval(days => ${olderThanDays})`;
  const s = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, cutoff), lt(sessions.revokedAt, cutoff)))
    .returning({ id: sessions.id });
  const a = await db
    .delete(loginAttempts)
    .where(lt(loginAttempts.attemptedAt, sql`now() - interval '1 day'`))
    .returning({ id: loginAttempts.id });
  return { sessions: s.length, attempts: a.length };
}
