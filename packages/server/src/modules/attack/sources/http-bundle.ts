import { hostOf, httpStatusError, SourceError, toSourceError } from './errors';

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface FetchBundleOptions {
  /** Refuse bodies past this many bytes (SourceError 'too_large'). Default 200 MiB. */
  maxBytes?: number;
  signal?: AbortSignal;
  /** Give up when no byte arrives for this long (connection, headers or body). Default 60000. */
  timeoutMs?: number;
  onProgress?: (p: { bytes: number; totalBytes: number | null }) => void;
}

/**
 * Downloads a STIX bundle from an http(s) URL and returns its raw bytes. The body is not decoded:
 * it may be gzip (the caller recognises it by its magic bytes).
 */
export async function fetchBundle(url: string, options: FetchBundleOptions = {}): Promise<Buffer> {
  const target = httpUrl(url);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // A bundle is tens of MB: a deadline on the whole download would fail healthy slow links, so the
  // timeout is on silence instead, re-armed by every chunk.
  const stall = new StallTimer(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, stall.signal]) : stall.signal;
  try {
    const response = await fetchGet(target, { signal, headers: { accept: 'application/json, */*;q=0.8' } });
    if (!response.ok) {
      await discard(response);
      throw httpStatusError(target, response.status, response.statusText);
    }
    // undici inflates a Content-Encoding body, so the declared length would not match what we count.
    const totalBytes = response.headers.has('content-encoding') ? null : declaredLength(response);
    if (totalBytes !== null && totalBytes > maxBytes) {
      await discard(response);
      throw tooLarge(target, maxBytes, totalBytes);
    }
    stall.reset();
    return await readBody(response, target, {
      maxBytes,
      onChunk: (bytes) => {
        stall.reset();
        options.onProgress?.({ bytes, totalBytes });
      },
    });
  } catch (error) {
    throw toSourceError(error, target, { timeoutMs, signal: options.signal });
  } finally {
    stall.clear();
  }
}

// What undici reports when the connection it picked from its keep-alive pool was closed by the server.
const STALE_CONNECTION = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * A GET that is sent once more, on a fresh connection, when its connection broke before any response
 * arrived: a server closes idle keep-alive connections (Node's after 5 s), and a request that picked
 * such a connection from the pool fails at once. A GET has no side effect, so one retry is safe; a
 * connection cut after the response began is not retried (the caller sees it).
 */
export async function fetchGet(url: URL, init: RequestInit & { signal: AbortSignal }): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    const code = (error as { cause?: { code?: unknown } }).cause?.code;
    if (init.signal.aborted || typeof code !== 'string' || !STALE_CONNECTION.has(code)) throw error;
    return await fetch(url, init);
  }
}

/**
 * Reads a response body into one Buffer, refusing it past `maxBytes` without buffering the rest.
 * Shared with the TAXII client, whose pages must be capped the same way.
 */
export async function readBody(
  response: Response,
  url: URL,
  options: { maxBytes: number; onChunk?: (bytesSoFar: number) => void },
): Promise<Buffer> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > options.maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(url, options.maxBytes, null);
    }
    chunks.push(value);
    options.onChunk?.(bytes);
  }
  return Buffer.concat(chunks, bytes);
}

/** Releases the connection of a response whose body we will not read. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

export function httpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`Not a valid URL: "${url}" (expected http:// or https://)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(
      `Only http:// and https:// URLs can be downloaded, not ${parsed.protocol}; ` +
        'import a local file with `aegis import attack <file>` instead',
    );
  }
  return parsed;
}

function declaredLength(response: Response): number | null {
  const header = response.headers.get('content-length');
  if (header === null || !/^\d+$/.test(header)) return null;
  return Number(header);
}

function tooLarge(url: URL, maxBytes: number, declared: number | null): SourceError {
  const size = declared === null ? 'more than' : `${formatMiB(declared)}, more than`;
  return new SourceError(
    'too_large',
    `The download from ${hostOf(url)} is ${size} the ${formatMiB(maxBytes)} limit; download it yourself and ` +
      'import the file with `aegis import attack <file>`',
    { url: `${url.origin}${url.pathname}` },
  );
}

function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 10 || Number.isInteger(mib) ? `${Math.round(mib)} MiB` : `${mib.toFixed(1)} MiB`;
}

/** An abort signal that fires when `reset()` has not been called for `ms`. */
class StallTimer {
  readonly #controller = new AbortController();
  readonly #ms: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(ms: number) {
    this.#ms = ms;
    this.reset();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  reset(): void {
    if (this.#timer) {
      this.#timer.refresh();
      return;
    }
    this.#timer = setTimeout(() => {
      // Named like AbortSignal.timeout's reason so one error mapping serves both.
      this.#controller.abort(new DOMException(`No data for ${this.#ms} ms`, 'TimeoutError'));
    }, this.#ms);
  }

  clear(): void {
    clearTimeout(this.#timer);
  }
}
