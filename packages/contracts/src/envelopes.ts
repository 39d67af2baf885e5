import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging';

/**
 * Stable, machine-readable error codes. Clients branch on these, never on messages.
 * New codes are added here so server and web agree on them.
 */
export const errorCodes = [
  'validation_error',
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'integrity_error',
  'gone',
  'service_unavailable',
  'internal_error',
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** One problem with one input field: `path` is where in the request (e.g. `body.email`). */
export const FieldIssue = z.object({
  path: z.string(),
  message: z.string(),
});
export type FieldIssue = z.infer<typeof FieldIssue>;

/** The single error envelope of every non-2xx API response. */
export const ErrorEnvelope = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    details: z.unknown().optional(),
    requestId: z.string().optional(),
  }),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;
// One named component in the OpenAPI document: every 4xx/5xx of every operation refers to it.
z.globalRegistry.add(ErrorEnvelope, { id: 'ErrorEnvelope' });

/** What each error status means in this API; the OpenAPI description of that response. */
export const ERROR_STATUS_MEANING = {
  400: 'Invalid request: `validation_error` with `error.details.issues` naming each field, or `bad_request`',
  401: 'Not signed in, or the token or session has ended (`unauthorized`)',
  403: 'Not allowed: this role may not do this, or a change came from a foreign origin or without the CSRF header of a cookie session (`forbidden`)',
  404: 'No such resource (`not_found`)',
  409: 'The resource is not in a state that allows this (`conflict`; `error.details` says why)',
  410: 'The resource existed, but what was asked for is gone',
  413: 'The request body is larger than allowed (`payload_too_large`)',
  415: 'The request body has a content type this operation does not take (`unsupported_media_type`)',
  429: 'Too many attempts; retry after the `Retry-After` header (`rate_limited`)',
  503: 'A dependency is down or the server is stopping (`service_unavailable`)',
} as const;
export type ErrorStatus = keyof typeof ERROR_STATUS_MEANING;

/**
 * Error responses for a route schema: `response: { 200: Thing, ...errorResponses(409) }`.
 * The statuses every operation can give (400, 401, 403, 404, 413, 415 as its inputs and guard
 * imply) are added by the server itself; list here only what this operation's rules add.
 */
export function errorResponses<const S extends ErrorStatus>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: ERROR_STATUS_MEANING[status],
        content: { 'application/json': { schema: ErrorEnvelope } },
      },
    ]),
  ) as unknown as {
    [K in S]: { description: string; content: { 'application/json': { schema: typeof ErrorEnvelope } } };
  };
}

/** The response of an operation that answers 204 with no body. */
export const NoContent = z.null().describe('Done; no content');

/** Query-string pagination accepted by every list endpoint. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
  offset: z.coerce.number().int().min(0).default(0),
});
export type PageQuery = z.infer<typeof PageQuery>;

/**
 * The single list envelope: one page of `items` plus the total matching the filters. Large lists
 * count exactly up to a bound and estimate beyond it: then `totalEstimated` is true (show "≈").
 */
export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int().min(0),
    totalEstimated: z.boolean().optional(),
    limit: z.number().int().min(1),
    offset: z.number().int().min(0),
  });
}
export type ListEnvelope<T> = {
  items: T[];
  total: number;
  totalEstimated?: boolean;
  limit: number;
  offset: number;
};
