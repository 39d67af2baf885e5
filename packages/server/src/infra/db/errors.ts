/** PostgreSQL error codes Aegis reacts to (same on PGlite and node-postgres). */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

interface PgLikeError {
  code?: string;
  constraint?: string;
  cause?: unknown;
}

/** drizzle wraps driver errors in DrizzleQueryError; the PostgreSQL error is its `cause`. */
function pgError(err: unknown): PgLikeError | undefined {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const candidate = e as PgLikeError;
    if (typeof candidate.code === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) return candidate;
    e = candidate.cause;
  }
  return undefined;
}

/** The violated unique constraint's name, or undefined if `err` is not a unique violation. */
export function uniqueViolation(err: unknown): string | undefined {
  const e = pgError(err);
  return e?.code === UNIQUE_VIOLATION ? (e.constraint ?? '') : undefined;
}

export function isForeignKeyViolation(err: unknown): boolean {
  return pgError(err)?.code === FOREIGN_KEY_VIOLATION;
}

/**
 * The embedded database's one connection is saturated: too many callers already wait for it, or
 * this one waited its longest. Nothing was run; the caller may retry after `retryAfterSeconds`.
 */
export class DatabaseBusyError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'DatabaseBusyError';
  }
}

/**
 * The DatabaseBusyError behind `err`, if any: drizzle wraps it as its query error's cause, and
 * pg-boss re-emits it as a plain copy (so the name is what is matched).
 */
export function databaseBusy(
  err: unknown,
): Pick<DatabaseBusyError, 'message' | 'retryAfterSeconds'> | undefined {
  let e: unknown = err;
  for (let depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const candidate = e as {
      name?: unknown;
      message?: unknown;
      retryAfterSeconds?: unknown;
      cause?: unknown;
    };
    if (candidate.name === 'DatabaseBusyError' && typeof candidate.retryAfterSeconds === 'number')
      return { message: String(candidate.message), retryAfterSeconds: candidate.retryAfterSeconds };
    e = candidate.cause;
  }
  return undefined;
}
