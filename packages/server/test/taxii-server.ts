import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

/**
 * A small TAXII 2.1 server on 127.0.0.1 for tests: discovery at /taxii2/, one API root at /api1/,
 * its collections and their objects with `limit`, `added_after` and `next` (OASIS TAXII 2.1, §4–5).
 * Each object's date_added is BASE_DATE_ADDED + its index in ms, so `added_after` is predictable.
 * Not implemented: `match[...]` filters, manifests, versions, status and writes; every stored
 * object record is returned (no "latest version only" reduction).
 */
export interface TaxiiServerCollection {
  id: string;
  title: string;
  objects: unknown[];
  canRead?: boolean;
  description?: string;
}

export interface TaxiiServerOptions {
  collections: TaxiiServerCollection[];
  /** The most objects the server puts in one page, whatever `limit` asks. Default: no cap. */
  pageSize?: number;
  /** When set, every request must carry exactly this Authorization header (else 401). */
  requireAuth?: string;
  /**
   * 'next' (default): `more` pages carry an opaque `next` token. 'date-added': they carry none, so a
   * client must resume with `added_after` = X-TAXII-Date-Added-Last (allowed by TAXII 2.1).
   */
  pagination?: 'next' | 'date-added';
  /** Answer these paths (no query) with this status instead, to test failures. */
  failures?: Array<{ path: string; status: number }>;
}

export interface TaxiiTestServer {
  /** Discovery URL. */
  url: string;
  apiRoot: string;
  /** Path and query of every request received, in order. */
  requests: string[];
  /** Accept header of every request received, in order. */
  acceptHeaders: Array<string | undefined>;
  close(): Promise<void>;
}

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
export const BASE_DATE_ADDED = Date.parse('2024-01-01T00:00:00.000Z');

export function dateAdded(index: number): string {
  return new Date(BASE_DATE_ADDED + index).toISOString();
}

export async function startTaxiiServer(options: TaxiiServerOptions): Promise<TaxiiTestServer> {
  const requests: string[] = [];
  const acceptHeaders: Array<string | undefined> = [];
  // Opaque `next` tokens, as real servers issue them: token → index of the next object to send.
  const cursors = new Map<string, { collectionId: string; index: number }>();
  let origin = '';

  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${target.pathname}${target.search}`);
    acceptHeaders.push(req.headers.accept);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': TAXII_MEDIA_TYPE, ...headers });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, title: string, description?: string) =>
      send(status, { title, description, http_status: String(status) });

    if (options.requireAuth !== undefined && req.headers.authorization !== options.requireAuth) {
      return fail(401, 'Unauthorized', 'Missing or wrong Authorization header');
    }
    if (!acceptsTaxii21(req.headers.accept)) {
      return fail(406, 'Not Acceptable', `Accept must be ${TAXII_MEDIA_TYPE}`);
    }
    if (req.method !== 'GET') return fail(405, 'Method Not Allowed');
    const failure = options.failures?.find((f) => f.path === target.pathname);
    if (failure) return fail(failure.status, 'Injected failure');

    const apiRoot = `${origin}/api1/`;
    const segments = target.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const [first, second, collectionId, fourth, fifth] = segments;

    if (target.pathname === '/taxii2/') {
      return send(200, {
        title: 'Aegis test TAXII server',
        description: 'Serves recorded STIX 2.1 data for tests',
        default: apiRoot,
        api_roots: [apiRoot],
      });
    }
    if (first !== 'api1' || !target.pathname.endsWith('/')) return fail(404, 'Not Found');
    if (segments.length === 1) {
      return send(200, {
        title: 'Test API root',
        versions: [TAXII_MEDIA_TYPE],
        max_content_length: 10 * 1024 * 1024,
      });
    }
    if (second !== 'collections') return fail(404, 'Not Found');
    if (segments.length === 2) return send(200, { collections: options.collections.map(describe) });

    const collection = options.collections.find((c) => c.id === collectionId);
    if (!collection) return fail(404, 'Not Found', `No collection ${collectionId}`);
    if (segments.length === 3) return send(200, describe(collection));
    if (fourth !== 'objects' || fifth !== undefined) return fail(404, 'Not Found');
    if (collection.canRead === false) return fail(403, 'Forbidden', 'This collection cannot be read');

    const query = target.searchParams;
    const limitParam = query.get('limit');
    const limit = limitParam === null ? Number.POSITIVE_INFINITY : Number(limitParam);
    if (!Number.isInteger(limit) && limit !== Number.POSITIVE_INFINITY) {
      return fail(400, 'Bad Request', 'limit must be a positive integer');
    }
    if (limit < 1) return fail(400, 'Bad Request', 'limit must be a positive integer');
    const addedAfterParam = query.get('added_after');
    const addedAfter = addedAfterParam === null ? Number.NEGATIVE_INFINITY : Date.parse(addedAfterParam);
    if (Number.isNaN(addedAfter)) return fail(400, 'Bad Request', 'added_after must be a timestamp');
    const nextParam = query.get('next');
    let start = 0;
    if (nextParam !== null) {
      const cursor = cursors.get(nextParam);
      if (!cursor || cursor.collectionId !== collection.id) return fail(400, 'Bad Request', 'Unknown next');
      start = cursor.index;
    }
    // date_added = BASE + index, so "added after t" means index > t - BASE.
    const from = Math.max(start, Math.floor(addedAfter - BASE_DATE_ADDED) + 1, 0);
    const size = Math.min(limit, options.pageSize ?? Number.POSITIVE_INFINITY);
    const end = Math.min(collection.objects.length, from + size);
    const page = collection.objects.slice(from, end);
    if (page.length === 0) return send(200, {});

    const more = end < collection.objects.length;
    const envelope: { more: boolean; next?: string; objects: unknown[] } = { more, objects: page };
    if (more && options.pagination !== 'date-added') {
      const token = randomUUID();
      cursors.set(token, { collectionId: collection.id, index: end });
      envelope.next = token;
    }
    return send(200, envelope, {
      'x-taxii-date-added-first': dateAdded(from),
      'x-taxii-date-added-last': dateAdded(end - 1),
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/taxii2/`,
    apiRoot: `${origin}/api1/`,
    requests,
    acceptHeaders,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function describe(collection: TaxiiServerCollection) {
  return {
    id: collection.id,
    title: collection.title,
    ...(collection.description === undefined ? {} : { description: collection.description }),
    can_read: collection.canRead ?? true,
    can_write: false,
    media_types: ['application/stix+json;version=2.1'],
  };
}

/** TAXII 2.1 servers must accept `application/taxii+json;version=2.1` and bare `application/taxii+json`. */
function acceptsTaxii21(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((range) => {
    const [type = '', ...parameters] = range.split(';').map((p) => p.trim().toLowerCase());
    if (type !== 'application/taxii+json') return false;
    const version = parameters.find((p) => p.startsWith('version='));
    return version === undefined || version === 'version=2.1';
  });
}

// Recorded data shared by every checkout, kept beside the repository (never copied into it).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const sharedDataDir = path.resolve(repoRoot, '..', 'shared', 'data');
export const enterpriseAttackPath = path.join(sharedDataDir, 'attack', 'enterprise-attack-18.1.json.gz');
export const medallionDataPath = path.join(sharedDataDir, 'taxii', 'medallion-default_data.json');

/** The `trustgroup1` API root of the medallion reference server's default data, as collections. */
export function medallionCollections(): TaxiiServerCollection[] {
  const data = JSON.parse(readFileSync(medallionDataPath, 'utf8')) as {
    trustgroup1: {
      collections: Array<{
        id: string;
        title: string;
        description?: string;
        can_read: boolean;
        objects?: unknown[];
      }>;
    };
  };
  return data.trustgroup1.collections.map((c) => ({
    id: c.id,
    title: c.title,
    description: c.description,
    canRead: c.can_read,
    objects: c.objects ?? [],
  }));
}

/** The objects of the real Enterprise ATT&CK 18.1 bundle (24,771 objects). */
export function enterpriseAttackObjects(): unknown[] {
  const bundle = JSON.parse(gunzipSync(readFileSync(enterpriseAttackPath)).toString('utf8')) as {
    objects: unknown[];
  };
  return bundle.objects;
}
