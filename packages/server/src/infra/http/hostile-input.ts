import type { FieldIssue } from '@aegis/contracts';
import type { FastifyInstance } from 'fastify';
import { errors } from './errors';

/** Nesting deeper than this is refused outright: no request of ours needs it, and walking it costs. */
const MAX_DEPTH = 32;
const NUL = '\u0000';
/**
 * No query parameter or path id of ours needs more (search text, ids, filters); a longer one is
 * refused before a `like` pattern of 200,000 characters keeps the database busy for minutes.
 */
export const MAX_URL_VALUE_LENGTH = 1000;
/** A body of a million bad values is answered with the first few, not a million issues. */
const MAX_ISSUES = 20;

/**
 * Refuses, for every route at once, input that no route can store: a NUL character anywhere in a
 * path parameter, a query parameter or a JSON body (values and keys). PostgreSQL rejects NUL in
 * `text` and `jsonb`, so without this each route failed with a 500 at its first query — on login
 * before the attempt was even counted. It runs as a `preValidation` hook: after the auth guard
 * (a stranger still gets 401 on a protected route) and after the body is parsed, before the
 * route's own schema. The answer is the usual `400 validation_error` naming the field. URL values
 * (query parameters, path ids) are also held to MAX_URL_VALUE_LENGTH characters.
 * Streamed bodies (multipart, uploads) are not parsed here; their readers check their own fields.
 */
export function installHostileInputGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const issues: FieldIssue[] = [];
    findNul(req.params, 'params', 0, issues);
    findNul(req.query, 'query', 0, issues);
    findNul(req.body, 'body', 0, issues);
    findLong(req.params, 'params', issues);
    findLong(req.query, 'query', issues);
    if (issues.length > 0) throw errors.validation(issues);
  });
}

/** Appends an issue for every URL value (a string or a repeated parameter's strings) over the limit. */
function findLong(values: unknown, path: string, issues: FieldIssue[]): void {
  if (values === null || typeof values !== 'object') return;
  for (const [key, value] of Object.entries(values)) {
    const strings = Array.isArray(value) ? value : [value];
    if (strings.some((v) => typeof v === 'string' && v.length > MAX_URL_VALUE_LENGTH))
      issues.push({ path: `${path}.${key}`, message: `must be at most ${MAX_URL_VALUE_LENGTH} characters` });
  }
}

/** Appends an issue for every string (or object key) under `value` holding a NUL character. */
function findNul(value: unknown, path: string, depth: number, issues: FieldIssue[]): void {
  if (issues.length >= MAX_ISSUES) return;
  if (typeof value === 'string') {
    if (value.includes(NUL)) issues.push({ path, message: 'must not contain a NUL character (\\u0000)' });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_DEPTH) {
    issues.push({ path, message: `is nested more than ${MAX_DEPTH} levels deep` });
    return;
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) findNul(item, `${path}.${i}`, depth + 1, issues);
    return;
  }
  // A stream body (uploads) is left to its reader; parsed JSON, query and params objects are walked
  // (the query parser's objects have a prototype-less prototype of their own, so no prototype test).
  if (typeof (value as { pipe?: unknown }).pipe === 'function' || ArrayBuffer.isView(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes(NUL)) {
      issues.push({
        path: `${path}.${key.replaceAll(NUL, '\\u0000')}`,
        message: 'key must not contain a NUL character',
      });
      continue;
    }
    findNul(item, `${path}.${key}`, depth + 1, issues);
  }
}
