import { ERROR_STATUS_MEANING, ErrorEnvelope, type ErrorStatus } from '@aegis/contracts';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { RouteAuth } from './modules/auth';

/**
 * The API as a client generator sees it (ADR 14). Every /api/v1 operation names itself
 * (`schema.operationId`, a camelCase verb such as `listTests`, unique), public ones carry no security
 * requirement, and each declares the error envelope for the 4xx statuses its inputs and guard imply;
 * a route adds the ones its rules add with `errorResponses(409, …)` from contracts.
 */

declare module 'fastify' {
  interface FastifySchema {
    /**
     * Documentation only: a request body Fastify does not parse as JSON (an upload). Multipart
     * bodies list their form fields; raw bodies are the file itself.
     */
    requestFile?: {
      contentTypes: readonly string[];
      description: string;
      /** Multipart only: the form fields besides `file`, with what each is. */
      fields?: Readonly<Record<string, string>>;
    };
    /** Documentation only: a 200 that is not JSON (a file of any type, an event stream). */
    rawResponse?: { contentType: string; description: string };
  }
}

const OPERATION_ID = /^[a-z][a-zA-Z0-9]*$/;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The 4xx statuses an operation can answer whatever its rules, from its inputs and its guard. */
export function impliedErrorStatuses(route: {
  method: string;
  url: string;
  auth: RouteAuth;
  schema: FastifySchema;
}): ErrorStatus[] {
  const { schema } = route;
  const hasBody = schema.body !== undefined || schema.requestFile !== undefined;
  const statuses: ErrorStatus[] = [];
  if (hasBody || schema.querystring !== undefined || schema.params !== undefined) statuses.push(400);
  // A malformed Authorization header is refused even on public routes.
  statuses.push(401);
  if (typeof route.auth === 'object' || !SAFE_METHODS.has(route.method)) statuses.push(403);
  if (route.url.includes(':')) statuses.push(404);
  if (hasBody) statuses.push(413, 415);
  return statuses;
}

function errorResponse(status: ErrorStatus) {
  return {
    description: ERROR_STATUS_MEANING[status],
    content: { 'application/json': { schema: ErrorEnvelope } },
  };
}

/**
 * Checks and completes every /api/v1 route as it is added: an operationId (the app fails to build
 * without one, or with one taken), no security requirement on public routes, the implied error
 * responses (validated at run time like every response). Installed before the routes.
 */
export function installOperationConventions(app: FastifyInstance, prefix: string): void {
  const taken = new Map<string, string>();
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith(prefix) || route.method === 'HEAD') return;
    const method = [route.method].flat().join(',');
    const where = `${method} ${route.url}`;
    const schema: FastifySchema = route.schema ?? {};
    const id = schema.operationId;
    if (!id || !OPERATION_ID.test(id))
      throw new Error(`${where} declares no camelCase schema.operationId (e.g. listTests, getTest)`);
    const other = taken.get(id);
    if (other) throw new Error(`${where} reuses operationId ${id} of ${other}`);
    taken.set(id, where);

    const auth = route.config?.auth;
    if (!auth) return; // the auth guard refuses the route with its own message
    const declared = (schema.response ?? {}) as Record<string, unknown>;
    const implied = impliedErrorStatuses({ method, url: route.url, auth, schema });
    route.schema = {
      ...schema,
      ...(auth === 'public' ? { security: [] } : {}),
      response: {
        ...Object.fromEntries(implied.map((status) => [status, errorResponse(status)])),
        ...declared,
      },
    };
  });
}

const BINARY = { type: 'string', format: 'binary' } as const;

/**
 * The zod transform, plus the documentation-only request and response files of uploads and
 * downloads; paths are written relative to the API prefix, which is the document's server.
 */
const transformFor =
  (prefix: string): typeof jsonSchemaTransform =>
  (input) => {
    const out = jsonSchemaTransform(input);
    if (out.url.startsWith(`${prefix}/`)) out.url = out.url.slice(prefix.length);
    const { requestFile, rawResponse } = input.schema as FastifySchema;
    const schema = out.schema as Record<string, unknown>;
    if (requestFile) {
      schema.consumes = requestFile.contentTypes;
      schema.body = requestFile.contentTypes.includes('multipart/form-data')
        ? {
            type: 'object',
            description: requestFile.description,
            required: ['file'],
            properties: {
              file: { ...BINARY, description: 'the file' },
              ...Object.fromEntries(
                Object.entries(requestFile.fields ?? {}).map(([name, what]) => [
                  name,
                  { type: 'string', description: what },
                ]),
              ),
            },
          }
        : { ...BINARY, description: requestFile.description };
      delete schema.requestFile;
    }
    if (rawResponse) {
      const body = rawResponse.contentType === 'application/octet-stream' ? BINARY : { type: 'string' };
      schema.response = {
        ...(schema.response as Record<string, unknown>),
        200: {
          description: rawResponse.description,
          content: { [rawResponse.contentType]: { schema: body } },
        },
      };
      delete schema.rawResponse;
    }
    return out;
  };

/**
 * Named zod schemas become components; the zod transform writes an input and an output variant of
 * each, and a variant no operation uses is dropped (it would only be noise in a generated client).
 */
const transformObject: typeof jsonSchemaTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input) as { components?: { schemas?: Record<string, unknown> } };
  const schemas = document.components?.schemas;
  if (schemas) {
    for (const name of Object.keys(schemas)) {
      const { [name]: _self, ...others } = schemas;
      const text = JSON.stringify({ ...document, components: { ...document.components, schemas: others } });
      if (!text.includes(`"#/components/schemas/${name}"`)) delete schemas[name];
    }
  }
  return document as ReturnType<typeof jsonSchemaTransformObject>;
};

/** The OpenAPI document (served at /api/docs outside production) built from the route schemas. */
export async function registerOpenApi(
  app: FastifyInstance,
  options: { version: string; prefix: string },
): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Aegis API',
        version: options.version,
        description:
          'Proven MITRE ATT&CK coverage. Errors use one envelope: {error: {code, message, details?, requestId}}. ' +
          'Authenticate with `Authorization: Bearer <token>` (access token from /auth/login, or a personal API token); ' +
          'the web app uses the session cookie set by /auth/login plus an `x-csrf-token` header on changes.',
      },
      // Relative: the document describes whichever host serves it.
      servers: [{ url: options.prefix, description: 'this Aegis server' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'access token or personal API token' },
          session: { type: 'apiKey', in: 'cookie', name: 'aegis_session', description: 'browser session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: transformFor(options.prefix),
    transformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true });
}
