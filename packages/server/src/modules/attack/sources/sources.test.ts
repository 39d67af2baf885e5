import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dateAdded,
  enterpriseAttackObjects,
  medallionCollections,
  startTaxiiServer,
  type TaxiiTestServer,
} from '../../../../test/taxii-server';
import { SourceError, toSourceError } from './errors';
import { fetchBundle } from './http-bundle';
import { fetchTaxiiObjects, TAXII_MEDIA_TYPE } from './taxii';

// The shared recorded data lives beside the repository: <repo root>/../shared/data.
const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  '..',
  '..',
);
const sharedData = path.resolve(repoRoot, '..', 'shared', 'data');
const attackGzPath = path.join(sharedData, 'attack', 'enterprise-attack-18.1.json.gz');
const medallionPath = path.join(sharedData, 'taxii', 'medallion-default_data.json');

const ENTERPRISE_ID = 'x-mitre-collection--1f5f1533-f617-4ca8-9ab4-6a02367fa019';

interface MedallionCollection {
  id: string;
  title: string;
  can_read: boolean;
  objects?: Array<{ id: string }>;
}
const medallion = JSON.parse(readFileSync(medallionPath, 'utf8')) as {
  trustgroup1: { collections: MedallionCollection[] };
};
const bundleIds = (
  JSON.parse(gunzipSync(readFileSync(attackGzPath)).toString('utf8')) as { objects: Array<{ id: string }> }
).objects.map((o) => o.id);

function idsOf(objects: unknown[]): string[] {
  return objects.map((o) => (o as { id: string }).id);
}

function objectRequests(server: TaxiiTestServer): URL[] {
  return server.requests.filter((r) => r.includes('/objects/')).map((r) => new URL(r, 'http://127.0.0.1'));
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function sourceError(promise: Promise<unknown>): Promise<SourceError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(SourceError);
  return error as SourceError;
}

/** A plain HTTP server for the cases a well-behaved TAXII server never produces. */
async function startStub(handler: http.RequestListener): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port that was just in use on 127.0.0.1 and is now closed. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('fetchTaxiiObjects', () => {
  let server: TaxiiTestServer;
  beforeAll(async () => {
    server = await startTaxiiServer({
      collections: [
        { id: ENTERPRISE_ID, title: 'Enterprise ATT&CK', objects: enterpriseAttackObjects() },
        ...medallionCollections(),
      ],
    });
  });
  afterAll(() => server.close());

  it('pages the whole Enterprise ATT&CK collection by id, following next', async () => {
    const progress: Array<{ pages: number; objects: number }> = [];
    server.requests.length = 0;
    const result = await fetchTaxiiObjects({
      url: server.url,
      collectionId: ENTERPRISE_ID,
      pageSize: 1000,
      onProgress: (p) => progress.push(p),
    });

    expect(result.objects).toHaveLength(24_771);
    const ids = idsOf(result.objects);
    expect(new Set(ids).size).toBe(24_771);
    expect(ids).toEqual(bundleIds);
    expect(result.pages).toBe(25);
    expect(result.collection).toEqual({ id: ENTERPRISE_ID, title: 'Enterprise ATT&CK' });
    expect(result.apiRoot).toBe(server.apiRoot);
    expect(progress).toHaveLength(25);
    expect(progress.at(-1)).toEqual({ pages: 25, objects: 24_771 });

    expect(server.requests.slice(0, 3)).toEqual(['/taxii2/', '/api1/', '/api1/collections/']);
    const pages = objectRequests(server);
    expect(pages).toHaveLength(25);
    expect(pages.every((u) => u.pathname === `/api1/collections/${ENTERPRISE_ID}/objects/`)).toBe(true);
    expect(pages.every((u) => u.searchParams.get('limit') === '1000')).toBe(true);
    expect(pages[0]?.searchParams.has('next')).toBe(false);
    const nexts = pages.slice(1).map((u) => u.searchParams.get('next'));
    expect(nexts.every((n) => n !== null && n.length > 0)).toBe(true);
    expect(new Set(nexts).size).toBe(24);
  });

  it('finds a collection by title, case-insensitively, from an API root URL too', async () => {
    const byTitle = await fetchTaxiiObjects({ url: server.url, collectionTitle: 'enterprise att&ck' });
    expect(byTitle.collection.id).toBe(ENTERPRISE_ID);
    expect(byTitle.objects).toHaveLength(24_771);

    server.requests.length = 0;
    const fromRoot = await fetchTaxiiObjects({ url: server.apiRoot, collectionTitle: 'HIGH VALUE' });
    expect(fromRoot.collection.title).toBe('High Value Indicator Collection');
    expect(fromRoot.apiRoot).toBe(server.apiRoot);
    expect(server.requests[0]).toBe('/api1/');
    expect(server.requests).not.toContain('/taxii2/');
  });

  it('fetches every readable medallion collection object for object', async () => {
    const readable = medallion.trustgroup1.collections.filter((c) => c.can_read);
    expect(readable.length).toBeGreaterThan(1);
    for (const collection of readable) {
      const expected = collection.objects ?? [];
      const result = await fetchTaxiiObjects({ url: server.url, collectionId: collection.id, pageSize: 3 });
      expect(result.objects).toHaveLength(expected.length);
      expect(result.objects).toEqual(expected);
      expect(result.pages).toBe(Math.max(1, Math.ceil(expected.length / 3)));
    }
    const counts = Object.fromEntries(readable.map((c) => [c.title, c.objects?.length ?? 0]));
    expect(counts['High Value Indicator Collection']).toBe(8);
  });

  it('refuses a collection the server marks can_read: false', async () => {
    const secret = medallion.trustgroup1.collections.find((c) => !c.can_read);
    if (!secret) throw new Error('the medallion data should have an unreadable collection');
    const error = await sourceError(fetchTaxiiObjects({ url: server.url, collectionId: secret.id }));
    expect(error.code).toBe('bad_response');
    expect(error.message).toContain('cannot be read');
    expect(error.message).toContain(secret.id);
  });

  it('sends added_after on every page and gets only later objects', async () => {
    server.requests.length = 0;
    const result = await fetchTaxiiObjects({
      url: server.url,
      collectionId: ENTERPRISE_ID,
      addedAfter: dateAdded(24_000),
      pageSize: 500,
    });
    expect(idsOf(result.objects)).toEqual(bundleIds.slice(24_001));
    expect(result.objects).toHaveLength(770);
    expect(result.pages).toBe(2);
    const pages = objectRequests(server);
    expect(pages.map((u) => u.searchParams.get('added_after'))).toEqual([
      dateAdded(24_000),
      dateAdded(24_000),
    ]);
    expect(pages[1]?.searchParams.has('next')).toBe(true);
  });

  it('returns nothing when nothing was added after the timestamp', async () => {
    const result = await fetchTaxiiObjects({
      url: server.url,
      collectionId: ENTERPRISE_ID,
      addedAfter: '2030-01-01T00:00:00.000Z',
    });
    expect(result.objects).toEqual([]);
    expect(result.pages).toBe(1);
  });

  it('always asks for TAXII 2.1, even when the caller passes another Accept', async () => {
    server.acceptHeaders.length = 0;
    await fetchTaxiiObjects({
      url: server.url,
      collectionTitle: 'high value',
      headers: { Accept: 'application/json' },
    });
    expect(server.acceptHeaders.length).toBeGreaterThan(3);
    expect(new Set(server.acceptHeaders)).toEqual(new Set([TAXII_MEDIA_TYPE]));
  });

  it('refuses a page larger than maxResponseBytes', async () => {
    const error = await sourceError(
      fetchTaxiiObjects({ url: server.url, collectionId: ENTERPRISE_ID, maxResponseBytes: 100 * 1024 }),
    );
    expect(error.code).toBe('too_large');
  });

  it('lists the available collections when the id is unknown', async () => {
    const error = await sourceError(
      fetchTaxiiObjects({ url: server.url, collectionId: 'no-such-collection' }),
    );
    expect(error.code).toBe('bad_response');
    expect(error.message).toContain('No collection with id no-such-collection');
    expect(error.message).toContain('"Enterprise ATT&CK"');
  });
});

describe('the test TAXII server', () => {
  it('answers 406 unless Accept names TAXII 2.1, and 404 for an unknown collection', async () => {
    const server = await startTaxiiServer({ collections: medallionCollections() });
    try {
      for (const accept of ['application/json', 'application/taxii+json;version=2.0', '*/*']) {
        const response = await fetch(server.url, { headers: { accept } });
        expect(response.status, accept).toBe(406);
        expect(response.headers.get('content-type')).toBe(TAXII_MEDIA_TYPE);
      }
      for (const accept of [TAXII_MEDIA_TYPE, 'application/taxii+json']) {
        expect((await fetch(server.url, { headers: { accept } })).status, accept).toBe(200);
      }
      const unknown = await fetch(`${server.apiRoot}collections/nope/objects/`, {
        headers: { accept: TAXII_MEDIA_TYPE },
      });
      expect(unknown.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});

describe('fetchTaxiiObjects against other server behaviours', () => {
  it('passes the Authorization header through', async () => {
    const server = await startTaxiiServer({
      collections: medallionCollections(),
      requireAuth: 'Bearer s3cret',
    });
    try {
      const refused = await sourceError(
        fetchTaxiiObjects({ url: server.url, collectionTitle: 'high value' }),
      );
      expect(refused.code).toBe('http_status');
      expect(refused.details.status).toBe(401);
      expect(refused.message).toContain('credentials');

      const result = await fetchTaxiiObjects({
        url: server.url,
        collectionTitle: 'high value',
        headers: { Authorization: 'Bearer s3cret' },
      });
      expect(result.objects).toHaveLength(8);
    } finally {
      await server.close();
    }
  });

  it('accepts pages smaller than asked and resumes from X-TAXII-Date-Added-Last without next', async () => {
    const server = await startTaxiiServer({
      collections: medallionCollections(),
      pageSize: 3,
      pagination: 'date-added',
    });
    try {
      const result = await fetchTaxiiObjects({
        url: server.url,
        collectionTitle: 'high value',
        pageSize: 100,
      });
      expect(result.objects).toHaveLength(8);
      expect(result.pages).toBe(3);
      const pages = objectRequests(server);
      expect(pages.map((u) => u.searchParams.get('added_after'))).toEqual([null, dateAdded(2), dateAdded(5)]);
      expect(pages.some((u) => u.searchParams.has('next'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('turns HTTP 500 into http_status, with the status', async () => {
    const [high] = medallionCollections().filter((c) => c.title.startsWith('High Value'));
    if (!high) throw new Error('missing fixture');
    const server = await startTaxiiServer({
      collections: [high],
      failures: [{ path: `/api1/collections/${high.id}/objects/`, status: 500 }],
    });
    try {
      const error = await sourceError(fetchTaxiiObjects({ url: server.url, collectionId: high.id }));
      expect(error.code).toBe('http_status');
      expect(error.details.status).toBe(500);
      expect(error.message).toMatch(/answered 500 .*Injected failure/);
    } finally {
      await server.close();
    }
  });

  it('reports a closed port as offline, naming host and port', async () => {
    const port = await closedPort();
    const error = await sourceError(fetchTaxiiObjects({ url: `http://127.0.0.1:${port}/taxii2/` }));
    expect(error.code).toBe('offline');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('aegis import attack <file>');
  });

  it('refuses an answer that is not TAXII JSON', async () => {
    const stub = await startStub((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>hello</html>');
    });
    try {
      const error = await sourceError(fetchTaxiiObjects({ url: `${stub.origin}/taxii2/` }));
      expect(error.code).toBe('bad_response');
      expect(error.message).toContain('text/html');
    } finally {
      await stub.close();
    }
  });

  it('stops on a looping next and on a malformed envelope', async () => {
    let objectsBody: unknown = {
      more: true,
      next: 'same',
      objects: [{ type: 'identity', id: 'identity--1' }],
    };
    const stub = await startStub((req, res) => {
      res.writeHead(200, { 'content-type': TAXII_MEDIA_TYPE });
      if (req.url === '/root/')
        return res.end(JSON.stringify({ title: 'root', versions: [TAXII_MEDIA_TYPE] }));
      if (req.url === '/root/collections/') {
        return res.end(JSON.stringify({ collections: [{ id: 'c1', title: 'Only', can_read: true }] }));
      }
      return res.end(JSON.stringify(objectsBody));
    });
    try {
      const looping = await sourceError(fetchTaxiiObjects({ url: `${stub.origin}/root/` }));
      expect(looping.code).toBe('bad_response');
      expect(looping.message).toContain('looping');

      objectsBody = { more: false, objects: [{ name: 'no type or id' }] };
      const malformed = await sourceError(fetchTaxiiObjects({ url: `${stub.origin}/root` }));
      expect(malformed.code).toBe('bad_response');
      expect(malformed.message).toContain('objects.0');
    } finally {
      await stub.close();
    }
  });

  it('times out a server that never answers, and lets the caller abort', async () => {
    const stub = await startStub(() => undefined);
    try {
      const error = await sourceError(fetchTaxiiObjects({ url: `${stub.origin}/taxii2/`, timeoutMs: 200 }));
      expect(error.code).toBe('timeout');
      expect(error.message).toContain(stub.origin.replace('http://', ''));

      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const aborted = await rejection(
        fetchTaxiiObjects({ url: `${stub.origin}/taxii2/`, signal: controller.signal }),
      );
      expect(aborted).not.toBeInstanceOf(SourceError);
      expect((aborted as Error).name).toBe('AbortError');
    } finally {
      await stub.close();
    }
  });
});

describe('toSourceError', () => {
  it('names the host of a DNS failure and calls the machine offline', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const cause = Object.assign(new Error(`getaddrinfo ${code} attack-taxii.mitre.org`), { code });
      const error = toSourceError(
        new TypeError('fetch failed', { cause }),
        'https://attack-taxii.mitre.org/taxii2/',
      );
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).code).toBe('offline');
      expect((error as SourceError).message).toMatch(
        new RegExp(`^Could not reach attack-taxii\\.mitre\\.org \\(${code}\\): .*offline`),
      );
    }
  });

  it('leaves unrelated errors alone', () => {
    const bug = new RangeError('a bug');
    expect(toSourceError(bug, 'https://example.org/')).toBe(bug);
  });
});

describe('fetchBundle', () => {
  const gz = readFileSync(attackGzPath);
  const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
  let stub: { origin: string; close(): Promise<void> };
  let resets = 0;
  beforeAll(async () => {
    stub = await startStub((req, res) => {
      if (req.url === '/enterprise-attack.json.gz') {
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(gz.length) });
        return res.end(gz);
      }
      if (req.url === '/chunked.json.gz') {
        // No Content-Length: the size is unknown until the end, and the cap must hold while streaming.
        res.writeHead(200, { 'content-type': 'application/gzip' });
        for (let offset = 0; offset < gz.length; offset += 256 * 1024)
          res.write(gz.subarray(offset, offset + 256 * 1024));
        return res.end();
      }
      if (req.url === '/cut') {
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(gz.length) });
        res.write(gz.subarray(0, 64 * 1024));
        return setTimeout(() => res.destroy(), 20);
      }
      if (req.url === '/reset-once') {
        // The first request's connection breaks before any answer, as a pooled keep-alive
        // connection the server has just closed does; the next one is served.
        resets += 1;
        if (resets === 1) return req.socket.destroy();
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(gz.length) });
        return res.end(gz);
      }
      if (req.url === '/stalls') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.write('{"type":"bundle",');
      }
      res.writeHead(404, { 'content-type': 'text/plain' });
      return res.end('not found');
    });
  });
  afterAll(() => stub.close());

  it('downloads the real gzip bundle byte for byte, reporting progress', async () => {
    const progress: Array<{ bytes: number; totalBytes: number | null }> = [];
    const data = await fetchBundle(`${stub.origin}/enterprise-attack.json.gz`, {
      onProgress: (p) => progress.push(p),
    });
    expect(data.length).toBe(gz.length);
    expect(sha256(data)).toBe(sha256(gz));
    expect(data.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.every((p) => p.totalBytes === gz.length)).toBe(true);
    expect(progress.map((p) => p.bytes)).toEqual([...progress.map((p) => p.bytes)].sort((a, b) => a - b));
    expect(progress.at(-1)?.bytes).toBe(gz.length);
  });

  it('downloads a body of unknown length', async () => {
    const progress: Array<{ bytes: number; totalBytes: number | null }> = [];
    const data = await fetchBundle(`${stub.origin}/chunked.json.gz`, { onProgress: (p) => progress.push(p) });
    expect(sha256(data)).toBe(sha256(gz));
    expect(progress.every((p) => p.totalBytes === null)).toBe(true);
  });

  it('refuses a body past maxBytes, declared or streamed', async () => {
    for (const file of ['enterprise-attack.json.gz', 'chunked.json.gz']) {
      const error = await sourceError(fetchBundle(`${stub.origin}/${file}`, { maxBytes: 1024 * 1024 }));
      expect(error.code, file).toBe('too_large');
      expect(error.message).toContain('1 MiB');
    }
  });

  it('maps 404, a closed port and a stalled body', async () => {
    const missing = await sourceError(fetchBundle(`${stub.origin}/missing.json`));
    expect(missing.code).toBe('http_status');
    expect(missing.details.status).toBe(404);

    const port = await closedPort();
    const offline = await sourceError(fetchBundle(`http://127.0.0.1:${port}/enterprise-attack.json.gz`));
    expect(offline.code).toBe('offline');
    expect(offline.message).toContain(`127.0.0.1:${port}`);

    const stalled = await sourceError(fetchBundle(`${stub.origin}/stalls`, { timeoutMs: 200 }));
    expect(stalled.code).toBe('timeout');
    expect(stalled.message).toContain('did not answer after 0.2 s');

    const cut = await sourceError(fetchBundle(`${stub.origin}/cut`));
    expect(cut.code).toBe('offline');
    expect(cut.message).toContain('connection was cut');
  });

  it('sends a GET once more when its connection broke before any answer (a stale keep-alive)', async () => {
    const data = await fetchBundle(`${stub.origin}/reset-once`);
    expect(resets).toBe(2);
    expect(sha256(data)).toBe(sha256(gz));
  });

  it('takes only http and https URLs', async () => {
    await expect(fetchBundle('file:///etc/passwd')).rejects.toThrow(/Only http:\/\/ and https:\/\//);
    await expect(fetchBundle('not a url')).rejects.toThrow(TypeError);
  });
});
