import { z } from 'zod';

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

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 50;

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
