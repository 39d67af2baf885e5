import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createAegisClient, type Schemas } from '@aegis/api-client';
import { generateSchema, SCHEMA_FILE } from '@aegis/api-client/generate';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../test/app';
import { buildUser } from '../test/factories';
import { testDbKind } from '../test/support';

/**
 * The client a generator makes from our OpenAPI document (ADR 14): the committed types must be what
 * the current routes generate, and they must describe what the running server really answers.
 * `npm run typecheck` checks the calls below against the generated types.
 */
describe(`generated API client on ${testDbKind}`, async () => {
  const { platform, app } = await startTestApp();

  it('is the one the current document generates (else run `npm run generate:api-client`)', async () => {
    const fresh = await generateSchema(app.swagger());
    const committed = readFileSync(SCHEMA_FILE, 'utf8');
    expect(committed === fresh, 'packages/api-client/src/schema.ts is stale').toBe(true);
  });

  it('makes typed calls against the running server: data, errors and public operations', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    const anonymous = createAegisClient({ baseUrl });
    const health = await anonymous.GET('/health');
    expect(health.response.status).toBe(200);
    expect(health.data?.status).toBe('ok');

    const user = await buildUser(platform, { role: 'red_lead' });
    const login = await anonymous.POST('/auth/login', {
      body: { username: user.username, password: user.password },
    });
    expect(login.response.status).toBe(200);
    const token: string | undefined = login.data?.accessToken;
    expect(token).toBeTruthy();

    const client = createAegisClient({ baseUrl, token });
    const me = await client.GET('/auth/me');
    expect(me.data?.username).toBe(user.username);

    const tests = await client.GET('/tests', { params: { query: { limit: 5, sort: 'title' } } });
    expect(tests.response.status).toBe(200);
    const total: number | undefined = tests.data?.total;
    const items: Schemas['TestCaseSummary'][] | undefined = tests.data?.items;
    expect(total).toBe(0);
    expect(items).toEqual([]);

    const missing = await client.GET('/tests/{id}', { params: { path: { id: randomUUID() } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe('not_found');

    const invalid = await client.POST('/tests', {
      // A deliberately incomplete body: the server answers 400 naming the fields.
      body: { technique: '' } as never,
    });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error?.error.code).toBe('validation_error');

    const anonymousList = await anonymous.GET('/tests');
    expect(anonymousList.response.status).toBe(401);
  });
});
