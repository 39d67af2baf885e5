import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHeartbeat } from './heartbeat';

describe('startHeartbeat', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('beats every interval until stopped, and never after', async () => {
    const beat = vi.fn(async () => {});
    const heartbeat = startHeartbeat(beat, { intervalMs: 1000 });
    await vi.advanceTimersByTimeAsync(999);
    expect(beat).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(2001);
    expect(beat).toHaveBeenCalledTimes(3);
    await heartbeat.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(beat).toHaveBeenCalledTimes(3);
  });

  it('keeps one beat in flight at most, and stop waits for it', async () => {
    let release: () => void = () => {};
    let finished = 0;
    const beat = vi.fn(
      () =>
        new Promise<void>((resolve) => {
          release = () => {
            finished++;
            resolve();
          };
        }),
    );
    const heartbeat = startHeartbeat(beat, { intervalMs: 100 });
    await vi.advanceTimersByTimeAsync(550);
    expect(beat).toHaveBeenCalledTimes(1);
    let stopped = false;
    const stopping = heartbeat.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(finished).toBe(1);
    expect(beat).toHaveBeenCalledTimes(1);
  });

  it('reports a failed beat and keeps beating', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const heartbeat = startHeartbeat(
      async () => {
        calls++;
        if (calls === 1) throw new Error('connection lost');
      },
      { intervalMs: 100, onError: (err) => errors.push(err) },
    );
    await vi.advanceTimersByTimeAsync(300);
    await heartbeat.stop();
    expect(calls).toBe(3);
    expect(errors).toEqual([new Error('connection lost')]);
  });
});
