import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { ADMIN_PASSWORD } from '../../../test/support';

/**
 * The embedded database's one connection held busy (ADR 16), deterministically: a transaction that
 * holds it until the test lets go. Runs on PGlite only (this file is not an *.int.test.ts).
 */
function holdConnection(db: Awaited<ReturnType<typeof startTestApp>>['platform']['database']['db']) {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  let entered!: () => void;
  const holding = new Promise<void>((r) => {
    entered = r;
  });
  const done = db.transaction(async (tx) => {
    await tx.execute(sql`select 1`);
    entered();
    await gate;
  });
  return { holding, release, done };
}

const login = { username: 'admin', password: ADMIN_PASSWORD };

describe('embedded database under load', async () => {
  // No job polling: the test's own callers are the only ones queueing for the connection.
  const { platform, app } = await startTestApp({ EMBEDDED_DB_QUEUE_MAX: '2', JOBS_ENABLED: 'false' });
  const waiting = () => (platform.database.kind === 'pglite' ? platform.database.pglite.waiting : -1);

  it('answers /health while the one connection is held', async () => {
    const held = holdConnection(platform.database.db);
    await held.holding;
    try {
      const res = await app.inject({ method: 'GET', url: '/api/v1/health' });
      expect(res.statusCode).toBe(200);
      expect(['ok', 'degraded']).toContain(res.json().status);
    } finally {
      held.release();
      await held.done;
    }
  });

  it('answers 503 with Retry-After when the queue for the connection is full, and serves the waiter', async () => {
    const held = holdConnection(platform.database.db);
    await held.holding;
    const signIn = () => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: login });
    const queued = [signIn(), signIn()];
    try {
      // Two sign-ins wait for the connection (the queue holds two); the next is refused at once.
      await expect.poll(waiting).toBe(2);
      const refused = await signIn();
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toMatch(/^\d+$/);
      expect(refused.json().error).toMatchObject({ code: 'service_unavailable' });
      expect(refused.json().error.message).toMatch(/busy/);
    } finally {
      held.release();
      await held.done;
    }
    for (const res of await Promise.all(queued)) expect(res.statusCode).toBe(200);
  });
});
