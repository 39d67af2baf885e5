import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const SAFE_ID = /^[A-Za-z0-9._:-]{8,64}$/;

/**
 * Request ids: a caller's `x-request-id` (from a proxy or load balancer) is kept when it is safe to
 * log; otherwise a fresh UUID. Either way it is echoed back in the response header.
 */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SAFE_ID.test(incoming) ? incoming : randomUUID();
}
