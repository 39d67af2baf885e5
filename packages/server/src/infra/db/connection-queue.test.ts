import { describe, expect, it } from 'vitest';
import { ConnectionQueue } from './connection-queue';
import { DatabaseBusyError } from './errors';

/** A caller that holds the connection until `release()` is called. */
function holder() {
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  return { gate, release };
}

const limits = { maxWaiting: 4, maxWaitMs: 60_000 };

describe('ConnectionQueue', () => {
  it('gives the connection to one caller at a time', async () => {
    const q = new ConnectionQueue(limits);
    const order: string[] = [];
    const h = holder();
    const first = q.run('a', async () => {
      order.push('a start');
      await h.gate;
      order.push('a end');
    });
    const second = q.run('b', async () => {
      order.push('b');
    });
    await Promise.resolve();
    expect(q.busy).toBe(true);
    expect(q.waiting).toBe(1);
    h.release();
    await Promise.all([first, second]);
    expect(order).toEqual(['a start', 'a end', 'b']);
    expect(q.busy).toBe(false);
  });

  it('lets cheaper arrivals go first only until a waiter has waited its share: nobody starves', async () => {
    let now = 0;
    const q = new ConnectionQueue(limits, () => now);
    // Learned costs: a list query holds the connection 50 ms, a session lookup 1 ms.
    await q.run('list', async () => {
      now += 50;
    });
    await q.run('session', async () => {
      now += 1;
    });
    const order: string[] = [];
    const h = holder();
    const running = q.run('session', () => h.gate);
    const list = q.run('list', async () => void order.push('list')); // arrives at 51: deadline 451
    const later: Array<Promise<void>> = [];
    const first = q.run('session', async () => {
      order.push('session 1'); // arrived at 51 too, deadline 59: goes first
      now += 500;
      // A stream of cheap lookups keeps arriving; the list query's deadline has passed.
      later.push(q.run('session', async () => void order.push('session 2')));
    });
    h.release();
    await Promise.all([running, list, first]);
    await Promise.all(later);
    expect(order).toEqual(['session 1', 'list', 'session 2']);
  });

  it('serves the waiter expected to finish soonest first, ties in arrival order', async () => {
    const q = new ConnectionQueue(limits);
    // Teach it the costs: "heavy" held the connection longer than "cheap".
    const slow = holder();
    const learning = q.run('heavy', () => slow.gate);
    await new Promise((r) => setTimeout(r, 5));
    slow.release();
    await learning;
    await q.run('cheap', async () => {});
    expect(q.expectedMs('heavy')).toBeGreaterThan(q.expectedMs('cheap') ?? Number.POSITIVE_INFINITY);

    const order: string[] = [];
    const h = holder();
    const running = q.run('heavy', () => h.gate);
    const waiters = [
      q.run('heavy', async () => void order.push('heavy 1')),
      q.run('heavy', async () => void order.push('heavy 2')),
      q.run('cheap', async () => void order.push('cheap 1')),
      q.run('cheap', async () => void order.push('cheap 2')),
    ];
    h.release();
    await Promise.all([running, ...waiters]);
    expect(order).toEqual(['cheap 1', 'cheap 2', 'heavy 1', 'heavy 2']);
  });

  it('refuses a caller at once when the queue is full, naming the retry delay', async () => {
    const q = new ConnectionQueue({ maxWaiting: 1, maxWaitMs: 60_000 });
    const h = holder();
    const running = q.run('a', () => h.gate);
    const waiting = q.run('b', async () => 'b ran');
    const refused = q.run('c', async () => 'c ran');
    await expect(refused).rejects.toBeInstanceOf(DatabaseBusyError);
    await expect(refused).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
    h.release();
    await running;
    await expect(waiting).resolves.toBe('b ran');
  });

  it('refuses a caller that waited its longest, and forgets it', async () => {
    const q = new ConnectionQueue({ maxWaiting: 4, maxWaitMs: 10 });
    const h = holder();
    const running = q.run('a', () => h.gate);
    let ran = false;
    const late = q.run('b', async () => {
      ran = true;
    });
    await expect(late).rejects.toThrow(/stayed busy/);
    expect(q.waiting).toBe(0);
    h.release();
    await running;
    expect(ran).toBe(false);
    expect(q.busy).toBe(false);
  });

  it('tryRun runs only on a free connection and never waits', async () => {
    const q = new ConnectionQueue(limits);
    await expect(q.tryRun('ping', async () => 'pong')).resolves.toBe('pong');
    const h = holder();
    const running = q.run('a', () => h.gate);
    expect(q.tryRun('ping', async () => 'pong')).toBeUndefined();
    expect(q.waiting).toBe(0);
    h.release();
    await running;
  });

  it('releases the connection when the holder fails', async () => {
    const q = new ConnectionQueue(limits);
    await expect(
      q.run('a', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(q.busy).toBe(false);
    await expect(q.run('b', async () => 'ok')).resolves.toBe('ok');
  });
});
