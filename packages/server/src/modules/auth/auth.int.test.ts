import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { buildUser, nextIp, PASSWORD, sessionCookieOf, signIn } from '../../../test/factories';
import { ADMIN_PASSWORD, tempDir, testDbKind } from '../../../test/support';
import { buildApp } from '../../app';
import { signAccessToken } from './tokens';

describe(`authentication on ${testDbKind}`, async () => {
  // A window no test can outlive, however loaded the machine: the limit tests move time by backdating
  // the attempts (the window is counted by the database's clock), never by waiting.
  const WINDOW_SECONDS = 3600;
  const { platform, app } = await startTestApp({ LOGIN_RATE_WINDOW_SECONDS: String(WINDOW_SECONDS) });
  const { db } = platform.database;
  const auth = platform.services.auth;

  async function auditActions(entityId: string | null, action?: string) {
    const r = await db.execute<{ action: string; actor_username: string; summary: Record<string, unknown> }>(
      sql`select action, actor_username, summary from audit_logs
          where (${entityId}::text is null or entity_id = ${entityId}) and (${action ?? null}::text is null or action = ${action ?? null})
          order by at`,
    );
    return r.rows;
  }

  describe('login', () => {
    it('signs in the first admin created from ADMIN_PASSWORD', async () => {
      const s = await signIn(app, 'admin', ADMIN_PASSWORD);
      expect(s.user).toMatchObject({ username: 'admin', role: 'admin', active: true });
    });

    it('sets an HttpOnly SameSite=Strict cookie and returns a bearer token that both work', async () => {
      const user = await buildUser(platform, { role: 'red_tech' });
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: user.username.toUpperCase(), password: PASSWORD },
        remoteAddress: nextIp(),
      });
      expect(res.statusCode).toBe(200);
      const cookie = res.cookies.find((c) => c.name === 'aegis_session');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(cookie?.secure).toBeFalsy(); // development; production sets Secure (see below)
      // Its readable companion tells the web app a session exists (it carries nothing to steal).
      const hint = res.cookies.find((c) => c.name === 'aegis_signed_in');
      expect(hint).toMatchObject({ value: '1', sameSite: 'Strict', path: '/', expires: cookie?.expires });
      expect(hint?.httpOnly).toBeFalsy();
      const body = res.json();
      expect(body).toMatchObject({ tokenType: 'Bearer', user: { id: user.id, role: 'red_tech' } });
      expect(new Date(body.expiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);

      const byBearer = await app.inject({
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${body.accessToken}` },
      });
      expect(byBearer.statusCode).toBe(200);
      expect(byBearer.json()).toMatchObject({
        id: user.id,
        authMethod: 'session',
        csrfToken: body.csrfToken,
      });
      const byCookie = await app.inject({
        url: '/api/v1/auth/me',
        headers: { cookie: sessionCookieOf(res) ?? '' },
      });
      expect(byCookie.statusCode).toBe(200);
      expect(byCookie.json().username).toBe(user.username);
      expect((await auditActions(user.id, 'user.create')).length).toBe(1);
      const [login] = await auditActions(null, 'auth.login').then((r) =>
        r.filter((x) => x.actor_username === user.username),
      );
      expect(login).toBeDefined();
    });

    it('accepts the email address as login', async () => {
      const user = await buildUser(platform);
      expect((await signIn(app, user.email)).user.id).toBe(user.id);
    });

    it('refuses a wrong password and an unknown user with the same answer, and audits both', async () => {
      const user = await buildUser(platform);
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: user.username, password: 'Wrong-Passw0rd!' },
        remoteAddress: nextIp(),
      });
      const unknown = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'nobody-here', password: 'Wrong-Passw0rd!' },
        remoteAddress: nextIp(),
      });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json().error.message).toBe('Invalid username or password');
      expect(unknown.json().error.message).toBe(wrong.json().error.message);
      expect(wrong.cookies).toHaveLength(0);
      const failed = await auditActions(user.id, 'auth.login_failed');
      expect(failed).toHaveLength(1);
      expect(failed[0]?.summary).toMatchObject({ username: user.username, reason: 'bad_credentials' });
      const unknownRows = await auditActions(null, 'auth.login_failed');
      expect(unknownRows.some((r) => r.summary.username === 'nobody-here')).toBe(true);
    });

    it('refuses a deactivated user', async () => {
      const user = await buildUser(platform);
      await platform.services.users.update(
        { userId: null, username: 'test', ip: null, requestId: null },
        user.id,
        { active: false },
      );
      await expect(signIn(app, user.username)).rejects.toThrow(/401/);
      const [row] = await auditActions(user.id, 'auth.login_failed');
      expect(row?.summary.reason).toBe('inactive');
    });

    it('names the missing field', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.issues[0].path).toBe('body.password');
    });
  });

  describe('hostile login input', () => {
    it('refuses a NUL in the username with 400 naming it, before any credential check: not counted, not audited', async () => {
      const ip = nextIp();
      for (let i = 0; i < 6; i++) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: `admin\u0000${i}`, password: 'Wrong-Passw0rd!' },
          remoteAddress: ip,
        });
        expect(res.statusCode).toBe(400);
        expect(res.json().error.details.issues).toEqual([
          { path: 'body.username', message: 'must not contain a NUL character (\\u0000)' },
        ]);
      }
      // Like any malformed body (a missing password): no password was tried, so nothing was guessed.
      const counted = await db.execute<{ n: number }>(
        sql`select count(*)::int as n from login_attempts where ip = ${ip}`,
      );
      expect(counted.rows[0]?.n).toBe(0);
      const audited = await db.execute<{ n: number }>(
        sql`select count(*)::int as n from audit_logs where ip = ${ip}`,
      );
      expect(audited.rows[0]?.n).toBe(0);
      expect((await signIn(app, 'admin', ADMIN_PASSWORD, ip)).user.username).toBe('admin');
    });
  });

  describe('login rate limit', () => {
    it('answers the 6th attempt within the window with 429 and Retry-After, and recovers after', async () => {
      const ip = nextIp();
      const attempt = () =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'admin', password: 'Wrong-Passw0rd!' },
          remoteAddress: ip,
        });
      for (let i = 1; i <= 5; i++) expect((await attempt()).statusCode).toBe(401);
      const sixth = await attempt();
      expect(sixth.statusCode).toBe(429);
      expect(sixth.json().error.code).toBe('rate_limited');
      const retryAfter = Number(sixth.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
      // Even correct credentials are refused while limited.
      const limited = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'admin', password: ADMIN_PASSWORD },
        remoteAddress: ip,
      });
      expect(limited.statusCode).toBe(429);
      // Other addresses are not affected.
      expect((await signIn(app, 'admin', ADMIN_PASSWORD, nextIp())).user.username).toBe('admin');
      // The window passes: this address's attempts are now older than it.
      await db.execute(
        sql`update login_attempts set attempted_at = attempted_at - make_interval(secs => ${WINDOW_SECONDS + 1})
            where ip = ${ip}`,
      );
      expect((await signIn(app, 'admin', ADMIN_PASSWORD, ip)).user.username).toBe('admin');
    });

    it('holds under concurrent attempts: exactly 5 of 8 simultaneous attempts get through', async () => {
      const ip = nextIp();
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: 'admin', password: 'Wrong-Passw0rd!' },
            remoteAddress: ip,
          }),
        ),
      );
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes.filter((c) => c === 401)).toHaveLength(5);
      expect(codes.filter((c) => c === 429)).toHaveLength(3);
    });
  });

  describe('sessions', () => {
    it('logout revokes the token for this and every other instance', async () => {
      const user = await buildUser(platform);
      const s = await signIn(app, user.username);
      // A second app: its own process state, the same database (a second platform on PostgreSQL).
      const other =
        testDbKind === 'postgres'
          ? await (async () => {
              const { startTestPlatform } = await import('../../../test/support');
              const p2 = await startTestPlatform({
                DATABASE_URL: platform.config.db.driver === 'postgres' ? platform.config.db.url : '',
                SECRET_KEY: platform.secretKey,
              });
              return buildApp(p2, { webDir: tempDir() });
            })()
          : await buildApp(platform, { webDir: tempDir() });
      await other.ready();
      try {
        expect((await other.inject({ url: '/api/v1/auth/me', headers: s.bearer })).statusCode).toBe(200);
        const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: s.bearer });
        expect(out.statusCode).toBe(204);
        expect(out.cookies.find((c) => c.name === 'aegis_session')?.value).toBe('');
        expect(out.cookies.find((c) => c.name === 'aegis_signed_in')?.value).toBe('');
        expect((await app.inject({ url: '/api/v1/auth/me', headers: s.bearer })).statusCode).toBe(401);
        expect((await other.inject({ url: '/api/v1/auth/me', headers: s.bearer })).statusCode).toBe(401);
        expect(
          (await other.inject({ url: '/api/v1/auth/me', headers: { cookie: s.cookie } })).statusCode,
        ).toBe(401);
        expect(
          await auditActions(null, 'auth.logout').then((r) =>
            r.some((x) => x.actor_username === user.username),
          ),
        ).toBe(true);
      } finally {
        await other.close();
      }
    });

    it('rejects an expired token and a session expired in the database', async () => {
      const user = await buildUser(platform);
      const s = await signIn(app, user.username);
      const me = await app.inject({ url: '/api/v1/auth/me', headers: s.bearer });
      const sessionId =
        (await db.execute<{ id: string }>(sql`select id from sessions where user_id = ${user.id}`)).rows[0]
          ?.id ?? '';
      const past = await signAccessToken(auth.keys.jwt, user.id, sessionId, new Date(Date.now() - 1000));
      expect(me.statusCode).toBe(200);
      const expired = await app.inject({
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${past}` },
      });
      expect(expired.statusCode).toBe(401);
      expect(expired.json().error.message).toMatch(/invalid, expired or revoked/);
      await db.execute(
        sql`update sessions set expires_at = now() - interval '1 second' where id = ${sessionId}`,
      );
      expect((await app.inject({ url: '/api/v1/auth/me', headers: s.bearer })).statusCode).toBe(401);
    });

    it('rejects a token signed with another secret and a malformed header', async () => {
      const user = await buildUser(platform);
      const forged = await signAccessToken(
        new Uint8Array(32).fill(7),
        user.id,
        crypto.randomUUID(),
        new Date(Date.now() + 60_000),
      );
      expect(
        (await app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${forged}` } }))
          .statusCode,
      ).toBe(401);
      const basic = await app.inject({
        url: '/api/v1/auth/me',
        headers: { authorization: 'Basic YWRtaW46eA==' },
      });
      expect(basic.statusCode).toBe(401);
      expect(basic.json().error.message).toMatch(/Bearer/);
      expect((await app.inject({ url: '/api/v1/auth/me' })).statusCode).toBe(401);
    });

    it('renews a browser session past half its lifetime', async () => {
      const user = await buildUser(platform);
      const s = await signIn(app, user.username);
      const sessionId =
        (await db.execute<{ id: string }>(sql`select id from sessions where user_id = ${user.id}`)).rows[0]
          ?.id ?? '';
      const soon = new Date(Date.now() + 60_000);
      const nearlyExpired = await signAccessToken(auth.keys.jwt, user.id, sessionId, soon);
      const res = await app.inject({
        url: '/api/v1/auth/me',
        headers: { cookie: `aegis_session=${nearlyExpired}` },
      });
      expect(res.statusCode).toBe(200);
      const renewed = res.cookies.find((c) => c.name === 'aegis_session');
      expect(renewed?.value).toBeTruthy();
      expect(renewed?.value).not.toBe(nearlyExpired);
      expect(new Date(res.json().sessionExpiresAt).getTime()).toBeGreaterThan(Date.now() + 14 * 60_000);
      // Bearer clients are not renewed.
      const bearer = await app.inject({
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${nearlyExpired}` },
      });
      expect(bearer.cookies).toHaveLength(0);
      expect(s.user.id).toBe(user.id);
    });
  });

  describe('CSRF', () => {
    it('refuses a cookie-authenticated change without the CSRF token, accepts it with, and needs none for bearer', async () => {
      const user = await buildUser(platform);
      const s = await signIn(app, user.username);
      const payload = { name: 'ci', expiresInDays: 7 };
      const noToken = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: { cookie: s.cookie },
        payload,
      });
      expect(noToken.statusCode).toBe(403);
      expect(noToken.json().error.message).toMatch(/x-csrf-token/);
      const wrongToken = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: { cookie: s.cookie, 'x-csrf-token': 'forged' },
        payload,
      });
      expect(wrongToken.statusCode).toBe(403);
      const ok = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: s.browser,
        payload,
      });
      expect(ok.statusCode).toBe(201);
      const bearer = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: s.bearer,
        payload,
      });
      expect(bearer.statusCode).toBe(201);
      // Reads need no token.
      expect(
        (await app.inject({ url: '/api/v1/auth/tokens', headers: { cookie: s.cookie } })).statusCode,
      ).toBe(200);
    });

    it('refuses state-changing requests from a foreign origin', async () => {
      const user = await buildUser(platform);
      const s = await signIn(app, user.username);
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: { ...s.browser, origin: 'https://evil.example' },
        payload: { name: 'x' },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.message).toMatch(/origin https:\/\/evil\.example/);
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: { origin: 'https://evil.example' },
        payload: { username: user.username, password: PASSWORD },
      });
      expect(login.statusCode).toBe(403);
      const sameOrigin = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: { ...s.browser, origin: 'http://localhost:80', host: 'localhost:80' },
        payload: { name: 'x' },
      });
      expect(sameOrigin.statusCode).toBe(201);
    });
  });

  describe('personal API tokens', () => {
    it('lives through create (shown once), use, list, revoke', async () => {
      const user = await buildUser(platform, { role: 'blue_tech' });
      const s = await signIn(app, user.username);
      const created = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: s.bearer,
        payload: { name: 'SIEM sync', expiresInDays: 30 },
      });
      expect(created.statusCode).toBe(201);
      const t = created.json();
      expect(t.token).toMatch(/^aegis_pat_[A-Za-z0-9_-]{43}$/);
      expect(t.token.startsWith(t.prefix)).toBe(true);
      const stored = await db.execute<{ token_hash: string }>(
        sql`select token_hash from api_tokens where id = ${t.id}`,
      );
      expect(stored.rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored.rows[0]?.token_hash).not.toContain(t.token);

      const me = await app.inject({
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${t.token}` },
      });
      expect(me.statusCode).toBe(200);
      expect(me.json()).toMatchObject({ id: user.id, authMethod: 'api_token', role: 'blue_tech' });

      const list = await app.inject({ url: '/api/v1/auth/tokens', headers: s.bearer });
      expect(list.json().items).toHaveLength(1);
      expect(list.json().items[0]).toMatchObject({ id: t.id, name: 'SIEM sync', revokedAt: null });
      expect(list.json().items[0].lastUsedAt).not.toBeNull();
      expect(list.body).not.toContain(t.token);

      const byToken = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: { authorization: `Bearer ${t.token}` },
        payload: { name: 'chained' },
      });
      expect(byToken.statusCode).toBe(403);

      // Another user cannot revoke it.
      const other = await signIn(app, (await buildUser(platform)).username);
      expect(
        (await app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${t.id}`, headers: other.bearer }))
          .statusCode,
      ).toBe(404);

      const revoked = await app.inject({
        method: 'DELETE',
        url: `/api/v1/auth/tokens/${t.id}`,
        headers: s.bearer,
      });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json().revokedAt).not.toBeNull();
      expect(
        (await app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${t.token}` } }))
          .statusCode,
      ).toBe(401);
      const actions = (await auditActions(t.id)).map((r) => r.action);
      expect(actions).toEqual(['api_token.create', 'api_token.revoke']);
    });

    it('stops working when expired or when its user is deactivated', async () => {
      const user = await buildUser(platform);
      const s = await signIn(app, user.username);
      const mk = async () =>
        (
          await app.inject({
            method: 'POST',
            url: '/api/v1/auth/tokens',
            headers: s.bearer,
            payload: { name: 'x' },
          })
        ).json();
      const a = await mk();
      const b = await mk();
      await db.execute(
        sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${a.id}`,
      );
      expect(
        (await app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${a.token}` } }))
          .statusCode,
      ).toBe(401);
      expect(
        (await app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${b.token}` } }))
          .statusCode,
      ).toBe(200);
      const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
      await app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/deactivate`, headers: admin.bearer });
      expect(
        (await app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${b.token}` } }))
          .statusCode,
      ).toBe(401);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: s.bearer })).statusCode).toBe(401);
    });
  });

  describe('change password', () => {
    it('needs the current password and a policy-compliant new one, and ends the other sessions', async () => {
      const user = await buildUser(platform);
      const here = await signIn(app, user.username);
      const elsewhere = await signIn(app, user.username);
      const change = (payload: object) =>
        app.inject({ method: 'POST', url: '/api/v1/auth/change-password', headers: here.bearer, payload });

      const wrongCurrent = await change({ currentPassword: 'Not-Mine-123!', newPassword: 'New-Passw0rd!!' });
      expect(wrongCurrent.statusCode).toBe(400);
      expect(wrongCurrent.json().error.details.issues[0].path).toBe('body.currentPassword');
      const weak = await change({ currentPassword: PASSWORD, newPassword: 'alllowercase-long' });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().error.details.issues[0]).toEqual({
        path: 'body.newPassword',
        message: 'Password needs an upper-case letter, a digit',
      });
      const ok = await change({ currentPassword: PASSWORD, newPassword: 'New-Passw0rd!!' });
      expect(ok.statusCode).toBe(204);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: here.bearer })).statusCode).toBe(200);
      expect((await app.inject({ url: '/api/v1/auth/me', headers: elsewhere.bearer })).statusCode).toBe(401);
      await expect(signIn(app, user.username, PASSWORD)).rejects.toThrow(/401/);
      expect((await signIn(app, user.username, 'New-Passw0rd!!')).user.id).toBe(user.id);
      expect((await auditActions(user.id, 'user.change_password'))[0]?.summary).toMatchObject({
        otherSessionsEnded: 1,
      });
    });
  });

  describe('HTTP hardening', () => {
    it('sends security headers with a CSP the web app satisfies', async () => {
      const res = await app.inject({ url: '/api/v1/health' });
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['strict-transport-security']).toBeUndefined(); // development: plain HTTP
    });

    it('treats search input as data, not SQL', async () => {
      const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
      const res = await app.inject({
        url: `/api/v1/users?q=${encodeURIComponent("%' or 1=1; drop table users; --")}`,
        headers: admin.bearer,
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().total).toBe(0);
      const wildcard = await app.inject({ url: '/api/v1/users?q=%25', headers: admin.bearer });
      expect(wildcard.json().total).toBe(0); // a literal %, which no username contains
    });
  });
});

describe('authentication in production mode', async () => {
  const { app } = await startTestApp({
    AEGIS_ENV: 'production',
    SECRET_KEY: 'f3b1c9e27a4d8b60c5e9f1a2d3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6',
    CORS_ORIGINS: 'https://aegis.example.com',
  });

  it('marks the cookie Secure and sends HSTS', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
      remoteAddress: nextIp(),
    });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'aegis_session')?.secure).toBe(true);
    expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
  });

  it('allows CORS only from the configured origins', async () => {
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/v1/auth/me',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
    const allowed = await preflight('https://aegis.example.com');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://aegis.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const denied = await preflight('https://evil.example');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });
});
