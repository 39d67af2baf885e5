import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };
/** The named resources: `Schemas['TestCase']`, `Schemas['User']`, … */
export type Schemas = components['schemas'];
/** The one error envelope every 4xx/5xx carries. */
export type ApiError = Schemas['ErrorEnvelope'];

export interface AegisClientOptions {
  /** The server's address, e.g. `http://127.0.0.1:8000` (the API prefix is added). */
  baseUrl: string;
  /** An access token from `login` or a personal API token (`aegis_pat_…`). */
  token?: string;
  fetch?: typeof globalThis.fetch;
}

/**
 * A typed client of the Aegis API (openapi-fetch over the generated `paths`): every path, parameter,
 * body and response — errors included — is checked by the compiler.
 */
export function createAegisClient(options: AegisClientOptions): Client<paths> {
  const client = createClient<paths>({
    baseUrl: `${options.baseUrl.replace(/\/+$/, '')}/api/v1`,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (options.token) {
    const bearer: Middleware = {
      onRequest({ request }) {
        request.headers.set('authorization', `Bearer ${options.token}`);
        return request;
      },
    };
    client.use(bearer);
  }
  return client;
}
