import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { impliedErrorStatuses, installOperationConventions } from './openapi';

function zodApp(): FastifyInstance {
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installOperationConventions(app, '/api/v1');
  return app;
}

async function buildError(add: (app: FastifyInstance) => void): Promise<unknown> {
  const app = zodApp();
  try {
    add(app);
    await app.ready();
  } catch (err) {
    return err;
  } finally {
    await app.close();
  }
  return undefined;
}

const ok = async () => ({});

describe('operation conventions (ADR 14)', () => {
  it('refuses an API route without a camelCase operationId, or with one already taken', async () => {
    expect(
      await buildError((app) => app.get('/api/v1/things', { config: { auth: 'public' } }, ok)),
    ).toMatchObject({
      message: 'GET /api/v1/things declares no camelCase schema.operationId (e.g. listTests, getTest)',
    });
    expect(
      await buildError((app) =>
        app.get('/api/v1/things', { config: { auth: 'public' }, schema: { operationId: 'list-things' } }, ok),
      ),
    ).toBeInstanceOf(Error);
    expect(
      await buildError((app) => {
        app.get('/api/v1/things', { config: { auth: 'public' }, schema: { operationId: 'listThings' } }, ok);
        app.get('/api/v1/others', { config: { auth: 'public' }, schema: { operationId: 'listThings' } }, ok);
      }),
    ).toMatchObject({ message: 'GET /api/v1/others reuses operationId listThings of GET /api/v1/things' });
    // Outside the API (web app files, docs) nothing is required.
    expect(await buildError((app) => app.get('/favicon.svg', ok))).toBeUndefined();
  });

  it.each([
    ['a public read without input', 'GET', '/health', 'public', {}, [401]],
    [
      'a signed-in list with a query',
      'GET',
      '/tests',
      'authenticated',
      { querystring: z.object({}) },
      [400, 401],
    ],
    [
      'a signed-in change of one thing',
      'PATCH',
      '/tests/:id',
      'authenticated',
      { params: z.object({}), body: z.object({}) },
      [400, 401, 403, 404, 413, 415],
    ],
    [
      'a role-restricted read of one thing',
      'GET',
      '/users/:id',
      { roles: ['admin'] },
      { params: z.object({}) },
      [400, 401, 403, 404],
    ],
    ['a public sign-in', 'POST', '/auth/login', 'public', { body: z.object({}) }, [400, 401, 403, 413, 415]],
    [
      'an upload',
      'POST',
      '/system/import-runs',
      { roles: ['admin'] },
      { requestFile: { contentTypes: ['application/gzip'], description: 'x' } },
      [400, 401, 403, 413, 415],
    ],
  ] as const)('implies the statuses of %s', (_what, method, url, auth, schema, statuses) => {
    expect(
      impliedErrorStatuses({ method, url, auth, schema: schema as RouteOptions['schema'] & object }),
    ).toEqual(statuses);
  });

  it('marks public routes unsecured and adds the implied error responses to the route', async () => {
    const app = zodApp();
    const seen: Record<string, RouteOptions['schema']> = {};
    app.addHook('onRoute', (route) => {
      if (route.method === 'GET') seen[route.url] = route.schema;
    });
    app.get('/api/v1/health', { config: { auth: 'public' }, schema: { operationId: 'getHealth' } }, ok);
    app.get('/api/v1/me', { config: { auth: 'authenticated' }, schema: { operationId: 'getMe' } }, ok);
    await app.ready();
    await app.close();
    expect(seen['/api/v1/health']?.security).toEqual([]);
    expect(seen['/api/v1/me']?.security).toBeUndefined();
    expect(Object.keys(seen['/api/v1/me']?.response ?? {})).toEqual(['401']);
  });
});
