import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../../../test/app';
import { ATTACK_18, independentCounts } from '../../../test/attack-data';
import { signIn } from '../../../test/factories';
import { ADMIN_PASSWORD, testDbKind, waitFor } from '../../../test/support';
import { enterpriseAttackObjects, startTaxiiServer } from '../../../test/taxii-server';

/** A local web server replaying the real bundle (the "public URL" source, without leaving 127.0.0.1). */
async function bundleServer(): Promise<string> {
  const gz = readFileSync(ATTACK_18);
  const server = createServer((req, res) => {
    if (req.url !== '/enterprise-attack-18.1.json.gz') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': gz.length }).end(gz);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe(`ATT&CK sync through the API and the job queue on ${testDbKind}`, async () => {
  const base = await bundleServer();
  const taxii = await startTaxiiServer({
    collections: [
      {
        id: '95ecc380-afe9-11e4-9b6c-751b66dd541e',
        title: 'Enterprise ATT&CK',
        objects: enterpriseAttackObjects(),
      },
    ],
  });
  afterAll(() => taxii.close());
  const { app, platform } = await startTestApp({
    ATTACK_BUNDLE_URL: `${base}/enterprise-attack-18.1.json.gz`,
  });
  const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  const expected = independentCounts(ATTACK_18);

  const finished = (id: string) =>
    waitFor(
      async () => {
        const run = (
          await app.inject({ url: `/api/v1/system/import-runs/${id}`, headers: admin.bearer })
        ).json();
        return ['succeeded', 'failed'].includes(run.status) && run;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: `import run ${id}` },
    );
  const techniqueTotal = async () =>
    (
      await app.inject({ url: '/api/v1/techniques?subtechniques=exclude&limit=1', headers: admin.bearer })
    ).json().total;

  it('answers an offline source with a failed run naming the host, and leaves the data as it was', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/system/sync-mitre',
      headers: admin.bearer,
      payload: { url: 'http://127.0.0.1:9/enterprise-attack.json' },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'queued', sourceType: 'url' });
    const run = await finished(res.json().id);
    expect(run.status).toBe('failed');
    expect(run.errors[0]).toMatch(/127\.0\.0\.1:9/);
    expect(await techniqueTotal()).toBe(0);
  });

  it('syncs from the configured bundle URL and reports progress, counts and diff', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/system/sync-mitre',
      headers: admin.bearer,
      payload: {},
    });
    expect(res.statusCode).toBe(202);
    const run = await finished(res.json().id);
    expect(run).toMatchObject({
      status: 'succeeded',
      release: '18.1',
      domain: 'enterprise-attack',
      sourceType: 'url',
    });
    expect(run.progress).toMatchObject({ phase: 'done' });
    expect(run.durationMs).toBeGreaterThan(0);
    expect(run.diff.techniques.added.length).toBe(expected.techniques + expected.subtechniques);
    expect(await techniqueTotal()).toBe(expected.techniques);
  });

  it('syncs from a TAXII 2.1 collection, paging through it, and finds nothing new', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/system/sync-mitre',
      headers: admin.bearer,
      payload: { source: 'taxii', url: taxii.url },
    });
    const run = await finished(res.json().id);
    expect(run).toMatchObject({ status: 'succeeded', sourceType: 'taxii' });
    expect(run.counts.unchanged).toBe(true);
    expect(taxii.requests.filter((r) => r.includes('/objects/')).length).toBeGreaterThan(10);
  });

  it('imports an uploaded bundle and refuses a file that is not STIX', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/v1/system/import-runs?filename=notes.json',
      headers: { ...admin.bearer, 'content-type': 'application/json' },
      payload: '{"not": "stix"}',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'bad_request', details: { field: 'body' } });
    expect(bad.json().error.message).toMatch(/not a STIX bundle/);
    const ok = await app.inject({
      method: 'POST',
      url: '/api/v1/system/import-runs?filename=enterprise-attack-18.1.json.gz',
      headers: { ...admin.bearer, 'content-type': 'application/gzip' },
      payload: readFileSync(ATTACK_18),
    });
    expect(ok.statusCode).toBe(202);
    const run = await finished(ok.json().id);
    expect(run).toMatchObject({
      status: 'succeeded',
      sourceType: 'upload',
      release: '18.1',
      filename: 'enterprise-attack-18.1.json.gz',
    });
    expect(run.counts.unchanged).toBe(true);
  });

  it('lists the runs newest first', async () => {
    const list = (await app.inject({ url: '/api/v1/system/import-runs', headers: admin.bearer })).json();
    expect(list.total).toBe(4);
    expect(list.items.map((r: { sourceType: string }) => r.sourceType)).toEqual([
      'upload',
      'taxii',
      'url',
      'url',
    ]);
  });

  it('keeps the real reason of a failed upload, and does not retry what retrying cannot fix', async () => {
    // STIX, so the upload is taken (202); only the import finds no ATT&CK in it.
    const bundle = {
      type: 'bundle',
      id: 'bundle--5b3c2d6e-0f1a-4b2c-9d3e-4f5a6b7c8d9e',
      spec_version: '2.0',
      objects: [
        {
          type: 'identity',
          id: 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5',
          created: '2017-06-01T00:00:00.000Z',
          modified: '2017-06-01T00:00:00.000Z',
          name: 'The MITRE Corporation',
          identity_class: 'organization',
        },
      ],
    };
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/system/import-runs?filename=identity-only.json',
      headers: { ...admin.bearer, 'content-type': 'application/json' },
      payload: JSON.stringify(bundle),
    });
    expect(res.statusCode).toBe(202);
    const id: string = res.json().id;
    // pg-boss's record of the job once it is final: a retried job would show its retries here.
    const job = await waitFor(
      async () => {
        const r = await platform.database.db.execute<{ state: string; retry_count: number }>(
          sql`select state, retry_count from pgboss.job where name = 'attack.sync' and data->>'runId' = ${id}`,
        );
        const row = r.rows[0];
        return row && ['completed', 'failed'].includes(row.state) && row;
      },
      { timeoutMs: 60_000, intervalMs: 200, what: 'the import job to be final' },
    );
    expect(job).toMatchObject({ state: 'failed', retry_count: 0 });
    const run = (await app.inject({ url: `/api/v1/system/import-runs/${id}`, headers: admin.bearer })).json();
    expect(run).toMatchObject({
      status: 'failed',
      errors: ['The bundle holds no ATT&CK objects (no matrix and no x_mitre_domains to tell the domain)'],
    });
    // Over for good, so the upload went with it.
    await expect(platform.storage.get(run.source)).rejects.toThrow(/not found/);
  });
});
