import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db';

/** How often a running run refreshes its `heartbeat_at`. */
export const HEARTBEAT_INTERVAL_MS = 15_000;

export interface Heartbeat {
  /** Stops the timer and waits for a beat in flight, so none lands after the run's final write. */
  stop(): Promise<void>;
}

/**
 * Calls `beat` every `intervalMs` until stopped, whatever the run is doing (a long download or parse
 * writes no progress). One beat at a time: a slow database gets no pile-up of writes. The timer does
 * not keep the process alive (a CLI exits when its work is done).
 */
export function startHeartbeat(
  beat: () => Promise<unknown>,
  options: { intervalMs?: number; onError?: (err: unknown) => void } = {},
): Heartbeat {
  let inFlight: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = beat()
      .then(
        () => {},
        (err) => options.onError?.(err),
      )
      .finally(() => {
        inFlight = undefined;
      });
  }, options.intervalMs ?? HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}

/**
 * Which `running` runs are dead: all of them (embedded mode at start — the data-folder lock proves no
 * other process can be running one), or those whose last heartbeat is older than a threshold.
 */
export type Staleness = { all: true } | { silentForSeconds: number };

/**
 * SQL condition: the run's last sign of life (`lastBeat`) makes it dead under `staleness`. Compared
 * with the database's clock, which also stamps the heartbeats, so instances with skewed clocks agree.
 */
export function isStale(lastBeat: SQL, staleness: Staleness): SQL {
  return 'all' in staleness
    ? sql`true`
    : sql`${lastBeat} < now() - make_interval(secs => ${staleness.silentForSeconds})`;
}

/** The error a reaped run carries (a SQL expression of its last sign of life, a timestamptz). */
export function interruptedMessage(lastBeat: SQL): SQL {
  return sql`'interrupted: the instance running it stopped; no heartbeat since '
    || to_char(${lastBeat} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
}

export interface ReapedRun {
  /** The table's entity name, e.g. `import_run`, `source_sync_run`. */
  kind: string;
  id: string;
  lastHeartbeatAt: Date;
}

/**
 * Marks one kind of run as failed when it is `running` but dead under `staleness`, with everything that
 * follows from it (owner status, audit rows), in the caller's transaction. Modules that record runs
 * register one each.
 */
export type InterruptedRunReaper = (tx: Tx, staleness: Staleness) => Promise<ReapedRun[]>;

/** Runs every reaper in one transaction: all of the interrupted runs are failed together, or none. */
export async function reapInterruptedRuns(
  db: Db,
  reapers: readonly InterruptedRunReaper[],
  staleness: Staleness,
): Promise<ReapedRun[]> {
  return db.transaction(async (tx) => {
    const reaped: ReapedRun[] = [];
    for (const reap of reapers) reaped.push(...(await reap(tx, staleness)));
    return reaped;
  });
}
