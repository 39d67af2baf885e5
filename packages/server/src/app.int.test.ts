import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gzipSync } from 'node:zlib';
import { ErrorEnvelope, Health } from '@aegis/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { signedInAs, signIn } from '../test/factories';
import { ADMIN_PASSWORD, startTestPlatform, TEST_SECRET, tempDir, testDbKind } from '../test/support';
import { buildApp } from './app';
import { errors } from './infra/http';

describe(`HTTP app on ${testDbKind}`, async () => {
  const platform = await startTestPlatform();
  const webDir = tempDir();
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Aegis</title><div id="root"></div>');
  writeFileSync(path.join(webDir, 'assets', 'app-abc123.js'), 'console.log(1)');
  // What the web build's precompress step writes beside a large enough file.
  const bundle = `console.log(${JSON.stringify('x'.repeat(2000))})`;
  writeFileSync(path.join(webDir, 'assets', 'bundle-def456.js'), bundle);
  writeFileSync(path.join(webDir, 'assets', 'bundle-def456.js.br'), brotliCompressSync(bundle));
  writeFileSync(path.join(webDir, 'assets', 'bundle-def456.js.gz'), gzipSync(bundle));
  const app = await buildApp(platform, { webDir });
  // Probe routes exercising the shared error paths (registered only in this test).
  app.post(
    '/api/v1/__probe',
    {
      config: { auth: 'public' },
      schema: {
        operationId: 'probe',
        body: z.object({ name: z.string().min(3), tags: z.array(z.string()).max(2) }),
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async () => ({ ok: true }),
  );
  app.get('/api/v1/__boom', { config: { auth: 'public' }, schema: { operationId: 'boom' } }, async () => {
    throw new Error('relation "secret_table" does not exist at /srv/app/x.ts:12');
  });
  app.get(
    '/api/v1/__conflict',
    { config: { auth: 'public' }, schema: { operationId: 'conflict' } },
    async () => {
      throw errors.conflict('Test is already validated', { allowed: ['reopen'] });
    },
  );
  app.get(
    '/api/v1/__badresponse',
    {
      config: { auth: 'public' },
      schema: { operationId: 'badResponse', response: { 200: z.object({ count: z.number() }) } },
    },
    async () => ({ count: 'many' }) as never,
  );
  await app.ready();
  afterAll(() => app.close());

  it('tells anyone but an admin the status only', async () => {
    const anonymous = await app.inject({ method: 'GET', url: '/api/v1/health' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ status: 'ok' });
    const viewer = await signedInAs(platform, app, 'viewer');
    const signedIn = await app.inject({ method: 'GET', url: '/api/v1/health', headers: viewer.bearer });
    expect(signedIn.json()).toEqual({ status: 'ok' });
  });

  it('answers an admin health with version, mode, uptime and db, storage and jobs ok', async () => {
    const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
    const res = await app.inject({ method: 'GET', url: '/api/v1/health', headers: admin.bearer });
    expect(res.statusCode).toBe(200);
    const body = Health.parse(res.json());
    expect(body.status).toBe('ok');
    expect(body.mode).toBe(testDbKind === 'pglite' ? 'embedded' : 'server');
    expect(body.checks.db.status).toBe('ok');
    expect(body.checks.storage.status).toBe('ok');
    expect(body.checks.jobs.status).toBe('ok');
  });

  it('refuses a NUL character in any body field, query parameter, path id or key, naming the field', async () => {
    const body = await app.inject({
      method: 'POST',
      url: '/api/v1/__probe',
      payload: { name: 'ab\u0000c', tags: ['ok', '\u0000'] },
    });
    expect(body.statusCode).toBe(400);
    expect(body.json().error.code).toBe('validation_error');
    expect(body.json().error.details.issues.map((i: { path: string }) => i.path)).toEqual([
      'body.name',
      'body.tags.1',
    ]);
    const key = await app.inject({
      method: 'POST',
      url: '/api/v1/__probe',
      payload: { name: 'abc', tags: [], 'x\u0000': 1 },
    });
    expect(key.json().error.details.issues[0].path).toBe('body.x\\u0000');
    const query = await app.inject({ method: 'GET', url: '/api/v1/__conflict?q=a%00b' });
    expect(query.statusCode).toBe(400);
    expect(query.json().error.message).toContain('query.q');
    const viewer = await signedInAs(platform, app, 'viewer');
    const param = await app.inject({
      method: 'GET',
      url: '/api/v1/techniques/T1059%00',
      headers: viewer.bearer,
    });
    expect(param.statusCode).toBe(400);
    expect(param.json().error.details.issues[0].path).toBe('params.id');
  });

  it('answers unknown API routes with the error envelope', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/does-not-exist?x=1' });
    expect(res.statusCode).toBe(404);
    const body = ErrorEnvelope.parse(res.json());
    expect(body.error.code).toBe('not_found');
    expect(body.error.message).toBe('No route GET /api/v1/does-not-exist');
    expect(body.error.requestId).toBe(res.headers['x-request-id']);
  });

  it('names every invalid field in a validation error', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/__probe',
      payload: { name: 'ab', tags: ['a', 'b', 'c'] },
    });
    expect(res.statusCode).toBe(400);
    const body = ErrorEnvelope.parse(res.json());
    expect(body.error.code).toBe('validation_error');
    const issues = (body.error.details as { issues: Array<{ path: string }> }).issues.map((i) => i.path);
    expect(issues.sort()).toEqual(['body.name', 'body.tags']);
    expect(body.error.message).toMatch(/body\.name/);
  });

  it('names a missing field', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/__probe', payload: { tags: [] } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].path).toBe('body.name');
  });

  it('answers malformed JSON with a 400 envelope', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/__probe',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(ErrorEnvelope.parse(res.json()).error.code).toBe('bad_request');
  });

  it('answers an oversized body with 413', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/__probe',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024), tags: [] }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('hides internal errors behind a request id', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/__boom',
      headers: { 'x-request-id': 'lb-trace-0001' },
    });
    expect(res.statusCode).toBe(500);
    expect(res.headers['x-request-id']).toBe('lb-trace-0001');
    expect(res.json()).toEqual({
      error: {
        code: 'internal_error',
        message: 'Internal error; quote request id lb-trace-0001 when reporting it',
        requestId: 'lb-trace-0001',
      },
    });
    expect(res.body).not.toMatch(/secret_table|\.ts:|at /);
  });

  it('replaces an unsafe incoming request id', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/health',
      headers: { 'x-request-id': 'bad id\nwith newline' },
    });
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('maps application errors to their status and code', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/__conflict' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'conflict', details: { allowed: ['reopen'] } });
  });

  it('validates responses too: a handler breaking its schema is a 500, not bad data', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/v1/__badresponse' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error.code).toBe('internal_error');
  });

  it('serves OpenAPI generated from the zod schemas outside production', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/api/v1' })]);
    expect(doc.paths['/health'].get.responses['200']).toBeDefined();
    expect((await app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
  });

  it('describes every operation as a client generator needs it (ADR 14)', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as {
      paths: Record<
        string,
        Record<string, { operationId?: string; security?: unknown[]; responses: object }>
      >;
    };
    const operations = Object.entries(doc.paths).flatMap(([url, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ where: `${method} ${url}`, ...op })),
    );
    expect(operations.length).toBeGreaterThan(70);
    const ids = operations.map((o) => o.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][a-zA-Z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const without4xx = operations.filter((o) => !Object.keys(o.responses).some((s) => s.startsWith('4')));
    expect(without4xx.map((o) => o.where)).toEqual([]);
    const byId = Object.fromEntries(operations.map((o) => [o.operationId, o]));
    // Public operations need no credentials; the others inherit bearer or session cookie.
    expect(byId.getHealth?.security).toEqual([]);
    expect(byId.login?.security).toEqual([]);
    expect(byId.listTests?.security).toBeUndefined();
    expect(Object.keys(byId.getTest?.responses ?? {})).toEqual(
      expect.arrayContaining(['200', '400', '401', '404']),
    );
    expect(Object.keys(byId.login?.responses ?? {})).toEqual(expect.arrayContaining(['400', '429']));
  });

  it('answers a declared error status with the envelope (error responses are validated too)', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/v1/tests/not-a-uuid',
      headers: { authorization: 'Bearer x' },
    });
    expect(res.statusCode).toBe(401);
    expect(ErrorEnvelope.parse(res.json()).error.code).toBe('unauthorized');
  });

  it('serves the web app at / whatever the Accept header (a plain curl of the printed URL)', async () => {
    for (const headers of [{}, { accept: '*/*' }, { accept: 'application/json' }]) {
      const res = await app.inject({ method: 'GET', url: '/', headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('<div id="root">');
    }
    const api = await app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/json');
  });

  it('serves the web app at / and for client-side routes, with caching by asset kind', async () => {
    const root = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('<div id="root">');
    const deep = await app.inject({
      method: 'GET',
      url: '/techniques/T1059',
      headers: { accept: 'text/html' },
    });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<div id="root">');
    const asset = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    const missingAsset = await app.inject({ method: 'GET', url: '/assets/nope.js' });
    expect(missingAsset.statusCode).toBe(404);
  });

  it('compresses API answers of 1 KB and more for clients that accept it', async () => {
    const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
    const url = '/api/v1/system/scheduler';
    const plain = await app.inject({ method: 'GET', url, headers: admin.bearer });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(1024);
    const br = await app.inject({
      method: 'GET',
      url,
      headers: { ...admin.bearer, 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.headers).toMatchObject({
      'content-encoding': 'br',
      vary: expect.stringContaining('accept-encoding'),
    });
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(plain.json());
    // Small answers are not worth it.
    const health = await app.inject({
      method: 'GET',
      url: '/api/v1/health',
      headers: { 'accept-encoding': 'br' },
    });
    expect(health.headers['content-encoding']).toBeUndefined();
  });

  it('sends the compressed copy of an asset the browser accepts, and the plain file otherwise', async () => {
    const url = '/assets/bundle-def456.js';
    const br = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.statusCode).toBe(200);
    expect(br.headers).toMatchObject({
      'content-encoding': 'br',
      vary: expect.stringContaining('accept-encoding'),
    });
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers['cache-control']).toContain('immutable');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(bundle);
    const gz = await app.inject({ method: 'GET', url, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await app.inject({ method: 'GET', url });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(bundle);
    // A file without compressed copies is sent as it is, whatever the browser accepts.
    const small = await app.inject({
      method: 'GET',
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': 'br' },
    });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body).toBe('console.log(1)');
  });
});

describe('HTTP app in production mode', async () => {
  const platform = await startTestPlatform({
    AEGIS_ENV: 'production',
    SECRET_KEY: TEST_SECRET,
  });
  const app = await buildApp(platform, { webDir: tempDir() });
  await app.ready();
  afterAll(() => app.close());

  it('does not serve API docs', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/docs/json' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(404);
  });

  it('says the web app is not built when it is missing', async () => {
    const res = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(503);
    expect(res.body).toMatch(/npm run build/);
  });
});
