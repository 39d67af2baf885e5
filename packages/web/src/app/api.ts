import type { ErrorCode } from '@aegis/contracts';

/** An API failure, parsed from the error envelope `{error: {code, message, details}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network_error' | 'unknown',
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** The session's CSRF token, from `GET /auth/me` or the login response. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** For requests made outside `api()` (uploads with progress through XMLHttpRequest). */
export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Called on a 401 from any request other than the sign-in ones (the session ended). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | boolean | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

interface RequestOptions {
  method?: Method;
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  /** Don't treat a 401 as "the session ended" (sign-in and the initial `/auth/me`). */
  expectUnauthorized?: boolean;
}

/** `fetch` against `/api/v1` with the session cookie, the CSRF header and envelope-aware errors. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(withQuery(`/api/v1${path}`, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (options.signal?.aborted) throw err;
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Check your connection and retry.');
  }
  if (res.status === 204) return undefined as T;
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) return body as T;
  const error = parseEnvelope(body);
  const retryAfter = Number(res.headers.get('retry-after'));
  if (res.status === 401 && !options.expectUnauthorized) onUnauthorized?.();
  throw new ApiError(
    res.status,
    error?.code ?? 'unknown',
    error?.message ?? `The server answered ${res.status} ${res.statusText}`.trim(),
    error?.details,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/** An `ApiError` from a status and a parsed (or unparsable) response body. */
export function apiErrorFrom(status: number, body: unknown, statusText = ''): ApiError {
  const error = parseEnvelope(body);
  if (status === 401) onUnauthorized?.();
  return new ApiError(
    status,
    error?.code ?? 'unknown',
    error?.message ?? `The server answered ${status} ${statusText}`.trim(),
    error?.details,
  );
}

/** The validation issues of an error (`error.details.issues`), keyed by their path without `body.`. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError) || err.code !== 'validation_error') return {};
  const details = err.details;
  const issues: unknown =
    typeof details === 'object' && details !== null && 'issues' in details
      ? (details as { issues: unknown }).issues
      : details;
  const out: Record<string, string> = {};
  if (!Array.isArray(issues)) return out;
  for (const issue of issues as { path?: unknown; message?: unknown }[]) {
    if (typeof issue.path !== 'string' || typeof issue.message !== 'string') continue;
    const key = issue.path.replace(/^body\.?/, '');
    out[key] ??= issue.message;
  }
  return out;
}

function parseEnvelope(body: unknown): { code: ErrorCode; message: string; details?: unknown } | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) return null;
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) return null;
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return null;
  return { code: code as ErrorCode, message, details };
}

/** A sentence for people, whatever was thrown. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === 'forbidden') return 'You do not have permission to do this.';
    if (err.code === 'not_found') return 'Not found: it may have been removed, or the address is wrong.';
    // Validation messages already name each field (`body.title: required`); forms show them per field.
    return err.message;
  }
  return err instanceof Error ? err.message : 'Something went wrong.';
}
