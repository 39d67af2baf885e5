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
