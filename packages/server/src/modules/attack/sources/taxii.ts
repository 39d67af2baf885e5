import { z } from 'zod';
import { hostOf, httpStatusError, SourceError, safeUrl, toSourceError } from './errors';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, discard, fetchGet, httpUrl, readBody } from './http-bundle';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
const MAX_PAGES = 10_000;

export interface TaxiiOptions {
  /** Discovery URL (e.g. https://attack-taxii.mitre.org/taxii2/) or an API root URL (ends with /api/v21/ or similar). */
  url: string;
  /** Collection id; when absent, the first collection whose title contains `collectionTitle` (case-insensitive). */
  collectionId?: string;
  collectionTitle?: string;
  /** ISO timestamp: only objects added after it (TAXII `added_after`). */
  addedAfter?: string;
  /** Page size requested with `limit` (server may return fewer). Default 1000. */
  pageSize?: number;
  /** Sent with every request, e.g. Authorization. Accept is always the TAXII 2.1 media type. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Per request, default 60000. */
  timeoutMs?: number;
  /** Largest response accepted for one request, default 200 MiB. */
  maxResponseBytes?: number;
  onProgress?: (p: { pages: number; objects: number }) => void;
}

export interface TaxiiResult {
  objects: unknown[];
  collection: { id: string; title: string };
  /** Absolute URL of the API root that served the collection. */
  apiRoot: string;
  pages: number;
}

// The TAXII 2.1 resources we read (OASIS TAXII 2.1, section 4). Unknown members are ignored, as the
// specification asks of clients.
const discoverySchema = z.object({
  title: z.string(),
  description: z.string().optional(),
  default: z.string().optional(),
  api_roots: z.array(z.string()).optional(),
});

const apiRootSchema = z.object({
  title: z.string(),
  description: z.string().optional(),
  versions: z.array(z.string()).optional(),
  max_content_length: z.number().optional(),
});

const collectionSchema = z.object({
  id: z.string().min(1),
  title: z.string(),
  description: z.string().optional(),
  can_read: z.boolean().optional(),
  // MITRE's TAXII server documented camelCase members before it snake-cased its output.
  canRead: z.boolean().optional(),
  media_types: z.array(z.string()).optional(),
});
type TaxiiCollection = z.infer<typeof collectionSchema>;

const collectionsSchema = z.object({ collections: z.array(collectionSchema).optional() });

// Objects stay opaque here (the STIX parser validates them); a cheap shape check without copying
// tens of thousands of objects is enough to reject a page that is not STIX.
const stixObject = z.custom<Record<string, unknown>>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { type?: unknown }).type === 'string',
  { message: 'expected a STIX object with string "type" and "id"' },
);

const envelopeSchema = z.object({
  more: z.boolean().optional(),
  // The specification says string; MITRE's server counts pages, so tolerate a number.
  next: z.union([z.string(), z.number()]).transform(String).optional(),
  objects: z.array(stixObject).optional(),
});

interface RequestContext {
  headers: Headers;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

/**
 * Reads every object of one TAXII 2.1 collection: discovery → API root → collections → objects,
 * following `next` (or, failing that, `X-TAXII-Date-Added-Last`) until the server says no more.
 */
export async function fetchTaxiiObjects(options: TaxiiOptions): Promise<TaxiiResult> {
  const pageSize = options.pageSize ?? 1000;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new TypeError(`pageSize must be a positive integer, got ${pageSize}`);
  }
  if (options.addedAfter !== undefined && Number.isNaN(Date.parse(options.addedAfter))) {
    throw new TypeError(`addedAfter must be an ISO timestamp, got "${options.addedAfter}"`);
  }
  const headers = new Headers(options.headers);
  headers.set('accept', TAXII_MEDIA_TYPE);
  const ctx: RequestContext = {
    headers,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBytes: options.maxResponseBytes ?? DEFAULT_MAX_BYTES,
    signal: options.signal,
  };

  const apiRoot = await findApiRoot(withSlash(httpUrl(options.url)), ctx);
  const collection = await findCollection(apiRoot, options, ctx);
  const objectsUrl = new URL(`collections/${encodeURIComponent(collection.id)}/objects/`, apiRoot);

  const objects: unknown[] = [];
  const seenNext = new Set<string>();
  let next: string | undefined;
  let addedAfter = options.addedAfter;
  let pages = 0;
  for (;;) {
    if (pages >= MAX_PAGES) {
      throw badResponse(
        objectsUrl,
        `still paging after ${MAX_PAGES} pages; the server's pagination looks broken`,
      );
    }
    const url = new URL(objectsUrl);
    url.searchParams.set('limit', String(pageSize));
    if (addedAfter !== undefined) url.searchParams.set('added_after', addedAfter);
    if (next !== undefined) url.searchParams.set('next', next);
    const { body, headers: responseHeaders } = await getTaxii(url, ctx);
    const envelope = parse(envelopeSchema, body, url, 'envelope');
    pages++;
    // A loop, not push(...page): a server that ignores `limit` may send the whole collection at once.
    for (const object of envelope.objects ?? []) objects.push(object);
    options.onProgress?.({ pages, objects: objects.length });
    if (envelope.more !== true) break;

    if (envelope.next !== undefined) {
      if (seenNext.has(envelope.next)) {
        throw badResponse(url, `the server sent next="${envelope.next}" twice; its pagination is looping`);
      }
      seenNext.add(envelope.next);
      next = envelope.next;
      continue;
    }
    // Without `next`, TAXII lets a client resume from the date_added of the last object it received.
    const last = responseHeaders.get('x-taxii-date-added-last');
    if (last === null || Number.isNaN(Date.parse(last))) {
      throw badResponse(
        url,
        'the server says more objects remain but sends neither "next" nor X-TAXII-Date-Added-Last',
      );
    }
    if (addedAfter !== undefined && Date.parse(last) <= Date.parse(addedAfter)) {
      throw badResponse(url, `X-TAXII-Date-Added-Last (${last}) does not advance; its pagination is looping`);
    }
    addedAfter = last;
    next = undefined;
  }
  return {
    objects,
    collection: { id: collection.id, title: collection.title },
    apiRoot: apiRoot.href,
    pages,
  };
}

/** The URL may be the discovery endpoint or already an API root; both answer with a `title`. */
async function findApiRoot(url: URL, ctx: RequestContext): Promise<URL> {
  const { body } = await getTaxii(url, ctx);
  const isDiscovery = typeof body === 'object' && body !== null && ('api_roots' in body || 'default' in body);
  if (!isDiscovery) {
    checkApiRoot(parse(apiRootSchema, body, url, 'API root information'), url);
    return url;
  }
  const discovery = parse(discoverySchema, body, url, 'discovery');
  const chosen = discovery.default ?? discovery.api_roots?.[0];
  if (chosen === undefined) {
    throw badResponse(url, 'the discovery answer lists no API root; pass an API root URL instead');
  }
  const apiRoot = resolveApiRoot(chosen, url);
  const { body: information } = await getTaxii(apiRoot, ctx);
  checkApiRoot(parse(apiRootSchema, information, apiRoot, 'API root information'), apiRoot);
  return apiRoot;
}

function checkApiRoot(information: z.infer<typeof apiRootSchema>, url: URL): void {
  const versions = information.versions;
  if (versions && !versions.some((v) => v.replaceAll(' ', '').startsWith(TAXII_MEDIA_TYPE))) {
    throw badResponse(url, `this API root speaks ${versions.join(', ')}, not TAXII 2.1`);
  }
}

// TAXII says API roots are absolute URLs; MITRE's server lists "api/v21", meaning from the host root.
function resolveApiRoot(reference: string, discoveryUrl: URL): URL {
  const absolute = /^https?:\/\//i.test(reference);
  const url = absolute
    ? new URL(reference)
    : new URL(reference.startsWith('/') ? reference : `/${reference}`, discoveryUrl.origin);
  return withSlash(url);
}

async function findCollection(
  apiRoot: URL,
  options: TaxiiOptions,
  ctx: RequestContext,
): Promise<TaxiiCollection> {
  const url = new URL('collections/', apiRoot);
  const { body } = await getTaxii(url, ctx);
  const collections = parse(collectionsSchema, body, url, 'collections').collections ?? [];
  const readable = (c: TaxiiCollection) => (c.can_read ?? c.canRead) === true;
  const listing = () =>
    collections.length === 0
      ? 'it lists no collection'
      : `it lists ${collections.map((c) => `"${c.title}" (${c.id})`).join(', ')}`;

  let candidates: TaxiiCollection[];
  let wanted: string;
  if (options.collectionId !== undefined) {
    candidates = collections.filter((c) => c.id === options.collectionId);
    wanted = `with id ${options.collectionId}`;
  } else if (options.collectionTitle !== undefined) {
    const needle = options.collectionTitle.toLowerCase();
    candidates = collections.filter((c) => c.title.toLowerCase().includes(needle));
    wanted = `whose title contains "${options.collectionTitle}"`;
  } else {
    candidates = collections.filter(readable);
    if (candidates.length > 1) {
      throw badResponse(url, `several collections are readable; choose one by id or title: ${listing()}`);
    }
    wanted = 'that can be read';
  }
  const found = candidates.find(readable);
  if (found) return found;
  const [unreadable] = candidates;
  if (unreadable) {
    throw new SourceError(
      'bad_response',
      `The collection "${unreadable.title}" (${unreadable.id}) at ${hostOf(url)} cannot be read with these ` +
        'credentials (can_read is false)',
      { url: safeUrl(url) },
    );
  }
  throw new SourceError('bad_response', `No collection ${wanted} at ${safeUrl(apiRoot)}: ${listing()}`, {
    url: safeUrl(url),
  });
}

async function getTaxii(url: URL, ctx: RequestContext): Promise<{ body: unknown; headers: Headers }> {
  const timeout = AbortSignal.timeout(ctx.timeoutMs);
  const signal = ctx.signal ? AbortSignal.any([ctx.signal, timeout]) : timeout;
  try {
    const response = await fetchGet(url, { headers: ctx.headers, signal });
    if (!response.ok) {
      throw httpStatusError(url, response.status, response.statusText, await errorDetail(response, url));
    }
    const contentType = response.headers.get('content-type');
    const refusal = contentTypeRefusal(contentType);
    if (refusal !== undefined) {
      await discard(response);
      throw badResponse(url, `${refusal}; is ${safeUrl(url)} a TAXII 2.1 endpoint?`);
    }
    const bytes = await readBody(response, url, { maxBytes: ctx.maxBytes });
    try {
      return { body: JSON.parse(bytes.toString('utf8')), headers: response.headers };
    } catch {
      throw badResponse(url, 'the body is not valid JSON');
    }
  } catch (error) {
    throw toSourceError(error, url, { timeoutMs: ctx.timeoutMs, signal: ctx.signal });
  }
}

function contentTypeRefusal(contentType: string | null): string | undefined {
  if (contentType === null) return 'the answer has no content type';
  const [essence = '', ...parameters] = contentType.toLowerCase().split(';');
  const type = essence.trim();
  if (type === 'application/json') return undefined;
  if (type === 'application/taxii+json') {
    const version = parameters.map((p) => p.trim()).find((p) => p.startsWith('version='));
    if (version === undefined || version === 'version=2.1') return undefined;
    return `the answer is TAXII ${version.slice('version='.length)}, not 2.1`;
  }
  if (type.includes('vnd.oasis.taxii')) return 'the answer is TAXII 2.0, which is not supported (2.1 only)';
  return `the answer is ${type || 'untyped'}, not TAXII JSON`;
}

/** The title/description of a TAXII error message, when the server sent one. */
async function errorDetail(response: Response, url: URL): Promise<string | undefined> {
  try {
    const body: unknown = JSON.parse(
      (await readBody(response, url, { maxBytes: 64 * 1024 })).toString('utf8'),
    );
    const parsed = z.object({ title: z.string(), description: z.string().optional() }).safeParse(body);
    if (!parsed.success) return undefined;
    const { title, description } = parsed.data;
    const text = description ? `${title}: ${description}` : title;
    return text.length > 300 ? `${text.slice(0, 297)}...` : text;
  } catch {
    return undefined;
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown, url: URL, what: string): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
  const more = result.error.issues.length > 3 ? ` (and ${result.error.issues.length - 3} more)` : '';
  throw badResponse(url, `not a TAXII 2.1 ${what}: ${issues.join('; ')}${more}`);
}

function badResponse(url: URL, why: string): SourceError {
  const message = `Unexpected answer from ${hostOf(url)} for ${url.pathname}: ${why}`;
  return new SourceError('bad_response', message, { url: safeUrl(url) });
}

// Every TAXII endpoint ends with "/"; servers may 404 (not redirect) without it.
function withSlash(url: URL): URL {
  const copy = new URL(url);
  if (!copy.pathname.endsWith('/')) copy.pathname += '/';
  return copy;
}
