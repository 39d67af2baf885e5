import type { ErrorCode, FieldIssue } from '@aegis/contracts';

/**
 * An error a client may see: a stable code, an HTTP status and a human message. Thrown anywhere
 * (services, guards); turned into the error envelope in one place (the error handler).
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const errors = {
  validation: (issues: FieldIssue[], message = describeIssues(issues)) =>
    new AppError('validation_error', 400, message, { issues }),
  badRequest: (message: string, details?: unknown) => new AppError('bad_request', 400, message, details),
  unauthorized: (message = 'Authentication required') => new AppError('unauthorized', 401, message),
  forbidden: (message = 'You are not allowed to do this', details?: unknown) =>
    new AppError('forbidden', 403, message, details),
  notFound: (what: string, id?: string) =>
    new AppError('not_found', 404, id === undefined ? `${what} not found` : `${what} ${id} not found`),
  conflict: (message: string, details?: unknown) => new AppError('conflict', 409, message, details),
  payloadTooLarge: (message: string) => new AppError('payload_too_large', 413, message),
  unsupportedMediaType: (message: string) => new AppError('unsupported_media_type', 415, message),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError('rate_limited', 429, `Too many requests; retry in ${retryAfterSeconds} s`, undefined, {
      'retry-after': String(retryAfterSeconds),
    }),
  /** Stored data that is not what was written (a changed file): refused, never served. */
  integrity: (message: string, details?: unknown) => new AppError('integrity_error', 409, message, details),
  /** Something that existed and is gone for good (a file missing from storage). */
  gone: (message: string, details?: unknown) => new AppError('gone', 410, message, details),
  unavailable: (message: string) => new AppError('service_unavailable', 503, message),
};

export function describeIssues(issues: FieldIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.path}: ${i.message}`);
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `Invalid request: ${shown.join('; ')}${more}`;
}
