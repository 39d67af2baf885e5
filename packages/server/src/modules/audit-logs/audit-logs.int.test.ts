import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { buildUser, signIn } from '../../../test/factories';
import { ADMIN_PASSWORD, testDbKind } from '../../../test/support';

describe(`audit log API on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();
  const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  const user = await buildUser(platform, { role: 'red_lead' });
  await app.inject({
    method: 'PATCH',
    url: `/api/v1/users/${user.id}`,
    headers: admin.bearer,
    payload: { displayName: 'Renamed' },
  });
  await app.inject({
    method: 'PATCH',
    url: `/api/v1/users/${user.id}`,
    headers: admin.bearer,
    payload: { role: 'blue_lead' },
  });

  it('lists newest first with filters by entity, action and actor', async () => {
    const res = await app.inject({
      url: `/api/v1/audit-logs?entityType=user&entityId=${user.id}`,
      headers: admin.bearer,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(3);
    expect(body.items.map((i: { action: string }) => i.action)).toEqual([
      'user.update',
      'user.update',
      'user.create',
    ]);
    expect(body.items[0]).toMatchObject({
      actorId: admin.user.id,
      actorUsername: 'admin',
      entityType: 'user',
      entityId: user.id,
    });
    const byAction = await app.inject({
      url: `/api/v1/audit-logs?action=user.create&entityId=${user.id}`,
      headers: admin.bearer,
    });
    expect(byAction.json().total).toBe(1);
    const byActor = await app.inject({
      url: `/api/v1/audit-logs?actorId=${admin.user.id}&action=user.update`,
      headers: admin.bearer,
    });
    expect(byActor.json().total).toBe(2);
  });

  it('names each row’s entity and actor by their current names (one query per entity type)', async () => {
    const res = await app.inject({ url: `/api/v1/audit-logs?entityId=${user.id}`, headers: admin.bearer });
    const items = res.json().items as Array<{
      action: string;
      entityLabel: string | null;
      actorName: string | null;
    }>;
    // The rename is read now: every row about the user shows the new name.
    expect(items.map((i) => i.entityLabel)).toEqual(['Renamed', 'Renamed', 'Renamed']);
    expect(items[0]?.actorName).toBe(admin.user.displayName);
    // Created from the CLI: no user acted.
    expect(items.at(-1)?.actorName).toBeNull();
    const failed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody-here', password: 'x' },
    });
    expect(failed.statusCode).toBe(401);
    const anonymous = await app.inject({
      url: '/api/v1/audit-logs?action=auth.login_failed',
      headers: admin.bearer,
    });
    expect(anonymous.json().items[0]).toMatchObject({ entityId: null, entityLabel: null, actorName: null });
  });

  it('paginates and filters by time', async () => {
    const first = await app.inject({
      url: `/api/v1/audit-logs?entityId=${user.id}&limit=1&offset=1`,
      headers: admin.bearer,
    });
    expect(first.json()).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(first.json().items).toHaveLength(1);
    const future = await app.inject({
      url: `/api/v1/audit-logs?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
      headers: admin.bearer,
    });
    expect(future.json().total).toBe(0);
    const bad = await app.inject({ url: '/api/v1/audit-logs?from=yesterday', headers: admin.bearer });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues[0].path).toBe('query.from');
  });

  it('is for admins only', async () => {
    const s = await signIn(app, user.username);
    expect((await app.inject({ url: '/api/v1/audit-logs', headers: s.bearer })).statusCode).toBe(403);
  });
});
