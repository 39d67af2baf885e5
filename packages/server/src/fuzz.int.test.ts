import type { FastifyInstance, InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { startTestApp } from '../test/app';
import { importMiniAttack } from '../test/attack-fixture';
import { signedInAs, signIn } from '../test/factories';
import { ADMIN_PASSWORD, testDbKind } from '../test/support';

/**
 * Walks every operation of the OpenAPI document the app serves (read from the app, never a hand list)
 * with hostile values — NUL, huge strings, wrong types, negative and huge numbers, bad ids, arrays
 * where scalars go — as an admin and anonymously, and fails on any 5xx. Values are sampled per field
 * (each field gets a few, in turn), not multiplied out, so a run stays short on a busy machine.
 */

type Schema = {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  minLength?: number;
  default?: unknown;
};
type Parameter = {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
};
type Operation = {
  responses?: unknown;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const HUGE = 'x'.repeat(100_000);
/** Hostile values; every field gets NUL plus the next few of these in turn. */
const HOSTILE: unknown[] = [
  'a\u0000b',
  HUGE,
  -1,
  2 ** 63,
  -2_147_483_649,
  1e308,
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  ['a', 'b'],
  { nested: 'object' },
  true,
  null,
  '',
  "' or 1=1 --",
  '../../../etc/passwd',
  '\ud800',
  '9'.repeat(400),
  'NaN',
];
const PER_FIELD = 2;
let cursor = 0;
function hostileSample(): unknown[] {
  const picked: unknown[] = ['\u0000'];
  for (let i = 0; i < PER_FIELD; i++) picked.push(HOSTILE[cursor++ % HOSTILE.length]);
  return picked;
}

function typeOf(s: Schema | undefined): string | undefined {
  if (!s) return undefined;
  if (Array.isArray(s.type)) return s.type.find((t) => t !== 'null');
  if (s.type) return s.type;
  const alt = s.anyOf ?? s.oneOf ?? s.allOf;
  return alt ? typeOf(alt.find((a) => a.type !== 'null') ?? alt[0]) : undefined;
}

function firstAlternative(s: Schema): Schema {
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return alt.find((a) => a.type !== 'null') ?? alt[0] ?? s;
  if (s.allOf?.[0]) return { ...s.allOf[0], ...s, allOf: undefined };
  return s;
}

/** A value the schema accepts, as far as a generic reading goes (ids come from `ids` when known). */
function validValue(raw: Schema | undefined, name: string, ids: Map<string, string>): unknown {
  if (!raw) return 'x';
  const s = firstAlternative(raw);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  if (s.default !== undefined) return s.default;
  switch (typeOf(s)) {
    case 'integer':
    case 'number':
      return Math.max(s.minimum ?? 1, 1);
    case 'boolean':
      return false;
    case 'array':
      return [];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = validValue(s.properties?.[key], key, ids);
      return out;
    }
    default:
      if (s.format === 'uuid')
        return ids.get(name) ?? ids.get('id') ?? '00000000-0000-4000-8000-000000000000';
      if (s.format === 'date-time') return '2026-01-01T00:00:00.000Z';
      if (s.format === 'email') return 'fuzz@example.test';
      return 'x'.repeat(Math.max(s.minLength ?? 1, 1));
  }
}

/** Percent-encodes for a URL; a lone surrogate (no UTF-8 form) is sent as the bytes of one, which no decoder accepts. */
function encode(v: unknown): string {
  const text = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80%zz';
  }
}

function queryString(query: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    for (const item of Array.isArray(v) ? v : [v]) parts.push(`${encode(k)}=${encode(item)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

interface Case {
  label: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

/** The requests for one operation: a baseline, then each field in turn replaced by hostile values. */
function casesFor(path: string, method: string, op: Operation, ids: Map<string, string>): Case[] {
  const params = (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query');
  const pathParams = Object.fromEntries(
    params.filter((p) => p.in === 'path').map((p) => [p.name, validValue(p.schema, p.name, ids)]),
  );
  const baseQuery: Record<string, unknown> = {};
  for (const p of params)
    if (p.in === 'query' && p.required) baseQuery[p.name] = validValue(p.schema, p.name, ids);
  const bodySchema = op.requestBody?.content?.['application/json']?.schema;
  const baseBody = bodySchema ? validValue(bodySchema, 'body', ids) : undefined;

  const urlOf = (pp: Record<string, unknown>, q: Record<string, unknown>) =>
    `${path.replace(/\{(\w+)\}/g, (_, n: string) => encode(pp[n]))}${queryString(q)}`;
  const cases: Case[] = [{ label: 'baseline', url: urlOf(pathParams, baseQuery), payload: baseBody }];

  for (const p of params)
    for (const v of hostileSample()) {
      const label = `${p.in}.${p.name}=${JSON.stringify(v).slice(0, 40)}`;
      if (p.in === 'path')
        cases.push({ label, url: urlOf({ ...pathParams, [p.name]: v }, baseQuery), payload: baseBody });
      else cases.push({ label, url: urlOf(pathParams, { ...baseQuery, [p.name]: v }), payload: baseBody });
    }

  const url = urlOf(pathParams, baseQuery);
  if (bodySchema) {
    const props = firstAlternative(bodySchema).properties ?? {};
    const base = (typeof baseBody === 'object' && baseBody !== null ? baseBody : {}) as Record<
      string,
      unknown
    >;
    for (const [name, schema] of Object.entries(props)) {
      for (const v of hostileSample())
        cases.push({
          label: `body.${name}=${JSON.stringify(v).slice(0, 40)}`,
          url,
          payload: { ...base, [name]: v },
        });
      // One level down: a nested object's fields get NUL too (tool results, rule fields, …).
      const inner = firstAlternative(typeOf(schema) === 'array' && schema.items ? schema.items : schema);
      if (typeOf(inner) === 'object' && inner.properties) {
        const item = validValue(inner, name, ids) as Record<string, unknown>;
        for (const key of Object.keys(inner.properties)) {
          const nested = { ...item, [key]: 'a\u0000b' };
          cases.push({
            label: `body.${name}.${key}=NUL`,
            url,
            payload: { ...base, [name]: typeOf(schema) === 'array' ? [nested] : nested },
          });
        }
      }
    }
    cases.push({ label: 'body=array', url, payload: [base] });
    cases.push({ label: 'body={key with NUL}', url, payload: { ...base, 'k\u0000': 1 } });
  }
  if (!['post', 'put', 'patch'].includes(method)) return cases;
  // Upload routes stream multipart bodies that the document may not describe: send every write one.
  cases.push({
    label: 'multipart with a NUL file name',
    url,
    payload: multipart('a\u0000b.zip', 'not really a zip'),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  });
  cases.push({
    label: 'wrong content type',
    url,
    payload: 'plain text',
    headers: { 'content-type': 'text/plain' },
  });
  return cases;
}

const BOUNDARY = 'fuzzboundary';
function multipart(filename: string, content: string): string {
  return [
    `--${BOUNDARY}`,
    `Content-Disposition: form-data; name="file"; filename="${filename}"`,
    'Content-Type: application/octet-stream',
    '',
    content,
    `--${BOUNDARY}--`,
    '',
  ].join('\r\n');
}

/** Real ids for path parameters, so routes get past "not found" and reach their writes. */
async function harvestIds(
  app: FastifyInstance,
  auth: Record<string, string>,
  doc: OpenApi,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const path of Object.keys(doc.paths)) {
    const m = /^(.*)\/\{(\w+)\}$/.exec(path);
    if (!m?.[1] || !doc.paths[m[1]]?.get) continue;
    const res = await app.inject({ method: 'GET', url: `${m[1]}?limit=5`, headers: auth });
    const items = (res.json() as { items?: Array<{ id?: unknown }> }).items;
    const id = items?.find((i) => typeof i.id === 'string')?.id;
    if (typeof id === 'string' && !ids.has(m[2] ?? 'id')) ids.set(m[2] ?? 'id', id);
  }
  return ids;
}

describe(`hostile input on every operation (${testDbKind})`, async () => {
  const { platform, app } = await startTestApp();
  await importMiniAttack(platform);
  const red = await signedInAs(platform, app, 'red_tech');
  await app.inject({
    method: 'POST',
    url: '/api/v1/tests',
    headers: red.bearer,
    payload: { technique: 'T1059.001', title: 'fuzz target' },
  });
  const doc = (await app.inject({ method: 'GET', url: '/api/docs/json' })).json() as OpenApi;

  it('the document lists the operations', () => {
    expect(Object.keys(doc.paths).length).toBeGreaterThan(40);
  });

  it('answers no hostile request with a 5xx, as an admin or anonymously', async () => {
    const ids = await harvestIds(app, (await signIn(app, 'admin', ADMIN_PASSWORD)).bearer, doc);
    const failures: string[] = [];
    // A logout, a password change or a deactivation ends the admin's session: then a new admin goes on.
    const freshAdmin = () => signedInAs(platform, app, 'admin');
    let admin = await freshAdmin();
    const stillSignedIn = async (headers: Record<string, string>) =>
      (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode === 200;
    let requests = 0;

    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        // A live stream never ends (it takes no input either).
        if (JSON.stringify(op).includes('text/event-stream')) continue;
        let anonymousRefused = false;
        for (const c of casesFor(path, method, op, ids)) {
          for (const who of ['admin', 'anonymous'] as const) {
            const auth = who === 'admin' ? admin.bearer : {};
            // Anonymously: the baseline, and on public routes (login above all) the NUL cases too.
            if (
              who === 'anonymous' &&
              c.label !== 'baseline' &&
              (anonymousRefused || !/=("\\u0000"|NUL)$/.test(c.label))
            )
              continue;
            const options: InjectOptions = {
              method: method.toUpperCase() as InjectOptions['method'],
              url: c.url,
              headers: { ...auth, ...c.headers },
              ...(c.payload !== undefined && method !== 'get' && method !== 'delete'
                ? { payload: c.payload as string }
                : {}),
            };
            requests++;
            const res = await app.inject(options);
            if (who === 'anonymous' && c.label === 'baseline' && res.statusCode === 401)
              anonymousRefused = true;
            if (who === 'admin' && res.statusCode === 401 && !(await stillSignedIn(admin.bearer)))
              admin = await freshAdmin();
            if (res.statusCode >= 500)
              failures.push(
                `${method.toUpperCase()} ${path} [${who}] ${c.label} → ${res.statusCode} ${res.body.slice(0, 200)}`,
              );
          }
        }
      }
    }
    expect(requests).toBeGreaterThan(500);
    expect(failures).toEqual([]);
  }, 600_000);
});
