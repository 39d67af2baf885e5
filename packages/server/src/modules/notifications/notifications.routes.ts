import type { OutgoingHttpHeaders } from 'node:http';
import {
  IdParams,
  ListNotificationsQuery,
  listEnvelope,
  MarkAllReadResult,
  Notification,
  type NotificationStreamEvent,
  type NotificationStreamReady,
  type NotificationStreamResolved,
  UnreadCount,
} from '@aegis/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../infra/http';
import type { LiveEvent } from './live';
import type { NotificationsService } from './notifications.service';

const authenticated = { auth: 'authenticated' } as const;

export interface NotificationRoutesOptions {
  /** Interval of the `: ping` comment that keeps proxies from closing an idle stream (25 s). */
  pingIntervalMs?: number;
  /** How long an EventSource waits before reconnecting after the stream drops (3 s). */
  retryMs?: number;
}

function userIdOf(req: FastifyRequest): string {
  if (!req.auth) throw errors.unauthorized();
  return req.auth.user.id;
}

/** Every user sees, reads and streams only their own notifications. */
export function notificationRoutes(
  service: NotificationsService,
  options: NotificationRoutesOptions = {},
): FastifyPluginAsyncZod {
  const stream = { pingIntervalMs: options.pingIntervalMs ?? 25_000, retryMs: options.retryMs ?? 3_000 };
  return async (app) => {
    // Open streams never end by themselves: ending them first lets the server close (and clients
    // reconnect to another instance) instead of waiting for every browser tab to go away.
    const open = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...open]) end();
    });

    app.get(
      '/notifications',
      {
        config: authenticated,
        schema: {
          operationId: 'listNotifications',
          tags: ['notifications'],
          summary: 'My notifications, newest first (optionally unread only; paginated)',
          querystring: ListNotificationsQuery,
          response: { 200: listEnvelope(Notification) },
        },
      },
      async (req) => service.list(userIdOf(req), req.query),
    );

    app.get(
      '/notifications/unread-count',
      {
        config: authenticated,
        schema: {
          operationId: 'countUnreadNotifications',
          tags: ['notifications'],
          summary: 'How many of my notifications are unread',
          response: { 200: UnreadCount },
        },
      },
      async (req) => ({ count: await service.unreadCount(userIdOf(req)) }),
    );

    app.post(
      '/notifications/read-all',
      {
        config: authenticated,
        schema: {
          operationId: 'markAllNotificationsRead',
          tags: ['notifications'],
          summary: 'Mark all my notifications read',
          response: { 200: MarkAllReadResult },
        },
      },
      async (req) => ({ updated: await service.markAllRead(userIdOf(req)) }),
    );

    app.post(
      '/notifications/:id/read',
      {
        config: authenticated,
        schema: {
          operationId: 'markNotificationRead',
          tags: ['notifications'],
          summary: 'Mark one of my notifications read (404 for anyone else’s)',
          params: IdParams,
          response: { 200: Notification },
        },
      },
      async (req) => service.markRead(userIdOf(req), req.params.id),
    );

    app.get(
      '/notifications/stream',
      {
        config: authenticated,
        // A HEAD would open a stream that never ends.
        exposeHeadRoute: false,
        schema: {
          operationId: 'streamNotifications',
          tags: ['notifications'],
          summary: 'Live notifications (Server-Sent Events)',
          description:
            '`text/event-stream`: first `event: ready` with `{unreadCount}`, then `event: notification` with ' +
            '`{notification, unreadCount}` for each new notification, `event: resolved` with `{unreadCount}` when ' +
            'an action resolved some of mine, and a `: ping` comment every 25 s. ' +
            'Works with the session cookie (EventSource) or a bearer token.',
          rawResponse: { contentType: 'text/event-stream', description: 'The event stream (never ends)' },
        },
      },
      async (req, reply) => streamNotifications(req, reply, service, { ...stream, open }),
    );
  };
}

const sse = (
  event: string,
  data: NotificationStreamReady | NotificationStreamEvent | NotificationStreamResolved,
) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Writes the stream on the raw response (hijacked: Fastify would otherwise wait for a payload).
 * Subscribing happens before the unread count is read, and events arriving in between are held
 * until `ready` is written, so nothing committed after the request started is missed.
 */
async function streamNotifications(
  req: FastifyRequest,
  reply: FastifyReply,
  service: NotificationsService,
  options: { pingIntervalMs: number; retryMs: number; open: Set<() => void> },
): Promise<void> {
  const userId = userIdOf(req);
  const res = reply.raw;
  const held: LiveEvent[] = [];
  let send: ((event: LiveEvent) => void) | undefined;
  let ping: NodeJS.Timeout | undefined;
  let closed = false;

  const unsubscribe = service.subscribe(userId, (event) => (send ? send(event) : held.push(event)));
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(ping);
    unsubscribe();
    options.open.delete(end);
  };
  const end = () => {
    cleanup();
    if (!res.writableEnded) res.end();
  };
  // 'close' fires when the client goes away, and also after an error response if the count fails.
  res.once('close', cleanup);

  const unreadCount = await service.unreadCount(userId);
  reply.hijack();
  if (closed) return;

  // Hooks (helmet, CORS, request id) set their headers through reply.header(); a hijacked reply
  // skips the step that copies them onto the raw response, so they are copied here.
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(reply.getHeaders()))
    if (value !== undefined) headers[name] = value;
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    // A stream is never followed by another request on its connection; without this, a stream
    // ended at shutdown would leave a keep-alive socket that server.close() waits out.
    connection: 'close',
  });
  const write = (chunk: string) => {
    if (!closed) res.write(chunk);
  };
  write(`retry: ${options.retryMs}\n${sse('ready', { unreadCount })}`);
  send = (event) =>
    write(
      event.type === 'notification'
        ? sse('notification', { notification: event.notification, unreadCount: event.unreadCount })
        : sse('resolved', { unreadCount: event.unreadCount }),
    );
  for (const event of held.splice(0)) send(event);
  ping = setInterval(() => write(': ping\n\n'), options.pingIntervalMs);
  options.open.add(end);
}
