import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { type Evidence, type Role, roles } from '@aegis/contracts';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import fastifyMultipart from '@fastify/multipart';
import { eq, sql } from 'drizzle-orm';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { type Session, signedInAs, signIn } from '../../../test/factories';
import { startS3rver } from '../../../test/s3rver';
import { ADMIN_PASSWORD, silentLogger, startTestPlatform, testDbKind } from '../../../test/support';
import type { Db } from '../../infra/db';
import { compressResponses, installErrorHandling, installSecurity, requestId } from '../../infra/http';
import { BlobNotFoundError } from '../../infra/storage';
import type { Platform } from '../../platform';
import { authRoutes, installAuthGuard } from '../auth';
import { type TestCaseRow, testCases } from '../test-cases';
import type { FormPart } from './evidence.service';
import { createEvidenceService, evidenceRoutes } from './index';

type State = TestCaseRow['state'];
const STATES: readonly State[] = [
  'draft',
  'red_executing',
  'blue_evaluating',
  'in_review',
  'validated',
  'rejected',
];
const IN_FLIGHT: readonly State[] = ['draft', 'red_executing', 'blue_evaluating', 'in_review'];
const KiB = 1024;
const MiB = 1024 * KiB;

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(2000)]);
const MZ = Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), Buffer.alloc(200)]);
const ELF = Buffer.concat([Buffer.from('7f454c4602010100', 'hex'), Buffer.alloc(200)]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
/** Text of any size, made in one go (the server side is what must stream). */
const textOf = (size: number, seed = 'x') => Buffer.alloc(size, `${seed} log line ${seed}\n`);

/**
 * The app under test: the platform's auth service and guard, the shared error handling and security
 * headers, sign-in routes, and the evidence routes with a service of our own (so each suite picks its
 * size limit and reads the service's logs). Built here rather than by buildApp so these tests do not
 * depend on how app.ts wires the module.
 */
async function startEvidenceApp(
  platform: Platform,
  options: { maxBytes?: number; multipartAtRoot?: boolean } = {},
) {
  const logs: Array<{ msg?: string; reason?: string }> = [];
  const logger = pino(
    { level: 'error' },
    new Writable({
      write(line: Buffer, _encoding, done) {
        logs.push(JSON.parse(line.toString()));
        done();
      },
    }),
  );
  const app = Fastify({
    loggerInstance: (process.env.DEBUG_EVIDENCE
      ? pino({ level: 'debug' })
      : silentLogger) as FastifyBaseLogger,
    genReqId: requestId,
    requestIdHeader: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  await installSecurity(app, { corsOrigins: [], isProduction: false });
  const { auth } = platform.services;
  installAuthGuard(app, auth, { secureCookies: false, allowedOrigins: [] });
  // As if app.ts (or another module) registered multipart for everyone, with default limits.
  if (options.multipartAtRoot) await app.register(fastifyMultipart);
  const service = createEvidenceService({
    db: platform.database.db,
    storage: platform.storage,
    logger,
    maxBytes: options.maxBytes,
  });
  await app.register(
    async (api) => {
      // As app.ts compresses the API's answers: downloads must opt out.
      await compressResponses(api);
      await api.register(authRoutes(auth, { secureCookies: false }));
      await api.register(evidenceRoutes(service));
    },
    { prefix: '/api/v1' },
  );
  await app.ready();
  afterAll(() => app.close());
  return { app, logs, service };
}

async function createTest(db: Db, state: State = 'draft'): Promise<string> {
  const { rows } = await db.execute<{ id: string }>(
    sql`insert into attack_objects (domain, stix_id, type, name, content_hash)
        values ('enterprise-attack', ${`attack-pattern--${randomUUID()}`}, 'attack-pattern', 'Technique', 'x')
        returning id`,
  );
  const techniqueId = rows[0]?.id ?? '';
  const [test] = await db
    .insert(testCases)
    .values({ techniqueId, title: 'Evidence test', state })
    .returning();
  return test?.id ?? '';
}

const setState = (db: Db, id: string, state: State) =>
  db.update(testCases).set({ state }).where(eq(testCases.id, id));

type Part = { name: string; value: string } | { name: string; filename: string; data: Buffer };

/** A quoted-string as busboy reads it: backslash escapes the next character. */
const quoted = (s: string) => s.replace(/[\\"]/g, '\\$&');

/** A multipart/form-data body, written out by hand so tests control every byte (names included). */
function form(parts: Part[]) {
  const boundary = `aegis-${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const head =
      'filename' in p
        ? `Content-Disposition: form-data; name="${p.name}"; filename="${quoted(p.filename)}"\r\nContent-Type: application/octet-stream`
        : `Content-Disposition: form-data; name="${p.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n\r\n`));
    chunks.push('filename' in p ? p.data : Buffer.from(p.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

const auditOf = async (db: Db, entityId: string) =>
  (
    await db.execute<{ action: string; actor_username: string; summary: Record<string, unknown> }>(
      sql`select action, actor_username, summary from audit_logs where entity_id = ${entityId} order by at, id`,
    )
  ).rows;

/** Suites share one small vocabulary of requests. */
function client(app: FastifyInstance) {
  const base = (testId: string) => `/api/v1/tests/${testId}/evidence`;
  return {
    upload(s: Session, testId: string, parts: Part[]) {
      const { payload, contentType } = form(parts);
      return app.inject({
        method: 'POST',
        url: base(testId),
        headers: { ...s.bearer, 'content-type': contentType },
        payload,
      });
    },
    file(s: Session, testId: string, filename: string, data: Buffer, extra: Part[] = []) {
      return this.upload(s, testId, [...extra, { name: 'file', filename, data }]);
    },
    list: (s: Session, testId: string) => app.inject({ url: base(testId), headers: s.bearer }),
    // As a browser asks: the file must still come back byte for byte (the API compresses JSON).
    download: (s: Session, testId: string, id: string) =>
      app.inject({
        url: `${base(testId)}/${id}/download`,
        headers: { ...s.bearer, 'accept-encoding': 'gzip, deflate, br' },
      }),
    url: (s: Session, testId: string, id: string) =>
      app.inject({ url: `${base(testId)}/${id}/url`, headers: s.bearer }),
    remove: (s: Session, testId: string, id: string) =>
      app.inject({ method: 'DELETE', url: `${base(testId)}/${id}`, headers: s.bearer }),
  };
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** Fetches over a real socket and reads the body to the end (or to the point the server cut it). */
async function fetchAll(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  const body = await res.arrayBuffer().then(
    (b) => ({ ok: true as const, bytes: Buffer.from(b) }),
    (err: unknown) => ({ ok: false as const, err }),
  );
  return { res, body };
}

// ---------------------------------------------------------------------------------------------------
// Storage round trips, integrity and limits: once per driver.
// ---------------------------------------------------------------------------------------------------

for (const driver of ['fs', 's3'] as const) {
  describe(`evidence storage on ${testDbKind} with the ${driver} driver`, async () => {
    const s3 = driver === 's3' ? await startS3rver() : undefined;
    const platform = await startTestPlatform(
      s3
        ? {
            STORAGE_DRIVER: 's3',
            S3_ENDPOINT: s3.endpoint,
            S3_BUCKET: s3.bucket,
            S3_ACCESS_KEY_ID: 'S3RVER',
            S3_SECRET_ACCESS_KEY: 'S3RVER',
          }
        : {},
    );
    const { db } = platform.database;
    const { app, logs, service } = await startEvidenceApp(platform);
    const api = client(app);
    const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
    const red = await signedInAs(platform, app, 'red_tech');
    const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });

    const s3Client = s3
      ? new S3Client({
          endpoint: s3.endpoint,
          region: 'us-east-1',
          forcePathStyle: true,
          credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
        })
      : undefined;
    afterAll(() => s3Client?.destroy());
    const storageDir = platform.config.storage.driver === 'fs' ? platform.config.storage.dir : '';
    /** Every stored object under a test's prefix (fs: also the temporary folder). */
    const storedUnder = async (testId: string): Promise<string[]> => {
      if (s3Client && s3) {
        const r = await s3Client.send(
          new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `evidence/${testId}/` }),
        );
        return (r.Contents ?? []).map((o) => o.Key ?? '');
      }
      return [
        ...(await listFiles(path.join(storageDir, 'evidence', testId))),
        ...(await listFiles(path.join(storageDir, '.tmp'))),
      ];
    };
    const tamper = async (e: Evidence, bytes: Buffer) => {
      const key = `evidence/${e.testCaseId}/${e.id}`;
      if (driver === 'fs') await writeFile(path.join(storageDir, ...key.split('/')), bytes);
      else await platform.storage.put(key, Readable.from([bytes]));
    };

    it('round-trips a file: the stored SHA-256 matches, the download is the same bytes with safe headers', async () => {
      const testId = await createTest(db, 'red_executing');
      const data = textOf(10_000, 'round-trip');
      const res = await api.file(red, testId, 'Überprüfung – Ergebnis.log', data, [
        { name: 'description', value: 'Sysmon excerpt' },
      ]);
      expect(res.statusCode, res.body).toBe(201);
      const e = res.json() as Evidence;
      expect(e).toMatchObject({
        testCaseId: testId,
        side: 'red',
        filename: 'Überprüfung – Ergebnis.log',
        contentType: 'text/plain; charset=utf-8',
        sizeBytes: data.length,
        sha256: sha256(data),
        description: 'Sysmon excerpt',
        uploadedBy: red.user.id,
      });
      expect(await storedUnder(testId)).toHaveLength(1);
      expect((await platform.storage.head(`evidence/${testId}/${e.id}`)).size).toBe(data.length);
      const [audit] = await auditOf(db, e.id);
      expect(audit).toMatchObject({
        action: 'evidence.upload',
        actor_username: red.user.username,
        summary: { testCaseId: testId, side: 'red', sha256: e.sha256, sizeBytes: data.length },
      });

      const down = await api.download(red, testId, e.id);
      expect(down.statusCode).toBe(200);
      expect(down.rawPayload.equals(data)).toBe(true);
      expect(down.headers).toMatchObject({
        'content-type': 'text/plain; charset=utf-8',
        'content-length': String(data.length),
        'x-content-sha256': sha256(data),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      expect(down.headers['content-disposition']).toBe(
        `attachment; filename="_berpr_fung _ Ergebnis.log"; filename*=UTF-8''${encodeURIComponent(e.filename)}`,
      );
    });

    it('streams a 5 MB PNG in and out unchanged', async () => {
      const testId = await createTest(db, 'draft');
      const data = Buffer.concat([PNG, randomBytes(5 * MiB - PNG.length)]);
      const res = await api.file(red, testId, 'screenshot.png', data);
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        contentType: 'image/png',
        sizeBytes: 5 * MiB,
        sha256: sha256(data),
      });
      const down = await api.download(admin, testId, res.json().id);
      expect(down.statusCode).toBe(200);
      expect(sha256(down.rawPayload)).toBe(sha256(data));
    });

    it('moves a 20 MB capture over a real socket both ways', async () => {
      const testId = await createTest(db, 'red_executing');
      const data = Buffer.concat([
        Buffer.from('0a0d0d0a1c0000004d3c2b1a', 'hex'),
        randomBytes(20 * MiB - 12),
      ]);
      const body = new FormData();
      body.append('description', 'full capture');
      body.append('file', new Blob([data]), 'capture.pcapng');
      let t0 = performance.now();
      const up = await fetch(`${baseUrl}/api/v1/tests/${testId}/evidence`, {
        method: 'POST',
        headers: red.bearer,
        body,
      });
      const uploadMs = performance.now() - t0;
      expect(up.status).toBe(201);
      expect(up.headers.get('connection')).not.toBe('close');
      const e = (await up.json()) as Evidence;
      expect(e).toMatchObject({ contentType: 'application/x-pcapng', sha256: sha256(data) });
      t0 = performance.now();
      const { res, body: got } = await fetchAll(
        `${baseUrl}/api/v1/tests/${testId}/evidence/${e.id}/download`,
        red.bearer,
      );
      const downloadMs = performance.now() - t0;
      expect(res.status).toBe(200);
      expect(got.ok && sha256(got.bytes) === e.sha256).toBe(true);
      if (process.env.EVIDENCE_FIGURES)
        console.warn(
          `[evidence ${driver}/${testDbKind}] 20 MiB upload ${uploadMs.toFixed(0)} ms, download ${downloadMs.toFixed(0)} ms`,
        );
    });

    it('sends no byte of a changed file, small or large: 409 naming the evidence and both hashes, audited', async () => {
      const testId = await createTest(db, 'red_executing');
      // 5 MiB is past the in-memory limit: that file is verified by a first read, then read again to send.
      for (const size of [300 * KiB, 5 * MiB]) {
        const data = textOf(size, 'genuine');
        const e = (await api.file(red, testId, `long-${size}.log`, data)).json() as Evidence;
        const forged = Buffer.from(data);
        forged.write('FORGED', size - 10);
        await tamper(e, forged);

        const res = await fetch(`${baseUrl}/api/v1/tests/${testId}/evidence/${e.id}/download`, {
          headers: red.bearer,
        });
        expect(res.status, `${size} bytes`).toBe(409);
        expect(res.headers.get('content-disposition')).toBeNull();
        expect(res.headers.get('x-content-sha256')).toBeNull();
        const body = (await res.json()) as { error: { code: string; message: string; details: unknown } };
        expect(body.error.code).toBe('integrity_error');
        expect(body.error.message).toContain(e.id);
        expect(body.error.message).toContain(e.sha256);
        expect(body.error.message).toContain(sha256(forged));
        expect(body.error.details).toMatchObject({
          evidenceId: e.id,
          expected: { sha256: e.sha256, sizeBytes: size },
          found: { sha256: sha256(forged), sizeBytes: size },
        });

        const audits = (await auditOf(db, e.id)).filter((a) => a.action === 'evidence.integrity_failure');
        expect(audits).toHaveLength(1);
        expect(audits[0]?.summary).toMatchObject({
          reason: 'sha256',
          expected: { sha256: e.sha256, sizeBytes: size },
          found: { sha256: sha256(forged), sizeBytes: size },
        });
      }
      expect(logs.some((l) => l.msg === 'evidence integrity failure' && l.reason === 'sha256')).toBe(true);
    });

    it('answers a grown file 409 and a vanished one 410 gone, before any byte, and audits both', async () => {
      const testId = await createTest(db, 'red_executing');
      const upload = async (name: string) =>
        (await api.file(red, testId, name, textOf(2000, name))).json() as Evidence;
      const [grown, gone] = [await upload('b.txt'), await upload('c.txt')];
      await tamper(grown, textOf(2001, 'b.txt'));
      await platform.storage.delete(`evidence/${testId}/${gone.id}`);

      for (const [e, reason, status, code] of [
        [grown, 'size', 409, 'integrity_error'],
        [gone, 'missing', 410, 'gone'],
      ] as const) {
        const res = await api.download(red, testId, e.id);
        expect(res.statusCode, reason).toBe(status);
        expect(res.json().error).toMatchObject({ code, message: expect.stringContaining(e.id) });
        expect(res.headers['content-disposition']).toBeUndefined();
        expect(res.headers['x-content-sha256']).toBeUndefined();
        const audit = (await auditOf(db, e.id)).find((a) => a.action === 'evidence.integrity_failure');
        expect(audit?.summary).toMatchObject({ reason });
        if (driver === 's3')
          expect((await api.url(red, testId, e.id)).statusCode, `url: ${reason}`).toBe(status);
      }
    });

    it('keeps nothing of a file over the limit (413), whether just over or far over', async () => {
      const { app: small } = await startEvidenceApp(platform, { maxBytes: 64 * KiB, multipartAtRoot: true });
      const smallApi = client(small);
      const smallRed = await signedInAs(platform, small, 'red_tech');
      const testId = await createTest(db, 'red_executing');

      for (const size of [64 * KiB + 1, 1 * MiB]) {
        const res = await smallApi.file(smallRed, testId, 'big.log', textOf(size), [
          { name: 'description', value: 'after the file comes nothing' },
        ]);
        expect(res.statusCode, `${size} bytes`).toBe(413);
        expect(res.json().error).toMatchObject({
          code: 'payload_too_large',
          message: expect.stringContaining('64 KiB'),
        });
      }
      // Over a real socket the client still reads the 413, although the server stopped reading its body.
      const smallUrl = await small.listen({ host: '127.0.0.1', port: 0 });
      const body = new FormData();
      body.append('file', new Blob([textOf(8 * MiB)]), 'huge.log');
      const viaSocket = await fetch(`${smallUrl}/api/v1/tests/${testId}/evidence`, {
        method: 'POST',
        headers: smallRed.bearer,
        body,
      });
      expect(viaSocket.status).toBe(413);
      expect(viaSocket.headers.get('connection')).toBe('close');
      const spoofed = new FormData();
      spoofed.append('file', new Blob([MZ, textOf(8 * MiB)]), 'report.png');
      const refused = await fetch(`${smallUrl}/api/v1/tests/${testId}/evidence`, {
        method: 'POST',
        headers: smallRed.bearer,
        body: spoofed,
      });
      expect(refused.status).toBe(415);
      expect(((await viaSocket.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');

      const ok = await smallApi.file(smallRed, testId, 'exact.log', textOf(64 * KiB));
      expect(ok.statusCode).toBe(201);
      const listed = (await smallApi.list(smallRed, testId)).json();
      expect(listed.items.map((i: Evidence) => i.filename)).toEqual(['exact.log']);
      expect(await storedUnder(testId)).toHaveLength(1);
    });

    it('keeps nothing of an upload that breaks off midway (past the first S3 part)', async () => {
      const testId = await createTest(db, 'red_executing');
      const chunk = textOf(4 * MiB, 'partial');
      const stream = Readable.from(
        (async function* () {
          for (let i = 0; i < 3; i++) yield chunk;
          throw new Error('connection reset by peer');
        })(),
      );
      async function* parts(): AsyncGenerator<FormPart> {
        yield { type: 'file', name: 'file', filename: 'cut.log', stream, truncated: () => false };
      }
      const actor = { userId: red.user.id, username: red.user.username, ip: null, requestId: null };
      await expect(
        service.upload(actor, { id: red.user.id, role: 'red_tech' }, testId, parts()),
      ).rejects.toThrow('connection reset by peer');
      expect(await storedUnder(testId)).toEqual([]);
      expect((await api.list(red, testId)).json().total).toBe(0);
    });

    it('answers HEAD on a download with the headers only', async () => {
      const testId = await createTest(db, 'red_executing');
      const data = textOf(200 * KiB, 'head');
      const e = (await api.file(red, testId, 'head.txt', data)).json() as Evidence;
      const res = await app.inject({
        method: 'HEAD',
        url: `/api/v1/tests/${testId}/evidence/${e.id}/download`,
        headers: red.bearer,
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-content-sha256']).toBe(e.sha256);
      expect(res.rawPayload.length).toBe(0);
    });

    it('refuses a spoofed file without keeping any of it', async () => {
      const testId = await createTest(db, 'red_executing');
      const res = await api.file(red, testId, 'notes.txt', Buffer.concat([textOf(200 * KiB), MZ]));
      expect(res.statusCode).toBe(415);
      expect(await storedUnder(testId)).toEqual([]);
      expect((await api.list(red, testId)).json().total).toBe(0);
    });

    it(`gives a direct URL ${driver === 's3' ? 'that serves the file' : 'of null (files go through /download)'}`, async () => {
      const testId = await createTest(db, 'red_executing');
      const data = textOf(5000, 'presign');
      const e = (await api.file(red, testId, 'direct.txt', data)).json() as Evidence;
      const res = await api.url(red, testId, e.id);
      expect(res.statusCode).toBe(200);
      const { url, expiresAt } = res.json();
      if (driver === 'fs') {
        expect({ url, expiresAt }).toEqual({ url: null, expiresAt: null });
        return;
      }
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());
      const { res: direct, body } = await fetchAll(url);
      expect(direct.status).toBe(200);
      expect(body.ok && body.bytes.equals(data)).toBe(true);
      expect(direct.headers.get('content-disposition')).toContain('direct.txt');
    });

    it('deletes the stored object with the row', async () => {
      const testId = await createTest(db, 'red_executing');
      const e = (await api.file(red, testId, 'gone.txt', textOf(100))).json() as Evidence;
      expect((await api.remove(red, testId, e.id)).statusCode).toBe(204);
      await expect(platform.storage.head(`evidence/${testId}/${e.id}`)).rejects.toBeInstanceOf(
        BlobNotFoundError,
      );
      expect(await storedUnder(testId)).toEqual([]);
      expect((await auditOf(db, e.id)).map((a) => a.action)).toEqual(['evidence.upload', 'evidence.delete']);
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// Who may add, see and delete what, and what is accepted: rules, on the fs driver.
// ---------------------------------------------------------------------------------------------------

describe(`evidence rules on ${testDbKind}`, async () => {
  const platform = await startTestPlatform({ LOGIN_RATE_LIMIT: '1000' });
  const { db } = platform.database;
  const { app } = await startEvidenceApp(platform);
  const api = client(app);
  const sessions = {} as Record<Role, Session>;
  sessions.admin = await signIn(app, 'admin', ADMIN_PASSWORD);
  for (const role of roles) if (role !== 'admin') sessions[role] = await signedInAs(platform, app, role);
  const { red_tech: red, blue_tech: blue, red_lead: redLead, blue_lead: blueLead, viewer, admin } = sessions;
  const txt = (name = 'evidence.txt') => ({ name: 'file', filename: name, data: textOf(300, name) });

  /** A test holding one red and one blue file, left in `state`. */
  async function testWithBothSides(state: State) {
    const testId = await createTest(db, 'red_executing');
    const r = (await api.upload(red, testId, [txt('red.txt')])).json() as Evidence;
    await setState(db, testId, 'blue_evaluating');
    const b = (await api.upload(blue, testId, [txt('blue.txt')])).json() as Evidence;
    await setState(db, testId, state);
    return { testId, red: r, blue: b };
  }

  const UPLOAD_WINDOWS: Record<Exclude<Role, 'viewer'>, readonly State[]> = {
    red_tech: ['draft', 'red_executing'],
    red_lead: ['draft', 'red_executing'],
    blue_tech: ['blue_evaluating'],
    blue_lead: ['blue_evaluating'],
    admin: ['draft', 'red_executing', 'blue_evaluating'],
  };

  it.each(Object.entries(UPLOAD_WINDOWS))('lets %s upload only while the test is %j', async (role, open) => {
    const testId = await createTest(db);
    for (const state of STATES) {
      await setState(db, testId, state);
      const extra: Part[] = role === 'admin' ? [{ name: 'side', value: 'blue' }] : [];
      const res = await api.upload(sessions[role as Role], testId, [...extra, txt()]);
      if (open.includes(state)) {
        expect(res.statusCode, `${role} in ${state}: ${res.body}`).toBe(201);
        expect(res.json().side).toBe(role === 'admin' ? 'blue' : role.split('_')[0]);
      } else {
        expect(res.statusCode, `${role} in ${state}`).toBe(409);
        expect(res.json().error).toMatchObject({ code: 'conflict', message: expect.stringContaining(state) });
      }
    }
  });

  it('refuses viewers (403), admins without a side (400) and a side other than the own team (403)', async () => {
    const testId = await createTest(db, 'red_executing');
    const byViewer = await api.upload(viewer, testId, [txt()]);
    expect(byViewer.statusCode).toBe(403);
    expect(byViewer.json().error.code).toBe('forbidden');

    const noSide = await api.upload(admin, testId, [txt()]);
    expect(noSide.statusCode).toBe(400);
    expect(noSide.json().error.details.issues).toEqual([
      { path: 'body.side', message: expect.stringContaining('admins') },
    ]);
    const badSide = await api.upload(admin, testId, [{ name: 'side', value: 'green' }, txt()]);
    expect(badSide.statusCode).toBe(400);
    expect(badSide.json().error.details.issues[0].path).toBe('body.side');

    const otherTeam = await api.upload(red, testId, [{ name: 'side', value: 'blue' }, txt()]);
    expect(otherTeam.statusCode).toBe(403);
    expect((await api.list(admin, testId)).json().total).toBe(0);
    expect(
      await listFiles(
        path.join(
          platform.config.storage.driver === 'fs' ? platform.config.storage.dir : '',
          'evidence',
          testId,
        ),
      ),
    ).toEqual([]);
  });

  it.each(IN_FLIGHT)('shows each team only its own side while the test is %s', async (state) => {
    const t = await testWithBothSides(state);
    const expected: Record<Role, string[]> = {
      admin: ['red.txt', 'blue.txt'],
      red_lead: ['red.txt', 'blue.txt'],
      blue_lead: ['red.txt', 'blue.txt'],
      red_tech: ['red.txt'],
      blue_tech: ['blue.txt'],
      viewer: [],
    };
    for (const role of roles) {
      const listed = (await api.list(sessions[role], t.testId)).json();
      expect(
        listed.items.map((e: Evidence) => e.filename),
        role,
      ).toEqual(expected[role]);
      expect(listed.total).toBe(expected[role].length);
      for (const e of [t.red, t.blue]) {
        const visible = expected[role].includes(e.filename);
        const [down, url] = [
          await api.download(sessions[role], t.testId, e.id),
          await api.url(sessions[role], t.testId, e.id),
        ];
        expect(down.statusCode, `${role} downloads ${e.filename}`).toBe(visible ? 200 : 404);
        expect(url.statusCode, `${role} asks a URL for ${e.filename}`).toBe(visible ? 200 : 404);
        if (!visible) expect(down.json().error.code).toBe('not_found');
      }
    }
  });

  it.each(['validated', 'rejected'] as const)(
    'shows everyone both sides once the test is %s',
    async (state) => {
      const t = await testWithBothSides(state);
      for (const role of roles) {
        expect((await api.list(sessions[role], t.testId)).json().total, role).toBe(2);
        for (const e of [t.red, t.blue])
          expect((await api.download(sessions[role], t.testId, e.id)).statusCode, role).toBe(200);
      }
    },
  );

  it('lets the owning team, its lead and admins delete before review; hides or refuses the rest', async () => {
    const t = await testWithBothSides('blue_evaluating');
    expect((await api.remove(red, t.testId, t.blue.id)).statusCode).toBe(404); // hidden from red
    expect((await api.remove(blueLead, t.testId, t.red.id)).statusCode).toBe(403); // seen, not theirs
    expect((await api.remove(viewer, t.testId, t.red.id)).statusCode).toBe(403);
    expect((await api.remove(redLead, t.testId, t.red.id)).statusCode).toBe(204);
    expect((await api.remove(admin, t.testId, t.blue.id)).statusCode).toBe(204);
    expect((await api.list(admin, t.testId)).json().total).toBe(0);
    expect((await api.remove(admin, t.testId, t.blue.id)).statusCode).toBe(404);
  });

  it.each(['in_review', 'validated', 'rejected'] as const)(
    'refuses every deletion once the test is %s (409)',
    async (state) => {
      const t = await testWithBothSides(state);
      for (const s of [red, admin]) {
        const res = await api.remove(s, t.testId, t.red.id);
        expect(res.statusCode).toBe(409);
        expect(res.json().error.message).toContain(state);
      }
      expect((await api.list(admin, t.testId)).json().total).toBe(2);
    },
  );

  it.each([
    ['setup.exe', MZ, 415, '.exe'],
    ['README', textOf(10), 415, 'evidence must be one of'],
    ['report.png', MZ, 415, 'the content is a Windows executable (MZ)'],
    ['notes.txt', PNG, 415, 'the content is a PNG image'],
    ['capture.pcap', ELF, 415, 'the content is an ELF executable'],
    ['photo.jpg', PNG, 415, 'must be a JPEG image'],
    ['empty.txt', Buffer.alloc(0), 400, 'the file is empty'],
  ])('refuses %s with %s', async (filename, data, status, words) => {
    const testId = await createTest(db, 'red_executing');
    const res = await api.upload(red, testId, [{ name: 'file', filename, data }]);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.message).toContain(words);
    expect((await api.list(red, testId)).json().total).toBe(0);
  });

  it.each([
    ['../../etc/passwd.txt', 'passwd.txt'],
    ['..\\..\\boot.ini.txt', 'boot.ini.txt'],
    ['C:\\Windows\\System32\\drivers\\etc\\hosts.txt', 'hosts.txt'],
    ['con.log', '_con.log'],
    ['.hidden.md', 'hidden.md'],
  ])('stores %j under the sanitised name %j and audits what was sent', async (sent, kept) => {
    const testId = await createTest(db, 'red_executing');
    const res = await api.upload(red, testId, [{ name: 'file', filename: sent, data: textOf(100) }]);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().filename).toBe(kept);
    const down = await api.download(red, testId, res.json().id);
    expect(down.headers['content-disposition']).toContain(`filename="${kept}"`);
    const [audit] = await auditOf(db, res.json().id);
    expect(audit?.summary).toMatchObject({ filename: kept, originalFilename: sent });
  });

  it.each([['../..'], ['..\\..\\'], ['...'], ['/']])(
    'refuses the name %j with 400 naming the file field',
    async (filename) => {
      const testId = await createTest(db, 'red_executing');
      const res = await api.upload(red, testId, [{ name: 'file', filename, data: textOf(100) }]);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.issues[0].path).toBe('body.file');
    },
  );

  it('answers malformed uploads in words', async () => {
    const testId = await createTest(db, 'red_executing');
    const json = await app.inject({
      method: 'POST',
      url: `/api/v1/tests/${testId}/evidence`,
      headers: red.bearer,
      payload: { file: 'x' },
    });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.message).toContain('multipart/form-data');

    const noFile = await api.upload(red, testId, [{ name: 'description', value: 'no file' }]);
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.details.issues[0].path).toBe('body.file');

    const wrongField = await api.upload(red, testId, [
      { name: 'upload', filename: 'a.txt', data: textOf(10) },
    ]);
    expect(wrongField.statusCode).toBe(400);

    const longText = await api.upload(red, testId, [{ name: 'description', value: 'd'.repeat(2001) }, txt()]);
    expect(longText.statusCode).toBe(400);
    expect(longText.json().error.details.issues[0].path).toBe('body.description');

    const twoFiles = await api.upload(red, testId, [txt('one.txt'), txt('two.txt')]);
    expect(twoFiles.statusCode).toBeGreaterThanOrEqual(400);
    expect(twoFiles.statusCode).toBeLessThan(500);

    const unknownTest = await api.upload(red, randomUUID(), [txt()]);
    expect(unknownTest.statusCode).toBe(404);
    expect((await api.list(red, randomUUID())).statusCode).toBe(404);
    expect((await api.download(red, testId, 'not-a-uuid')).statusCode).toBe(400);
  });

  it('requires sign-in for every evidence route', async () => {
    const testId = await createTest(db, 'red_executing');
    for (const [method, url] of [
      ['GET', `/api/v1/tests/${testId}/evidence`],
      ['POST', `/api/v1/tests/${testId}/evidence`],
      ['GET', `/api/v1/tests/${testId}/evidence/${randomUUID()}/download`],
      ['GET', `/api/v1/tests/${testId}/evidence/${randomUUID()}/url`],
      ['DELETE', `/api/v1/tests/${testId}/evidence/${randomUUID()}`],
    ] as const)
      expect((await app.inject({ method, url })).statusCode, `${method} ${url}`).toBe(401);
  });

  it('keeps upload time, uploader and description on the record', async () => {
    const testId = await createTest(db, 'blue_evaluating');
    const before = Date.now();
    const res = await api.upload(blue, testId, [
      { name: 'description', value: '  EDR alert export  ' },
      txt('alert.json'),
    ]);
    expect(res.statusCode, res.body).toBe(201);
    const e = res.json() as Evidence;
    expect(e).toMatchObject({ side: 'blue', description: 'EDR alert export', uploadedBy: blue.user.id });
    expect(Date.parse(e.createdAt)).toBeGreaterThanOrEqual(before - 5000);
    const stored = await readFile(
      path.join(
        platform.config.storage.driver === 'fs' ? platform.config.storage.dir : '',
        'evidence',
        testId,
        e.id,
      ),
    );
    expect(sha256(stored)).toBe(e.sha256);
  });
});
