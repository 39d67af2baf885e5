export type SourceErrorCode = 'offline' | 'http_status' | 'bad_response' | 'too_large' | 'timeout';

/**
 * A remote ATT&CK source (TAXII server, bundle URL) could not deliver. The message is written for
 * the operator who runs the import: it names the host and says what to do next.
 */
export class SourceError extends Error {
  constructor(
    readonly code: SourceErrorCode,
    message: string,
    readonly details: { url?: string; status?: number } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceError';
  }
}

const OFFLINE_HINT = 'import a local file with `aegis import attack <file>` instead';

// The socket-level codes undici reports as the `cause` of its "fetch failed" TypeError.
const UNREACHABLE: Record<string, string> = {
  ENOTFOUND: 'the machine looks offline, or the host name is wrong',
  EAI_AGAIN: 'name resolution failed: the machine looks offline',
  ECONNREFUSED: 'nothing accepts connections there',
  EHOSTUNREACH: 'the host is unreachable from this network',
  ENETUNREACH: 'no network route: the machine looks offline',
  ECONNRESET: 'the connection was cut',
  EPIPE: 'the connection was cut',
  UND_ERR_SOCKET: 'the connection was cut',
};
const TIMED_OUT = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** `host` or `host:port` when the URL names a port, as an operator would type it. */
export function hostOf(url: URL | string): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return parsed.host;
}

/**
 * Turns what `fetch` (or reading its body) threw into a SourceError. A caller's own abort is not a
 * source failure: it is rethrown untouched so cancellation stays distinguishable.
 */
export function toSourceError(
  error: unknown,
  url: URL | string,
  context: { timeoutMs?: number; signal?: AbortSignal } = {},
): unknown {
  if (error instanceof SourceError) return error;
  if (context.signal?.aborted) return context.signal.reason ?? error;
  const host = hostOf(url);
  const href = safeUrl(url);
  if (isNamed(error, 'TimeoutError')) {
    const after = context.timeoutMs === undefined ? '' : ` after ${formatSeconds(context.timeoutMs)}`;
    return new SourceError(
      'timeout',
      `${host} did not answer${after}: the network is slow or the server is overloaded; retry later or ${OFFLINE_HINT}`,
      { url: href },
      { cause: error },
    );
  }
  const code = errorCode(error);
  if (code !== undefined && TIMED_OUT.has(code)) {
    return new SourceError(
      'timeout',
      `${host} did not answer in time (${code}); retry later or ${OFFLINE_HINT}`,
      { url: href },
      { cause: error },
    );
  }
  if (code !== undefined && code in UNREACHABLE) {
    return new SourceError(
      'offline',
      `Could not reach ${host} (${code}): ${UNREACHABLE[code]}; ${OFFLINE_HINT}`,
      { url: href },
      { cause: error },
    );
  }
  if (code !== undefined && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_/.test(code)) {
    return new SourceError(
      'offline',
      `Could not open a trusted HTTPS connection to ${host} (${code}): if a proxy inspects HTTPS, point ` +
        `NODE_EXTRA_CA_CERTS at its CA certificate; otherwise ${OFFLINE_HINT}`,
      { url: href },
      { cause: error },
    );
  }
  if (error instanceof TypeError && (error.message === 'fetch failed' || error.message === 'terminated')) {
    const why = code ?? describeCause(error);
    return new SourceError(
      'offline',
      `Could not reach ${host} (${why}); ${OFFLINE_HINT}`,
      { url: href },
      { cause: error },
    );
  }
  return error;
}

export function httpStatusError(url: URL | string, status: number, statusText: string, detail?: string) {
  const host = hostOf(url);
  const path = (typeof url === 'string' ? new URL(url) : url).pathname;
  const hint =
    status === 401 || status === 403
      ? ': the server wants credentials; pass them as headers (e.g. Authorization)'
      : status === 404
        ? ': the URL or the collection does not exist there'
        : status >= 500
          ? ': the server failed; retry later'
          : '';
  const said = detail ? ` (${detail})` : '';
  return new SourceError(
    'http_status',
    `${host} answered ${status}${statusText ? ` ${statusText}` : ''} for ${path}${said}${hint}`,
    { url: safeUrl(url), status },
  );
}

/** The URL without credentials or query (which may carry tokens), fit for messages and logs. */
export function safeUrl(url: URL | string): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${parsed.origin}${parsed.pathname}`;
}

function errorCode(error: unknown): string | undefined {
  // undici wraps the socket error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
  for (let current: unknown = error, depth = 0; current && depth < 4; depth++) {
    if (typeof current === 'object' && 'code' in current && typeof current.code === 'string') {
      return current.code;
    }
    current = typeof current === 'object' && 'cause' in current ? current.cause : undefined;
  }
  return undefined;
}

function describeCause(error: Error): string {
  const cause = error.cause;
  return cause instanceof Error ? cause.message : error.message;
}

function isNamed(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && 'name' in error && error.name === name;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
