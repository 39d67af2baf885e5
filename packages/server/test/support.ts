import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { type Config, loadConfig } from '../src/infra/config';
import { type DatabaseHandle, openDatabase, runMigrations } from '../src/infra/db';
import { createLogger } from '../src/infra/logger';
import { type Platform, startPlatform } from '../src/platform';

/**
 * Test support shared by every server test file. Integration tests (`*.int.test.ts`) run twice,
 * once per database: AEGIS_TEST_DB=pglite (in-memory) and AEGIS_TEST_DB=postgres (a fresh database
 * per test file on the local server, dropped afterwards).
 */
export const testDbKind: 'pglite' | 'postgres' =
  process.env.AEGIS_TEST_DB === 'postgres' ? 'postgres' : 'pglite';

/** Admin connection used to create and drop per-file databases. */
export const TEST_PG_ADMIN_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A strong secret for production-mode tests. */
export const TEST_SECRET = 'f3b1c9e27a4d8b60c5e9f1a2d3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6';

export const silentLogger = createLogger({ log: { level: 'silent' } });

export function tempDir(prefix = 'aegis-test-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function urlWithDatabase(base: string, database: string): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates an empty PostgreSQL database for this test file and drops it after the file. */
export async function createPostgresDatabase(): Promise<string> {
  const name = `aegis_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  afterAll(async () => {
    const c = new pg.Client({ connectionString: TEST_PG_ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  return urlWithDatabase(TEST_PG_ADMIN_URL, name);
}

/** A migrated database of the kind this run tests; closed after the file. */
export async function openTestDatabase(): Promise<DatabaseHandle> {
  const handle =
    testDbKind === 'postgres'
      ? await openDatabase({
          driver: 'postgres',
          url: await createPostgresDatabase(),
          poolMax: 5,
          statementCache: 500,
        })
      : await openDatabase({ driver: 'pglite', dir: undefined });
  afterAll(() => handle.close());
  await runMigrations(handle);
  return handle;
}

/** A config for tests: temp DATA_DIR, silent logs, plus any env overrides. */
/**
 * Tests never reach outside 127.0.0.1: the public ATT&CK sources point at a closed local port
 * unless a test points them at its own local server.
 */
export const OFFLINE_SOURCES = {
  ATTACK_BUNDLE_URL: 'http://127.0.0.1:9/enterprise-attack.json',
  ATTACK_TAXII_URL: 'http://127.0.0.1:9/taxii2/',
  JOB_SCHEDULE_ATTACK_SYNC: 'off',
  // Scores are recomputed where a test asks (a fixed clock): no five-minute refresh with the real one.
  JOB_SCHEDULE_SCORES_REFRESH: 'off',
};

/** The first admin's password in every test platform. */
export const ADMIN_PASSWORD = 'Admin-Passw0rd!';

export function testConfig(env: Record<string, string> = {}): Readonly<Config> {
  return loadConfig({ DATA_DIR: tempDir(), LOG_LEVEL: 'silent', ADMIN_PASSWORD, ...OFFLINE_SOURCES, ...env });
}

/** A fully started platform on this run's database kind (fs storage in a temp folder). */
export async function startTestPlatform(env: Record<string, string> = {}): Promise<Platform> {
  const databaseUrl =
    env.DATABASE_URL ?? (testDbKind === 'postgres' ? await createPostgresDatabase() : undefined);
  const config = testConfig({ ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), ...env });
  const platform = await startPlatform(config, {
    logger: silentLogger,
    inMemoryDatabase: testDbKind === 'pglite',
    jobTiming: { pollingIntervalSeconds: 0.5, cronMonitorIntervalSeconds: 1 },
  });
  afterAll(() => platform.close());
  return platform;
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  { timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
