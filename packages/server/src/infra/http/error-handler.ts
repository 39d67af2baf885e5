import type { ErrorCode, ErrorEnvelope, FieldIssue } from '@aegis/contracts';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { databaseBusy } from '../db/errors';
import { AppError, describeIssues } from './errors';

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

function envelope(req: FastifyRequest, code: ErrorCode, message: string, details?: unknown): ErrorEnvelope {
  return { error: { code, message, ...(details === undefined ? {} : { details }), requestId: req.id } };
}

/** `/body/user/email` in context `body` → `body.user.email`. */
function fieldPath(context: string | undefined, instancePath: string, missing?: unknown): string {
  const parts = [
    context === 'querystring' ? 'query' : (context ?? 'request'),
    ...instancePath.split('/').filter(Boolean),
  ];
  if (typeof missing === 'string') parts.push(missing);
  return parts.join('.');
}

/**
 * The one place where errors become HTTP. Client mistakes (4xx) are answered in words naming the
 * field; anything else is logged with the request id and answered with the id only — never a stack,
 * a SQL fragment or a driver message.
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const issues: FieldIssue[] = err.validation.map((v) => ({
        path: fieldPath(
          err.validationContext,
          v.instancePath,
          (v.params as { missingProperty?: unknown })?.missingProperty,
        ),
        message: v.message ?? 'invalid',
      }));
      return reply.code(400).send(envelope(req, 'validation_error', describeIssues(issues), { issues }));
    }
    if (err instanceof AppError) {
      if (err.statusCode >= 500) req.log.error({ err }, err.message);
      if (err.headers) reply.headers(err.headers);
      return reply.code(err.statusCode).send(envelope(req, err.code, err.message, err.details));
    }
    const busy = databaseBusy(err);
    if (busy) {
      // The embedded database's queue is full or this request waited its longest (ADR 16): nothing ran.
      req.log.warn({ retryAfterSeconds: busy.retryAfterSeconds }, busy.message);
      reply.header('retry-after', String(busy.retryAfterSeconds));
      return reply.code(503).send(envelope(req, 'service_unavailable', busy.message));
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err, issues: err.cause.issues }, 'response failed its schema');
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors (bad JSON, body too large, wrong content type): safe, generic messages.
      const code = CODE_BY_STATUS[err.statusCode] ?? 'bad_request';
      return reply.code(err.statusCode).send(envelope(req, code, err.message));
    } else {
      req.log.error({ err }, 'unhandled error');
    }
    return reply
      .code(500)
      .send(envelope(req, 'internal_error', `Internal error; quote request id ${req.id} when reporting it`));
  });
}

export function apiNotFound(req: FastifyRequest, reply: FastifyReply) {
  const path = req.url.split('?')[0];
  return reply.code(404).send(envelope(req, 'not_found', `No route ${req.method} ${path}`));
}
