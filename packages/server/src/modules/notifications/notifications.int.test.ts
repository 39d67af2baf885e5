import type { Notification, NotificationStreamEvent } from '@aegis/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { buildUser, type Session, signIn } from '../../../test/factories';
import { silentLogger, startTestPlatform, tempDir, testDbKind, waitFor } from '../../../test/support';
import { buildApp } from '../../app';
import type { Platform } from '../../platform';
import { CLI_ACTOR } from '../audit-logs';
import { notificationJobs } from './notifications.jobs';
import { notificationRoutes } from './notifications.routes';
import { createNotificationsService, type NotificationsService } from './notifications.service';

interface StreamEvent {
  event: string;
  data: unknown;
}

/** A real HTTP Server-Sent Events client: parses `event:`/`data:` blocks and `:` comments as they arrive. */
async function openStream(url: string, headers: Record<string, string>) {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: StreamEvent[] = [];
  const comments: string[] = [];
  let ended = false;
  if (res.body && res.status === 200) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    void (async () => {
      for (;;) {
        const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
        if (chunk.done || !chunk.value) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          let event = 'message';
          let data: string | undefined;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line);
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data = line.slice(6);
          }
          if (data !== undefined) events.push({ event, data: JSON.parse(data) });
        }
      }
      ended = true;
    })();
  }
  const notifications = () =>
    events.filter((e) => e.event === 'notification').map((e) => e.data as NotificationStreamEvent);
  return {
    res,
    events,
    comments,
    notifications,
    ended: () => ended,
    /** Resolves with the first event matching `match`, failing after `timeoutMs`. */
    next: (match: (e: StreamEvent) => boolean, timeoutMs = 5_000) =>
      waitFor(async () => events.find(match), { timeoutMs, intervalMs: 2, what: 'a stream event' }),
    close: () => abort.abort(),
  };
}

const isNotification = (title: string) => (e: StreamEvent) =>
  e.event === 'notification' && (e.data as NotificationStreamEvent).notification.title === title;

async function startApp(platform: Platform, service: NotificationsService) {
  const app = await buildApp(platform, { webDir: tempDir() });
  if (!app.hasRoute({ method: 'GET', url: '/api/v1/notifications' }))
    await app.register(notificationRoutes(service), { prefix: '/api/v1' });
  // A second copy backed by this file's own service, with a fast ping: for what needs the service's
  // internals (subscriptions) whichever service app.ts wires into the real routes. Outside /api/v1, so its
  // operationIds do not collide with the real routes' (each is unique in the API's document).
  await app.register(notificationRoutes(service, { pingIntervalMs: 100 }), { prefix: '/own' });
  await app.ready();
  return app;
}

describe(`notifications on ${testDbKind}`, async () => {
  const platform = await startTestPlatform();
  const { db } = platform.database;
  const service = createNotificationsService({
    database: platform.database,
    logger: silentLogger,
    reconnect: { minDelayMs: 20, maxDelayMs: 200 },
  });
  await service.start();
  afterAll(() => service.stop());
  const app = await startApp(platform, service);
  afterAll(() => app.close());
  const base = await app.listen({ port: 0, host: '127.0.0.1' });

  const newUser = async (): Promise<Session> => {
    const user = await buildUser(platform);
    return signIn(app, user.username, user.password);
  };
  const stream = (s: Pick<Session, 'bearer'> | { headers: Record<string, string> }, path = '/api/v1') =>
    openStream(`${base}${path}/notifications/stream`, 'bearer' in s ? s.bearer : s.headers);
  const rowsOf = async (userId: string) =>
    (
      await db.execute<{ title: string; body: string; entity_type: string | null; read_at: Date | null }>(
        sql`select title, body, entity_type, read_at from notifications where user_id = ${userId} order by title`,
      )
    ).rows;
  const get = (s: Session, url: string) => app.inject({ method: 'GET', url, headers: s.bearer });
  const post = (s: Session, url: string) => app.inject({ method: 'POST', url, headers: s.bearer });

  it('notify inserts one row per recipient inside the caller’s transaction', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await db.transaction(async (tx) => {
      await service.notify(
        tx,
        {
          userIds: [a.user.id, b.user.id, a.user.id],
          kind: 'test.transition',
          title: 'T1059 moved to review',
          body: 'by alice',
          entityType: 'test_case',
          entityId: 'tc-1',
        },
        { userIds: [b.user.id], kind: 'test.vote', title: 'vote needed' },
      );
      // Not visible outside the transaction before it commits (PGlite has one connection: it would wait).
      if (testDbKind === 'postgres')
        expect(
          (await db.execute(sql`select 1 from notifications where user_id = ${b.user.id}`)).rows,
        ).toEqual([]);
    });
    expect(await rowsOf(a.user.id)).toEqual([
      { title: 'T1059 moved to review', body: 'by alice', entity_type: 'test_case', read_at: null },
    ]);
    expect((await rowsOf(b.user.id)).map((r) => [r.title, r.body, r.entity_type])).toEqual([
      ['T1059 moved to review', 'by alice', 'test_case'],
      ['vote needed', '', null],
    ]);
    await service.notify(db);
    await service.notify(db, { userIds: [], kind: 'x.y', title: 'nobody' });
    expect(await rowsOf(a.user.id)).toHaveLength(1);
  });

  it('notify by role tells every active user of the roles once (named too or not), none of those excepted', async () => {
    const lead = (await buildUser(platform, { role: 'blue_lead' })).id;
    const named = (await buildUser(platform, { role: 'blue_lead' })).id;
    const excepted = (await buildUser(platform, { role: 'red_lead' })).id;
    const gone = (await buildUser(platform, { role: 'red_lead' })).id;
    await platform.services.users.update(CLI_ACTOR, gone, { active: false });
    const outsider = (await buildUser(platform, { role: 'viewer' })).id;
    await service.notify(db, {
      userIds: [named, outsider],
      roles: ['blue_lead', 'red_lead'],
      exceptUserIds: [excepted],
      kind: 'test.vote',
      title: 'by role',
    });
    const told = await db.execute<{ user_id: string }>(
      sql`select user_id from notifications where title = 'by role'`,
    );
    const leads = await db.execute<{ id: string }>(
      sql`select id from users where active and role in ('blue_lead', 'red_lead') and id <> ${excepted}`,
    );
    const expected = [...leads.rows.map((u) => u.id), outsider].sort();
    expect(told.rows.map((r) => r.user_id).sort()).toEqual(expected);
    expect(expected).toEqual(expect.arrayContaining([lead, named]));
    expect(expected).not.toContain(gone);
  });

  it('resolve marks one entity’s open notifications of some kinds done, in one statement, and tells open streams', async () => {
    const [a, b, c] = [await newUser(), await newUser(), await newUser()];
    const entity = { entityType: 'test_case', entityId: `tc-${a.user.id}` };
    const ask = (kind: string, title: string, userIds = [a.user.id, b.user.id, c.user.id]) => ({
      userIds,
      kind,
      title,
      ...entity,
    });
    await service.notify(
      db,
      ask('test.transition', 'now in review'),
      ask('test.vote', 'your vote'),
      ask('test.other', 'keep'),
    );
    await service.notify(db, { ...ask('test.vote', 'elsewhere'), entityId: 'tc-other' });
    const sa = await stream(a);
    const sb = await stream(b);
    expect((await sa.next((e) => e.event === 'ready')).data).toEqual({ unreadCount: 4 });
    await sb.next((e) => e.event === 'ready');

    // A rolled-back resolve changes nothing and says nothing.
    await expect(
      db.transaction(async (tx) => {
        await service.resolve(tx, { ...entity, kinds: ['test.vote'], reason: 'rolled back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    // Only a's and b's, only these kinds, only this entity; c is excepted.
    const n = await db.transaction((tx) =>
      service.resolve(tx, {
        ...entity,
        kinds: ['test.transition', 'test.vote'],
        userIds: [a.user.id, b.user.id, c.user.id],
        exceptUserIds: [c.user.id],
        reason: 'vote cast by bob',
      }),
    );
    expect(n).toBe(4);
    expect((await sa.next((e) => e.event === 'resolved')).data).toEqual({ unreadCount: 2 });
    expect((await sb.next((e) => e.event === 'resolved')).data).toEqual({ unreadCount: 2 });
    expect(sa.events.filter((e) => e.event === 'resolved')).toHaveLength(1);
    // Resolving again finds nothing open: the first reason stays.
    const ab = [a.user.id, b.user.id];
    expect(await service.resolve(db, { ...entity, kinds: ['test.vote'], userIds: ab, reason: 'again' })).toBe(
      0,
    );
    expect(await service.resolve(db, { ...entity, kinds: [], reason: 'nothing' })).toBe(0);
    expect(
      await service.resolve(db, { ...entity, kinds: ['test.vote'], userIds: [], reason: 'nobody' }),
    ).toBe(0);

    const list = (await get(a, '/api/v1/notifications')).json().items as Notification[];
    // One notify statement gives its rows one creation time: compared in title order.
    const byTitle = (xs: Notification[]) => [...xs].sort((x, y) => x.title.localeCompare(y.title));
    expect(byTitle(list).map((x) => [x.title, x.resolvedReason, Boolean(x.resolvedAt)])).toEqual([
      ['elsewhere', null, false],
      ['keep', null, false],
      ['now in review', 'vote cast by bob', true],
      ['your vote', 'vote cast by bob', true],
    ]);
    const open = (await get(a, '/api/v1/notifications?unreadOnly=true')).json();
    expect(byTitle(open.items).map((x) => x.title)).toEqual(['elsewhere', 'keep']);
    expect((await get(a, '/api/v1/notifications/unread-count')).json()).toEqual({ count: 2 });
    expect((await get(c, '/api/v1/notifications/unread-count')).json()).toEqual({ count: 4 });
    sa.close();
    sb.close();
  });

  it('a rolled-back transaction leaves no rows and sends no live event', async () => {
    const a = await newUser();
    const seen: string[] = [];
    const unsubscribe = service.subscribe(a.user.id, (e) => {
      if (e.type === 'notification') seen.push(e.notification.title);
    });
    const sse = await stream(a);
    await sse.next((e) => e.event === 'ready');
    await expect(
      db.transaction(async (tx) => {
        await service.notify(tx, { userIds: [a.user.id], kind: 'test.vote', title: 'rolled back' });
        throw new Error('abort the change');
      }),
    ).rejects.toThrow('abort the change');
    // A stray payload on the channel is ignored without disturbing what follows.
    await db.execute(sql`select pg_notify('aegis_notifications', 'not json')`);
    await db.execute(sql`select pg_notify('aegis_notifications', '{"ids": ["not-a-uuid"]}')`);
    await service.notify(db, { userIds: [a.user.id], kind: 'test.vote', title: 'committed' });
    // Events are delivered in commit order, so once the later one is here the earlier would have been.
    await sse.next(isNotification('committed'));
    await waitFor(async () => seen.length > 0);
    expect(seen).toEqual(['committed']);
    expect(sse.notifications().map((n) => n.notification.title)).toEqual(['committed']);
    expect((await rowsOf(a.user.id)).map((r) => r.title)).toEqual(['committed']);
    unsubscribe();
    sse.close();
  });

  it('lists my notifications newest first, unread only, paginated, with the unread count', async () => {
    const [a, b] = [await newUser(), await newUser()];
    for (let i = 1; i <= 5; i++)
      await service.notify(db, { userIds: [a.user.id], kind: 'test.vote', title: `n${i}` });
    await service.notify(db, { userIds: [b.user.id], kind: 'test.vote', title: 'for b' });
    await db.execute(
      sql`update notifications set read_at = now() where user_id = ${a.user.id} and title in ('n1', 'n2')`,
    );
    // One second apart, n5 newest: back-to-back inserts can share a timestamp (PGlite's clock is
    // coarse), and the id that breaks such ties is random.
    await db.execute(
      sql`update notifications set created_at = now() - make_interval(secs => 10 - substr(title, 2)::int)
           where user_id = ${a.user.id}`,
    );

    const all = await get(a, '/api/v1/notifications');
    expect(all.statusCode).toBe(200);
    expect(all.json()).toMatchObject({ total: 5, limit: 50, offset: 0 });
    const items = all.json().items as Notification[];
    expect(items.map((n) => n.title)).toEqual(['n5', 'n4', 'n3', 'n2', 'n1']);
    expect(items[0]).toEqual({
      id: expect.any(String),
      kind: 'test.vote',
      title: 'n5',
      body: '',
      entityType: null,
      entityId: null,
      readAt: null,
      resolvedAt: null,
      resolvedReason: null,
      createdAt: expect.any(String),
    });
    expect(items[4]?.readAt).toEqual(expect.any(String));

    const unread = (await get(a, '/api/v1/notifications?unreadOnly=true')).json();
    expect(unread.total).toBe(3);
    expect(unread.items.map((n: Notification) => n.title)).toEqual(['n5', 'n4', 'n3']);
    expect((await get(a, '/api/v1/notifications?unreadOnly=false')).json().total).toBe(5);

    const page = (await get(a, '/api/v1/notifications?limit=2&offset=2')).json();
    expect(page).toMatchObject({ total: 5, limit: 2, offset: 2 });
    expect(page.items.map((n: Notification) => n.title)).toEqual(['n3', 'n2']);

    expect((await get(a, '/api/v1/notifications/unread-count')).json()).toEqual({ count: 3 });
    expect((await get(b, '/api/v1/notifications/unread-count')).json()).toEqual({ count: 1 });
    const bad = await get(a, '/api/v1/notifications?unreadOnly=yes&limit=0');
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['query.limit', 'query.unreadOnly']);
  });

  it('marks one of my notifications read, and answers 404 for anyone else’s', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await service.notify(db, { userIds: [a.user.id], kind: 'test.vote', title: 'mine' });
    const [mine] = (await get(a, '/api/v1/notifications')).json().items as Notification[];
    if (!mine) throw new Error('no notification');

    const stranger = await post(b, `/api/v1/notifications/${mine.id}/read`);
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().error.code).toBe('not_found');
    expect((await rowsOf(a.user.id))[0]?.read_at).toBeNull();
    expect((await post(a, `/api/v1/notifications/${crypto.randomUUID()}/read`)).statusCode).toBe(404);
    expect((await post(a, '/api/v1/notifications/not-an-id/read')).statusCode).toBe(400);

    const read = await post(a, `/api/v1/notifications/${mine.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ id: mine.id, title: 'mine', readAt: expect.any(String) });
    // Reading again keeps the first read time.
    const again = await post(a, `/api/v1/notifications/${mine.id}/read`);
    expect(again.json().readAt).toBe(read.json().readAt);
    expect((await get(a, '/api/v1/notifications/unread-count')).json()).toEqual({ count: 0 });
  });

  it('marks all my notifications read, and only mine', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await service.notify(
      db,
      { userIds: [a.user.id, b.user.id], kind: 'test.vote', title: 'one' },
      { userIds: [a.user.id], kind: 'test.vote', title: 'two' },
    );
    const res = await post(a, '/api/v1/notifications/read-all');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ updated: 2 });
    expect((await post(a, '/api/v1/notifications/read-all')).json()).toEqual({ updated: 0 });
    expect((await get(a, '/api/v1/notifications/unread-count')).json()).toEqual({ count: 0 });
    expect((await get(b, '/api/v1/notifications/unread-count')).json()).toEqual({ count: 1 });
  });

  it('the cleanup job deletes read notifications older than the retention, and nothing unread', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await service.notify(
      db,
      { userIds: [a.user.id, b.user.id], kind: 'test.vote', title: 'read long ago' },
      { userIds: [a.user.id], kind: 'test.vote', title: 'read recently' },
      { userIds: [a.user.id], kind: 'test.vote', title: 'old but unread' },
      {
        userIds: [a.user.id],
        kind: 'test.vote',
        title: 'resolved long ago',
        entityType: 't',
        entityId: a.user.id,
      },
    );
    const ids = [a.user.id, b.user.id];
    // Unread, but resolved by someone's action 31 days ago: it needs nobody, it expires too.
    await service.resolve(db, { entityType: 't', entityId: a.user.id, kinds: ['test.vote'], reason: 'done' });
    await db.execute(sql`update notifications set resolved_at = now() - interval '31 days'
      where title = 'resolved long ago' and user_id = ${a.user.id}`);
    const age = (title: string, readDaysAgo: number | null) =>
      db.execute(sql`update notifications set created_at = now() - interval '90 days',
        read_at = case when ${readDaysAgo}::int is null then null else now() - make_interval(days => ${readDaysAgo}::int) end
        where title = ${title} and user_id in (${sql.join(ids, sql`, `)})`);
    await age('read long ago', 31);
    await age('read recently', 29);
    await age('old but unread', null);

    const [job] = notificationJobs({ service, retentionDays: 30 });
    expect(job).toMatchObject({ name: 'notifications.cleanup', schedule: expect.any(String) });
    await job?.run({}, { jobId: 'test', logger: silentLogger, signal: new AbortController().signal });
    expect((await rowsOf(a.user.id)).map((r) => r.title)).toEqual(['old but unread', 'read recently']);
    expect(await rowsOf(b.user.id)).toEqual([]);
    expect(await service.deleteReadOlderThan(30)).toBe(0);
    await expect(service.deleteReadOlderThan(-1)).rejects.toThrow(RangeError);
    expect(notificationJobs({ service })[0]?.description).toMatch(/30 days/);
  });

  it('streams ready, then each new notification live to its user only', async () => {
    const [a, b] = [await newUser(), await newUser()];
    await service.notify(db, { userIds: [a.user.id], kind: 'test.vote', title: 'before' });
    const [sa, sb] = [await stream(a), await stream(b)];
    expect(sa.res.status).toBe(200);
    expect(sa.res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(sa.res.headers.get('cache-control')).toBe('no-cache');
    expect(sa.res.headers.get('x-accel-buffering')).toBe('no');
    // Headers set by hooks survive the hijacked reply.
    expect(sa.res.headers.get('x-request-id')).toBeTruthy();
    expect(sa.res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(sa.res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");

    expect((await sa.next((e) => e.event === 'ready')).data).toEqual({ unreadCount: 1 });
    expect((await sb.next((e) => e.event === 'ready')).data).toEqual({ unreadCount: 0 });

    await db.transaction(async (tx) => {
      await service.notify(tx, {
        userIds: [a.user.id],
        kind: 'test.transition',
        title: 'live for a',
        entityType: 'test_case',
        entityId: 'tc-9',
      });
    });
    const got = await sa.next(isNotification('live for a'), 5_000);
    expect(got.data).toEqual({
      notification: expect.objectContaining({ title: 'live for a', entityId: 'tc-9', readAt: null }),
      unreadCount: 2,
    });

    await service.notify(db, { userIds: [b.user.id], kind: 'test.vote', title: 'live for b' });
    await sb.next(isNotification('live for b'));
    expect(sb.notifications().map((n) => n.notification.title)).toEqual(['live for b']);
    expect(sa.notifications().map((n) => n.notification.title)).toEqual(['live for a']);
    sa.close();
    sb.close();
  });

  it('streams with the browser session cookie, and refuses anonymous callers', async () => {
    const a = await newUser();
    const s = await stream({ headers: { cookie: a.cookie } });
    expect(s.res.status).toBe(200);
    await s.next((e) => e.event === 'ready');
    await service.notify(db, { userIds: [a.user.id], kind: 'test.vote', title: 'by cookie' });
    await s.next(isNotification('by cookie'));
    s.close();

    const anonymous = await fetch(`${base}/api/v1/notifications/stream`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    // The guard answers before the handler, so in-process requests (the role matrix) get their 401 too.
    expect((await app.inject({ url: '/api/v1/notifications/stream' })).statusCode).toBe(401);
    const badToken = await fetch(`${base}/api/v1/notifications/stream`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(badToken.status).toBe(401);
    await badToken.body?.cancel();
  });

  it('pings idle streams and unsubscribes when the client goes away', async () => {
    const a = await newUser();
    const before = service.subscriberCount();
    const s = await stream(a, '/own');
    await s.next((e) => e.event === 'ready');
    expect(service.subscriberCount()).toBe(before + 1);
    await waitFor(async () => s.comments.length >= 2, { timeoutMs: 2_000, what: 'two pings' });
    expect(s.comments[0]).toBe(': ping');
    s.close();
    await waitFor(async () => service.subscriberCount() === before, {
      timeoutMs: 2_000,
      what: 'unsubscribe',
    });
  });

  it('ends open streams when the app closes, so shutdown does not wait for clients', async () => {
    const other = await startApp(platform, service);
    const otherBase = await other.listen({ port: 0, host: '127.0.0.1' });
    const a = await newUser();
    const before = service.subscriberCount();
    const s = await openStream(`${otherBase}/own/notifications/stream`, a.bearer);
    await s.next((e) => e.event === 'ready');
    // Were the streams left open, close() would wait for the clients and the test would hang.
    await other.close();
    await waitFor(async () => s.ended(), { timeoutMs: 2_000, what: 'the stream to end' });
    expect(service.subscriberCount()).toBe(before);
  });

  it('delivers a large fan-out in several NOTIFY payloads (each under 8000 bytes)', async () => {
    const a = await newUser();
    const seen: NotificationStreamEvent[] = [];
    const unsubscribe = service.subscribe(a.user.id, (e) => {
      if (e.type === 'notification') seen.push(e);
    });
    const count = 400;
    await db.transaction((tx) =>
      service.notify(
        tx,
        ...Array.from({ length: count }, (_, i) => ({
          userIds: [a.user.id],
          kind: 'test.vote',
          title: `bulk ${i}`,
        })),
      ),
    );
    await waitFor(async () => seen.length === count, { timeoutMs: 5_000, what: `${count} events` });
    expect(new Set(seen.map((e) => e.notification.id)).size).toBe(count);
    expect(Math.max(...seen.map((e) => e.unreadCount))).toBe(count);
    unsubscribe();
  });

  it.runIf(testDbKind === 'postgres')(
    'delivers a notification committed on another instance to this instance’s stream',
    async () => {
      if (platform.database.kind !== 'postgres') throw new Error('postgres only');
      const second = await startTestPlatform({ DATABASE_URL: platform.database.url });
      const secondService = createNotificationsService({ database: second.database, logger: silentLogger });
      await secondService.start();
      const a = await newUser();
      const s = await stream(a);
      await s.next((e) => e.event === 'ready');
      await second.database.db.transaction((tx) =>
        secondService.notify(tx, { userIds: [a.user.id], kind: 'test.vote', title: 'from instance 2' }),
      );
      // Delivered, or s.next rejects (no event in time).
      await s.next(isNotification('from instance 2'), 5_000);
      s.close();
      await secondService.stop();
      await second.close();
    },
  );

  it.runIf(testDbKind === 'postgres')('reopens the LISTEN connection after it is lost', async () => {
    const listeners = async () =>
      (
        await db.execute<{ pid: number }>(
          sql`select pid from pg_stat_activity
              where datname = current_database() and application_name = 'aegis-notify-listen'`,
        )
      ).rows.map((r) => r.pid);
    const before = await listeners();
    expect(before.length).toBeGreaterThan(0);
    await db.execute(
      sql`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and application_name = 'aegis-notify-listen'`,
    );
    await waitFor(
      async () => {
        const now = await listeners();
        return now.length >= before.length && now.every((pid) => !before.includes(pid));
      },
      { timeoutMs: 5_000, what: 'the listener to reconnect' },
    );
    const a = await newUser();
    const seen: string[] = [];
    const unsubscribe = service.subscribe(a.user.id, (e) => {
      if (e.type === 'notification') seen.push(e.notification.title);
    });
    await service.notify(db, { userIds: [a.user.id], kind: 'test.vote', title: 'after reconnect' });
    await waitFor(async () => seen.length > 0, { timeoutMs: 2_000, what: 'the event after reconnect' });
    expect(seen).toEqual(['after reconnect']);
    unsubscribe();
  });
});
