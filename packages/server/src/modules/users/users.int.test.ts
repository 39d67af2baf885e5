import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { buildUser, PASSWORD, signedInAs, signIn } from '../../../test/factories';
import { ADMIN_PASSWORD, testDbKind } from '../../../test/support';

describe(`users API on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const { db } = platform.database;
  const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  const as = admin.bearer;

  const auditOf = async (entityId: string) =>
    (
      await db.execute<{
        action: string;
        actor_username: string;
        summary: Record<string, unknown>;
        ip: string;
        request_id: string;
      }>(
        sql`select action, actor_username, summary, ip, request_id from audit_logs where entity_id = ${entityId} order by at, id`,
      )
    ).rows;

  const create = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/v1/users', headers: as, payload });

  it('creates a user and audits it with actor, address and request id', async () => {
    const res = await create({
      username: 'Red.Operator',
      email: 'Red.Operator@Example.test',
      displayName: 'Red Operator',
      role: 'red_tech',
      password: PASSWORD,
    });
    expect(res.statusCode).toBe(201);
    const user = res.json();
    expect(user).toMatchObject({
      username: 'red.operator',
      email: 'red.operator@example.test',
      role: 'red_tech',
      active: true,
      mustChangePassword: false,
      lastLoginAt: null,
    });
    expect(JSON.stringify(user)).not.toMatch(/password_?hash|argon/i);
    const [row] = await auditOf(user.id);
    expect(row).toMatchObject({
      action: 'user.create',
      actor_username: 'admin',
      summary: { username: 'red.operator', role: 'red_tech' },
      request_id: res.headers['x-request-id'],
    });
    expect(row?.ip).toBeTruthy();
    expect(JSON.stringify(row?.summary)).not.toContain(PASSWORD);
  });

  it.each([
    ['length', 'Sh0rt!', 'at least 12 characters'],
    ['upper', 'lower-case-only-1', 'an upper-case letter'],
    ['lower', 'UPPER-CASE-ONLY-1', 'a lower-case letter'],
    ['digit', 'No-Digits-At-All', 'a digit'],
    ['special', 'NoSpecials12345', 'a special character'],
  ])('refuses a password breaking the %s rule with a 400 saying so', async (_rule, password, words) => {
    const res = await create({
      username: `weak-${_rule}`,
      email: `weak-${_rule}@x.test`,
      displayName: 'W',
      role: 'viewer',
      password,
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('validation_error');
    expect(error.details.issues).toEqual([
      { path: 'body.password', message: expect.stringContaining(words) },
    ]);
    expect(error.message).toContain(words);
  });

  it('names each invalid field', async () => {
    const res = await create({
      username: 'x',
      email: 'not-an-email',
      displayName: '',
      role: 'wizard',
      password: PASSWORD,
    });
    expect(res.statusCode).toBe(400);
    const paths = res
      .json()
      .error.details.issues.map((i: { path: string }) => i.path)
      .sort();
    expect(paths).toEqual(['body.displayName', 'body.email', 'body.role', 'body.username']);
  });

  it('refuses a duplicate username or email with 409 naming the field, and writes no audit row', async () => {
    const existing = await buildUser(platform);
    const before = (await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_logs`)).rows[0]
      ?.n;
    const dupName = await create({
      username: existing.username,
      email: 'fresh@x.test',
      displayName: 'D',
      role: 'viewer',
      password: PASSWORD,
    });
    expect(dupName.statusCode).toBe(409);
    expect(dupName.json().error.details).toEqual({ field: 'body.username' });
    const dupEmail = await create({
      username: 'fresh-name',
      email: existing.email.toUpperCase(),
      displayName: 'D',
      role: 'viewer',
      password: PASSWORD,
    });
    expect(dupEmail.statusCode).toBe(409);
    expect(dupEmail.json().error.details).toEqual({ field: 'body.email' });
    const after = (await db.execute<{ n: number }>(sql`select count(*)::int as n from audit_logs`)).rows[0]
      ?.n;
    expect(after).toBe(before);
  });

  it('lists with filters, search, sorting and pagination', async () => {
    const tag = `lst${Date.now().toString(36)}`;
    for (const [i, role] of (['blue_tech', 'blue_tech', 'red_lead'] as const).entries())
      await buildUser(platform, {
        username: `${tag}-${i}`,
        email: `${tag}-${i}@x.test`,
        displayName: `${tag} ${i}`,
        role,
      });
    const page = await app.inject({
      url: `/api/v1/users?q=${tag}&sort=username&order=desc&limit=2`,
      headers: as,
    });
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.json().items.map((u: { username: string }) => u.username)).toEqual([`${tag}-2`, `${tag}-1`]);
    const next = await app.inject({
      url: `/api/v1/users?q=${tag}&sort=username&order=desc&limit=2&offset=2`,
      headers: as,
    });
    expect(next.json().items.map((u: { username: string }) => u.username)).toEqual([`${tag}-0`]);
    const blue = await app.inject({ url: `/api/v1/users?q=${tag}&role=blue_tech`, headers: as });
    expect(blue.json().total).toBe(2);
    const bad = await app.inject({ url: '/api/v1/users?limit=0&role=king', headers: as });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['query.limit', 'query.role']);
  });

  it('updates profile and role, auditing what changed; the new role applies on the next request', async () => {
    const user = await buildUser(platform, { role: 'viewer' });
    const s = await signIn(app, user.username);
    expect((await app.inject({ url: '/api/v1/users', headers: s.bearer })).statusCode).toBe(403);
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: as,
      payload: { role: 'admin', displayName: 'Promoted' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ role: 'admin', displayName: 'Promoted' });
    expect((await app.inject({ url: '/api/v1/users', headers: s.bearer })).statusCode).toBe(200);
    const rows = await auditOf(user.id);
    expect(rows.at(-1)).toMatchObject({
      action: 'user.update',
      summary: {
        changes: {
          role: { from: 'viewer', to: 'admin' },
          displayName: { from: user.displayName, to: 'Promoted' },
        },
      },
    });
    const empty = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: as,
      payload: {},
    });
    expect(empty.statusCode).toBe(400);
  });

  it('deactivates a user, ending their sessions', async () => {
    const user = await buildUser(platform, { role: 'blue_lead' });
    const s = await signIn(app, user.username);
    const res = await app.inject({ method: 'POST', url: `/api/v1/users/${user.id}/deactivate`, headers: as });
    expect(res.statusCode).toBe(200);
    expect(res.json().active).toBe(false);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: s.bearer })).statusCode).toBe(401);
    expect((await auditOf(user.id)).at(-1)?.action).toBe('user.deactivate');
    const inactive = await app.inject({ url: '/api/v1/users?active=false', headers: as });
    expect(inactive.json().items.map((u: { id: string }) => u.id)).toContain(user.id);
  });

  it('resets a password: old sessions end, the new password works, the user must change it', async () => {
    const user = await buildUser(platform);
    const s = await signIn(app, user.username);
    const weak = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${user.id}/reset-password`,
      headers: as,
      payload: { password: 'weak' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details.issues[0].path).toBe('body.password');
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${user.id}/reset-password`,
      headers: as,
      payload: { password: 'Fresh-Start-2026!' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().mustChangePassword).toBe(true);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: s.bearer })).statusCode).toBe(401);
    expect((await signIn(app, user.username, 'Fresh-Start-2026!')).user.mustChangePassword).toBe(true);
    expect((await auditOf(user.id)).map((r) => r.action)).toContain('user.reset_password');
  });

  it('answers 404 for an unknown user and 400 for a malformed id', async () => {
    const missing = await app.inject({ url: `/api/v1/users/${crypto.randomUUID()}`, headers: as });
    expect(missing.statusCode).toBe(404);
    const malformed = await app.inject({ url: '/api/v1/users/not-a-uuid', headers: as });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.details.issues[0].path).toBe('params.id');
  });
});

describe(`last-admin protection on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const admin = await signIn(app, 'admin', ADMIN_PASSWORD);

  it('refuses to demote or deactivate the last active admin', async () => {
    const demote = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.user.id}`,
      headers: admin.bearer,
      payload: { role: 'viewer' },
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error).toMatchObject({ code: 'conflict', details: { field: 'body.role' } });
    const deactivate = await app.inject({
      method: 'POST',
      url: `/api/v1/users/${admin.user.id}/deactivate`,
      headers: admin.bearer,
    });
    expect(deactivate.statusCode).toBe(409);
    expect(deactivate.json().error.details).toEqual({ field: 'body.active' });
    // Other changes to the last admin are fine.
    const rename = await app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.user.id}`,
      headers: admin.bearer,
      payload: { displayName: 'Root' },
    });
    expect(rename.statusCode).toBe(200);
  });

  it('allows it once another admin exists, and never lets two admins demote each other at once', async () => {
    const second = await signedInAs(platform, app, 'admin');
    const results = await Promise.all([
      app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${second.user.id}`,
        headers: admin.bearer,
        payload: { role: 'viewer' },
      }),
      app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${admin.user.id}`,
        headers: second.bearer,
        payload: { role: 'viewer' },
      }),
    ]);
    const codes = results.map((r) => r.statusCode).sort();
    // One wins. The other is refused as the last admin (409) or, if it arrives after the winner
    // committed, because its caller is no longer an admin (403).
    expect(codes[0]).toBe(200);
    expect([403, 409]).toContain(codes[1]);
    const admins = await app.inject({
      url: '/api/v1/users?role=admin&active=true',
      headers: results[0]?.statusCode === 200 ? admin.bearer : second.bearer,
    });
    expect(admins.json().total).toBe(1);
  });
});
