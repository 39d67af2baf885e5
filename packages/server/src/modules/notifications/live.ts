import type { Notification } from '@aegis/contracts';
import pg from 'pg';
import { z } from 'zod';
import type { DatabaseHandle } from '../../infra/db';
import type { Logger } from '../../infra/logger';
import { NOTIFY_CHANNEL } from './notifications.queries';

/**
 * What a subscriber receives once a change to its user's notifications has been committed (on any
 * instance): a new notification, or some resolved by someone's action (the count fell).
 */
export type LiveEvent =
  | { type: 'notification'; notification: Notification; unreadCount: number }
  | { type: 'resolved'; unreadCount: number };
export type LiveListener = (event: LiveEvent) => void;

/** Loads the notifications named in a NOTIFY payload, restricted to users someone here listens for. */
export type LiveLoader = (
  ids: string[],
  userIds: string[],
) => Promise<Array<{ userId: string; event: LiveEvent }>>;

/** The open counts of users whose notifications were resolved (those someone here listens for). */
export type CountLoader = (userIds: string[]) => Promise<Array<{ userId: string; unreadCount: number }>>;

export interface ReconnectOptions {
  /** First delay after the LISTEN connection is lost; doubles per failed attempt. */
  minDelayMs: number;
  maxDelayMs: number;
}

const DEFAULT_RECONNECT: ReconnectOptions = { minDelayMs: 250, maxDelayMs: 30_000 };

// Anyone with database access can NOTIFY on the channel: payloads are checked, never trusted.
const Payload = z.union([
  z.object({ ids: z.array(z.uuid()).min(1).max(1000) }),
  z.object({ resolvedFor: z.array(z.uuid()).min(1).max(1000) }),
]);

interface ChannelListener {
  close(): Promise<void>;
}

/**
 * The live event bus of one instance. Writers NOTIFY the new ids inside their transaction, so
 * PostgreSQL tells every instance (this one included) only about committed rows; each instance
 * LISTENs on one dedicated connection, loads the rows its own subscribers care about (one query per
 * payload, in arrival order) and hands them to in-process subscribers.
 */
export function createLiveBus(deps: {
  database: DatabaseHandle;
  logger: Logger;
  load: LiveLoader;
  counts: CountLoader;
  reconnect?: ReconnectOptions;
}) {
  const { logger } = deps;
  const subscribers = new Map<string, Set<LiveListener>>();
  let listener: ChannelListener | undefined;
  // Payloads are handled one after another so a user's events keep their commit order.
  let queue: Promise<void> = Promise.resolve();

  function deliver(userId: string, event: LiveEvent): void {
    for (const fn of [...(subscribers.get(userId) ?? [])]) {
      try {
        fn(event);
      } catch (err) {
        logger.error({ err, userId }, 'notification subscriber failed');
      }
    }
  }

  async function fanOut(payload: z.infer<typeof Payload>): Promise<void> {
    if (subscribers.size === 0) return; // nobody listening here: skip the query
    if ('ids' in payload) {
      for (const { userId, event } of await deps.load(payload.ids, [...subscribers.keys()]))
        deliver(userId, event);
      return;
    }
    const listening = payload.resolvedFor.filter((id) => subscribers.has(id));
    if (listening.length === 0) return;
    for (const { userId, unreadCount } of await deps.counts(listening))
      deliver(userId, { type: 'resolved', unreadCount });
  }

  function onPayload(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      parsed = undefined;
    }
    const result = Payload.safeParse(parsed);
    if (!result.success) {
      logger.warn({ channel: NOTIFY_CHANNEL }, 'ignoring a malformed notification payload');
      return;
    }
    const event = result.data;
    queue = queue
      .then(() => fanOut(event))
      .catch((err: unknown) => logger.error({ err }, 'live notification fan-out failed'));
  }

  return {
    async start(): Promise<void> {
      if (listener) return;
      const { database } = deps;
      listener =
        database.kind === 'pglite'
          ? await listenPglite(database.pglite, onPayload)
          : await listenPostgres(database.url, onPayload, logger, deps.reconnect ?? DEFAULT_RECONNECT);
    },

    /** Stops listening and waits for fan-outs under way, so nothing queries a closed database. */
    async stop(): Promise<void> {
      const current = listener;
      listener = undefined;
      await current?.close();
      await queue;
    },

    subscribe(userId: string, fn: LiveListener): () => void {
      let set = subscribers.get(userId);
      if (!set) {
        set = new Set();
        subscribers.set(userId, set);
      }
      set.add(fn);
      return () => {
        const current = subscribers.get(userId);
        if (!current) return;
        current.delete(fn);
        if (current.size === 0) subscribers.delete(userId);
      };
    },

    /** Subscriptions held on this instance (for tests and diagnostics). */
    subscriberCount(): number {
      let n = 0;
      for (const set of subscribers.values()) n += set.size;
      return n;
    },
  };
}
export type LiveBus = ReturnType<typeof createLiveBus>;

/** PGlite is one in-process connection: its NOTIFYs come back to it on commit. */
async function listenPglite(
  pglite: Extract<DatabaseHandle, { kind: 'pglite' }>['pglite'],
  onPayload: (payload: string) => void,
): Promise<ChannelListener> {
  const unlisten = await pglite.listen(NOTIFY_CHANNEL, onPayload);
  return {
    close: async () => {
      if (!pglite.closed) await unlisten();
    },
  };
}

/**
 * LISTEN needs a connection of its own for the life of the instance (a pooled one would be handed
 * to queries and lose the registration). When it drops — server restart, failover, network — it is
 * reopened with exponential backoff; NOTIFYs sent while it was down are not replayed, which
 * clients absorb because each stream starts with the current unread count.
 */
async function listenPostgres(
  url: string,
  onPayload: (payload: string) => void,
  logger: Logger,
  backoff: ReconnectOptions,
): Promise<ChannelListener> {
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let stopped = false;

  const drop = (c: pg.Client, err?: unknown) => {
    if (client !== c) return; // an old or never-established connection
    client = undefined;
    logger.warn({ err }, 'notification listener connection lost; reconnecting');
    c.end().catch(() => undefined);
    schedule();
  };

  const connect = async () => {
    const c = new pg.Client({
      connectionString: url,
      application_name: 'aegis-notify-listen',
      keepAlive: true,
    });
    c.on('error', (err) => drop(c, err));
    c.on('end', () => drop(c));
    c.on('notification', (msg) => {
      if (msg.channel === NOTIFY_CHANNEL && msg.payload) onPayload(msg.payload);
    });
    try {
      await c.connect();
      await c.query(`listen ${NOTIFY_CHANNEL}`);
    } catch (err) {
      await c.end().catch(() => undefined);
      throw err;
    }
    if (stopped) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    failures = 0;
  };

  function schedule(): void {
    if (stopped || timer) return;
    const delay = Math.min(backoff.maxDelayMs, backoff.minDelayMs * 2 ** failures);
    failures++;
    timer = setTimeout(() => {
      timer = undefined;
      connecting = connect()
        .then(() => logger.info('notification listener reconnected'))
        .catch((err: unknown) => {
          logger.warn({ err, failures }, 'notification listener reconnect failed');
          schedule();
        })
        .finally(() => {
          connecting = undefined;
        });
    }, delay);
  }

  // The first connection must succeed: the database was reachable a moment ago when the platform opened it.
  await connect();
  return {
    close: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await connecting;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
