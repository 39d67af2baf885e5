import type { ApiToken, LoginResponse, Me, Role } from '@aegis/contracts';
import type { Config } from '../../infra/config';
import type { Db, Tx } from '../../infra/db';
import { errors } from '../../infra/http';
import { type AuditActor, recordAudit } from '../audit-logs';
import {
  assertPasswordPolicy,
  dummyPasswordHash,
  findUserByLogin,
  hashPassword,
  toUser,
  touchLastLogin,
  type UserRow,
  updateUserRow,
  verifyPassword,
} from '../users';
import {
  type ApiTokenRow,
  admitLoginAttempt,
  extendSession,
  insertApiToken,
  insertSession,
  listUserApiTokens,
  liveApiTokenReader,
  liveSessionReader,
  markLoginSucceeded,
  revokeApiToken,
  revokeSession,
  revokeUserApiTokens,
  revokeUserSessions,
  touchApiToken,
} from './auth.queries';
import { type AuthKeys, csrfTokenFor, deriveKeys } from './keys';
import { API_TOKEN_PREFIX, hashApiToken, newApiToken, signAccessToken, verifyAccessToken } from './tokens';

/** Who is making a request, as established by the guard. */
export interface AuthContext {
  user: { id: string; username: string; role: Role; row: UserRow };
  method: 'session' | 'api_token';
  sessionId: string | null;
  apiTokenId: string | null;
  expiresAt: Date;
  /** Set when a browser session was renewed on this request. */
  renewed?: { token: string; expiresAt: Date };
}

export interface AuthDeps {
  db: Db;
  config: Pick<Config, 'auth'>;
  secretKey: string;
}

const INVALID_LOGIN = 'Invalid username or password';

function toApiToken(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}

export function createAuthService(deps: AuthDeps) {
  const { db } = deps;
  const findLiveSession = liveSessionReader(db);
  const findLiveApiToken = liveApiTokenReader(db);
  const keys: AuthKeys = deriveKeys(deps.secretKey);
  const ttlMs = deps.config.auth.accessTokenMinutes * 60_000;
  const maxSessionMs = deps.config.auth.sessionMaxHours * 3_600_000;

  const contextOf = (user: UserRow, rest: Omit<AuthContext, 'user'>): AuthContext => ({
    user: { id: user.id, username: user.username, role: user.role, row: user },
    ...rest,
  });

  return {
    keys,

    async login(
      input: { username: string; password: string },
      client: { ip: string; userAgent: string | null; requestId: string },
    ): Promise<LoginResponse> {
      const gate = await db.transaction((tx) =>
        admitLoginAttempt(tx, {
          ip: client.ip,
          username: input.username,
          limit: deps.config.auth.loginRateLimit,
          windowSeconds: deps.config.auth.loginRateWindowSeconds,
        }),
      );
      if (!gate.admitted) throw errors.rateLimited(gate.retryAfterSeconds);

      const user = await findUserByLogin(db, input.username);
      // Without a user the same hash work is done, so response time does not reveal which names exist.
      const passwordOk = await verifyPassword(
        user?.passwordHash ?? (await dummyPasswordHash()),
        input.password,
      );
      const anonymous: AuditActor = {
        userId: null,
        username: input.username,
        ip: client.ip,
        requestId: client.requestId,
      };
      if (!user || !passwordOk || !user.active) {
        await recordAudit(db, anonymous, {
          action: 'auth.login_failed',
          entityType: 'user',
          entityId: user?.id ?? null,
          summary: {
            username: input.username,
            reason: !user || !passwordOk ? 'bad_credentials' : 'inactive',
          },
        });
        throw errors.unauthorized(INVALID_LOGIN);
      }

      const expiresAt = new Date(Date.now() + ttlMs);
      const session = await db.transaction(async (tx) => {
        const s = await insertSession(tx, {
          userId: user.id,
          expiresAt,
          ip: client.ip,
          userAgent: client.userAgent,
        });
        await touchLastLogin(tx, user.id);
        await markLoginSucceeded(tx, gate.attemptId);
        await recordAudit(
          tx,
          { userId: user.id, username: user.username, ip: client.ip, requestId: client.requestId },
          {
            action: 'auth.login',
            entityType: 'session',
            entityId: s.id,
            summary: { username: user.username },
          },
        );
        return s;
      });
      return {
        accessToken: await signAccessToken(keys.jwt, user.id, session.id, expiresAt),
        tokenType: 'Bearer',
        expiresAt: expiresAt.toISOString(),
        csrfToken: csrfTokenFor(keys, session.id),
        user: toUser({ ...user, lastLoginAt: session.createdAt }),
      };
    },

    /**
     * Resolves a bearer credential (JWT or personal API token) to its live session/token and
     * active user. Undefined when the credential is bad, expired, revoked, or its user inactive.
     * `renew`: browser sessions past half their lifetime get a fresh token (bounded by SESSION_MAX_HOURS).
     */
    async authenticate(credential: string, options: { renew: boolean }): Promise<AuthContext | undefined> {
      if (credential.startsWith(API_TOKEN_PREFIX)) {
        const found = await findLiveApiToken(hashApiToken(credential));
        if (!found) return undefined;
        return contextOf(found.user, {
          method: 'api_token',
          sessionId: null,
          apiTokenId: found.token.id,
          expiresAt: found.token.expiresAt,
        });
      }
      const claims = await verifyAccessToken(keys.jwt, credential);
      if (!claims) return undefined;
      const found = await findLiveSession(claims.sessionId);
      if (!found || found.user.id !== claims.userId) return undefined;
      const ctx = contextOf(found.user, {
        method: 'session',
        sessionId: found.session.id,
        apiTokenId: null,
        expiresAt: found.session.expiresAt,
      });
      const now = Date.now();
      const halfSpent = claims.expiresAt.getTime() - now < ttlMs / 2;
      const cap = found.session.createdAt.getTime() + maxSessionMs;
      if (options.renew && halfSpent && now + ttlMs / 2 < cap) {
        const expiresAt = new Date(Math.min(now + ttlMs, cap));
        await extendSession(db, found.session.id, expiresAt);
        ctx.expiresAt = expiresAt;
        ctx.renewed = {
          token: await signAccessToken(keys.jwt, found.user.id, found.session.id, expiresAt),
          expiresAt,
        };
      }
      return ctx;
    },

    touchApiToken: (id: string) => touchApiToken(db, id),

    me(ctx: AuthContext): Me {
      return {
        ...toUser(ctx.user.row),
        csrfToken: ctx.sessionId ? csrfTokenFor(keys, ctx.sessionId) : '',
        sessionExpiresAt: ctx.expiresAt.toISOString(),
        authMethod: ctx.method,
      };
    },

    async logout(actor: AuditActor, ctx: AuthContext | null): Promise<void> {
      if (!ctx?.sessionId) return;
      const sessionId = ctx.sessionId;
      await db.transaction(async (tx) => {
        if (await revokeSession(tx, sessionId))
          await recordAudit(tx, actor, { action: 'auth.logout', entityType: 'session', entityId: sessionId });
      });
    },

    /** Own password change: the current one is required; every other session of the user ends. */
    async changePassword(
      actor: AuditActor,
      ctx: AuthContext,
      input: { currentPassword: string; newPassword: string },
    ): Promise<void> {
      if (!(await verifyPassword(ctx.user.row.passwordHash, input.currentPassword)))
        throw errors.validation([{ path: 'body.currentPassword', message: 'is not your current password' }]);
      assertPasswordPolicy(input.newPassword, 'body.newPassword');
      if (input.newPassword === input.currentPassword)
        throw errors.validation([
          { path: 'body.newPassword', message: 'must differ from the current password' },
        ]);
      const passwordHash = await hashPassword(input.newPassword);
      await db.transaction(async (tx) => {
        await updateUserRow(tx, ctx.user.id, {
          passwordHash,
          mustChangePassword: false,
          passwordChangedAt: new Date(),
        });
        const ended = await revokeUserSessions(tx, ctx.user.id, ctx.sessionId ?? undefined);
        await recordAudit(tx, actor, {
          action: 'user.change_password',
          entityType: 'user',
          entityId: ctx.user.id,
          summary: { username: ctx.user.username, otherSessionsEnded: ended },
        });
      });
    },

    /** Ends sessions (and optionally API tokens) of a user; used when an admin resets or deactivates them. */
    async revokeCredentials(tx: Tx, userId: string, scope: { apiTokens: boolean }): Promise<void> {
      await revokeUserSessions(tx, userId);
      if (scope.apiTokens) await revokeUserApiTokens(tx, userId);
    },

    async createApiToken(
      actor: AuditActor,
      ctx: AuthContext,
      input: { name: string; expiresInDays: number },
    ): Promise<ApiToken & { token: string }> {
      const { token, hash, prefix } = newApiToken();
      const expiresAt = new Date(Date.now() + input.expiresInDays * 86_400_000);
      const row = await db.transaction(async (tx) => {
        const r = await insertApiToken(tx, {
          userId: ctx.user.id,
          name: input.name,
          tokenHash: hash,
          prefix,
          expiresAt,
        });
        await recordAudit(tx, actor, {
          action: 'api_token.create',
          entityType: 'api_token',
          entityId: r.id,
          summary: { name: r.name, prefix, expiresAt: expiresAt.toISOString() },
        });
        return r;
      });
      return { ...toApiToken(row), token };
    },

    async listApiTokens(ctx: AuthContext): Promise<ApiToken[]> {
      return (await listUserApiTokens(db, ctx.user.id)).map(toApiToken);
    },

    async revokeApiToken(actor: AuditActor, ctx: AuthContext, id: string): Promise<ApiToken> {
      return db.transaction(async (tx) => {
        const row = await revokeApiToken(tx, id, ctx.user.id);
        if (!row) throw errors.notFound('API token', id);
        await recordAudit(tx, actor, {
          action: 'api_token.revoke',
          entityType: 'api_token',
          entityId: id,
          summary: { name: row.name, prefix: row.prefix },
        });
        return toApiToken(row);
      });
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
