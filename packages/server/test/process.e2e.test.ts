import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/infra/db';
import { serverRoot } from '../src/infra/paths';
import { startS3rver } from './s3rver';
import { health, healthAsAdmin, runCli, spawnCli, startServer } from './server-process';
import { ADMIN_PASSWORD, createPostgresDatabase, TEST_SECRET, tempDir } from './support';

describe('embedded mode (the README quick start)', () => {
  it('starts, serves health and the web app, refuses a second process on its folder, and keeps its data', async () => {
    const dataDir = tempDir();
    const first = await startServer({ DATA_DIR: dataDir, ADMIN_PASSWORD });

    expect(await health(first.url)).toEqual({ status: 200, body: { status: 'ok' } });
    const h = await healthAsAdmin(first.url);
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'ok', mode: 'embedded' });
    expect([h.body.checks.db.status, h.body.checks.storage.status, h.body.checks.jobs.status]).toEqual([
      'ok',
      'ok',
      'ok',
    ]);

    const page = await fetch(first.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="root"></div>');
    // A plain `curl` of the printed URL (Accept: */*) gets the page too, not a JSON 404.
    const plain = await fetch(first.url, { headers: { accept: '*/*' } });
    expect(plain.status).toBe(200);
    expect(await plain.text()).toContain('<div id="root"></div>');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect((await fetch(`${first.url}${script}`)).status).toBe(200);

    const secretBefore = readFileSync(path.join(dataDir, 'secret.key'), 'utf8');
    const second = await runCli(['serve'], { DATA_DIR: dataDir });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/data folder .* is in use by another Aegis process \(pid \d+/);
    expect(second.stderr).toContain('Nothing was changed');

    // The first instance is unaffected and shuts down cleanly, releasing the folder.
    expect((await health(first.url)).status).toBe(200);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(readFileSync(path.join(dataDir, 'secret.key'), 'utf8')).toBe(secretBefore);

    const db = await openDatabase({ driver: 'pglite', dir: path.join(dataDir, 'db') });
    try {
      const r = await db.db.execute<{ n: number }>(
        sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
      );
      expect(r.rows[0]?.n).toBeGreaterThanOrEqual(1);
      const q = await db.db.execute<{ n: number }>(sql`select count(*)::int as n from pgboss.queue`);
      expect(q.rows[0]?.n).toBeGreaterThanOrEqual(1);
    } finally {
      await db.close();
    }

    // And it starts again on the same data.
    const again = await startServer({ DATA_DIR: dataDir });
    expect((await health(again.url)).body.status).toBe('ok');
    expect(await again.stop('SIGINT')).toBe(0);
  });
});

describe('bad configuration', () => {
  it('exits non-zero listing every problem, with a hint for the secret', async () => {
    const r = await runCli(['serve'], {
      DATA_DIR: tempDir(),
      PORT: 'abc',
      AEGIS_ENV: 'production',
      LOG_LEVEL: 'noisy',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/3 problems/);
    expect(r.stderr).toMatch(/PORT: .*"abc"/);
    expect(r.stderr).toMatch(/LOG_LEVEL/);
    expect(r.stderr).toMatch(
      /SECRET_KEY: required when AEGIS_ENV=production; generate one with: openssl rand -hex 32/,
    );
  });

  it('refuses a weak production secret', async () => {
    const r = await runCli(['serve'], {
      DATA_DIR: tempDir(),
      AEGIS_ENV: 'production',
      SECRET_KEY: 'changeme',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/SECRET_KEY: must be at least 32 characters/);
  });

  it('prints usage for an unknown command', async () => {
    const r = await runCli(['frobnicate'], {});
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/unknown command "frobnicate"/);
    expect(r.stderr).toMatch(/aegis serve\n +Start Aegis/);
  });
});

describe('server mode: PostgreSQL + S3', () => {
  it('migrates through the CLI, then serves with db, S3 storage and jobs ok', async () => {
    const databaseUrl = await createPostgresDatabase();
    const s3 = await startS3rver('aegis-evidence');
    const env = {
      DATA_DIR: tempDir(),
      DATABASE_URL: databaseUrl,
      SECRET_KEY: TEST_SECRET,
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
    };
    const migrated = await runCli(['migrate'], env);
    expect(migrated.code).toBe(0);
    expect(migrated.stdout).toContain('Database is up to date.');

    const server = await startServer({ ...env, ADMIN_PASSWORD });
    const h = await healthAsAdmin(server.url);
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'ok', mode: 'server' });
    expect(h.body.checks.storage.status).toBe('ok');
    expect(await server.stop()).toBe(0);
  });
});

describe('first admin and the users CLI', () => {
  it('prints a generated admin password once, and users made by the CLI can sign in', async () => {
    const dataDir = tempDir();
    const first = await startServer({ DATA_DIR: dataDir });
    const block = /AEGIS — INITIAL ADMIN ACCOUNT[\s\S]*?username: admin\s+password: (\S+)/.exec(
      first.output(),
    );
    expect(block?.[1]).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);
    const password = block?.[1] ?? '';
    const login = async (url: string, username: string, pw: string) =>
      (
        await fetch(`${url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password: pw }),
        })
      ).status;
    expect(await login(first.url, 'admin', password)).toBe(200);
    expect(await first.stop()).toBe(0);

    const created = await runCli(
      ['users', 'create', '--username', 'blue.lead', '--email', 'bl@x.test', '--role', 'blue_lead'],
      {
        DATA_DIR: dataDir,
      },
    );
    expect(created.code).toBe(0);
    const generated = /Password \(shown once[^)]*\): (\S+)/.exec(created.stdout)?.[1] ?? '';
    const listed = await runCli(['users', 'list', '--role', 'blue_lead'], { DATA_DIR: dataDir });
    expect(listed.stdout).toMatch(/blue\.lead\s+blue_lead\s+active/);
    expect(listed.stdout).toContain('1 user(s)');

    const second = await startServer({ DATA_DIR: dataDir });
    expect(second.output()).not.toContain('INITIAL ADMIN ACCOUNT');
    expect(await login(second.url, 'blue.lead', generated)).toBe(200);
    // While the server runs, the CLI is refused by the data-folder lock rather than corrupting it.
    const locked = await runCli(['users', 'list'], { DATA_DIR: dataDir });
    expect(locked.code).toBe(2);
    expect(locked.stderr).toMatch(/in use by another Aegis process/);
    expect(await second.stop()).toBe(0);
  });
});

describe('the import CLI for catalog sources', () => {
  it('syncs a source from a folder, then finds it unchanged; refuses an unknown source', async () => {
    const dataDir = tempDir();
    const lolbas = path.resolve(serverRoot, '..', '..', '..', 'shared', 'data', 'lolbas');
    const first = await runCli(['import', 'lolbas', lolbas], { DATA_DIR: dataDir });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /Synced LOLBAS .* in [\d.]+ s:\n {2}added (\d+), updated 0, removed 0, unchanged 0/,
    );
    const again = await runCli(['import', 'lolbas', lolbas], { DATA_DIR: dataDir });
    expect(again.stdout).toMatch(/added 0, updated 0, removed 0, unchanged \d+/);
    const unknown = await runCli(['import', 'no-such-source', lolbas], { DATA_DIR: dataDir });
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toMatch(/unknown import "no-such-source"/);
  });
});

describe('a sync whose process is killed', () => {
  it('is failed as interrupted, with its source, when the data folder is next opened', async () => {
    const dataDir = tempDir();
    // An archive URL that starts answering and then goes silent: the sync is running when it is killed.
    let requested: () => void = () => {};
    const request = new Promise<void>((r) => {
      requested = r;
    });
    const stalling = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/gzip' });
      res.write(Buffer.from([0x1f, 0x8b]));
      requested();
    });
    await new Promise<void>((r) => stalling.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(stalling.address() as AddressInfo).port}/rules.tar.gz`;
    const cli = spawnCli(['import', 'elastic', url], { DATA_DIR: dataDir });
    try {
      await request;
      await new Promise((r) => setTimeout(r, 300));
      cli.kill('SIGKILL');
      await new Promise((r) => cli.once('exit', r));
    } finally {
      stalling.closeAllConnections();
      stalling.close();
    }

    const server = await startServer({ DATA_DIR: dataDir, ADMIN_PASSWORD });
    try {
      const login = await fetch(`${server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const get = async (p: string) =>
        (
          await fetch(`${server.url}/api/v1${p}`, { headers: { authorization: `Bearer ${accessToken}` } })
        ).json();
      const sources = (await get('/data-sources')) as {
        items: Array<{ id: string; key: string; status: string; lastError: string }>;
      };
      const elastic = sources.items.find((s) => s.key === 'elastic');
      expect(elastic).toMatchObject({
        status: 'failed',
        lastError: expect.stringMatching(
          /^interrupted: the instance running it stopped; no heartbeat since /,
        ),
      });
      const runs = (await get(`/data-sources/${elastic?.id}/runs`)) as {
        items: Array<{ status: string; errors: Array<{ message: string }> }>;
      };
      expect(runs.items).toHaveLength(1);
      expect(runs.items[0]).toMatchObject({ status: 'failed' });
      expect(runs.items[0]?.errors.at(-1)?.message).toBe(elastic?.lastError);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });
});
