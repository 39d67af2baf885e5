/**
 * Benchmark: import Enterprise ATT&CK 18.1 into an empty database, on PGlite and on PostgreSQL, next
 * to the floor (gunzip + JSON.parse of the same file). Each case runs in its own process so peak
 * memory (max RSS) is its own. Run: npm run bench:attack [-- --runs 3]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';

const file = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/data/attack/enterprise-attack-18.1.json.gz',
);
const print = (line: string) => process.stdout.write(`${line}\n`);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface Result {
  ms: number;
  maxRssMb: number;
}

async function child(mode: string): Promise<Result> {
  const t0 = performance.now();
  if (mode === 'floor') {
    JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  } else {
    const { openDatabase, runMigrations } = await import('../src/infra/db');
    const { createLogger } = await import('../src/infra/logger');
    const { createFsBlobStore } = await import('../src/infra/storage/fs-store');
    const { importAttack } = await import('../src/modules/attack');
    const { RELEASE_FOLLOWERS, TECHNIQUE_WORK_MOVERS } = await import('../src/services');
    const { CLI_ACTOR } = await import('../src/modules/audit-logs');
    const logger = createLogger({ log: { level: 'warn' } });
    const db =
      mode === 'pglite'
        ? await openDatabase({ driver: 'pglite', dir: undefined })
        : await openDatabase({
            driver: 'postgres',
            url: process.env.BENCH_DB_URL ?? '',
            poolMax: 4,
            statementCache: 500,
          });
    await runMigrations(db);
    const storage = await createFsBlobStore(path.join('/tmp', `aegis-bench-${process.pid}`));
    const started = performance.now();
    await importAttack(
      { db: db.db, storage, logger, movers: [...TECHNIQUE_WORK_MOVERS], followers: [...RELEASE_FOLLOWERS] },
      { source: { type: 'file', path: file }, actor: CLI_ACTOR },
    );
    const ms = performance.now() - started;
    await db.close();
    return { ms, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  }
  return { ms: performance.now() - t0, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

async function withDatabase<T>(fn: (url: string) => T): Promise<T | undefined> {
  const name = `aegis_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch {
    return undefined;
  }
  await admin.query(`create database ${name}`);
  try {
    const u = new URL(ADMIN_URL);
    u.pathname = `/${name}`;
    return fn(u.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

function run(mode: string, env: Record<string, string> = {}): Result {
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--child', mode],
    {
      env: { ...process.env, ...env },
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`${mode} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as Result;
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  process.stdout.write(`${JSON.stringify(await child(args[1] ?? 'floor'))}\n`);
  process.exit(0);
}
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const rows: Array<[string, Result[]]> = [];
rows.push(['floor: gunzip + JSON.parse', Array.from({ length: runs }, () => run('floor'))]);
rows.push(['import 18.1 → PGlite (in memory)', Array.from({ length: runs }, () => run('pglite'))]);
const pgResults: Result[] = [];
for (let i = 0; i < runs; i++) {
  const r = await withDatabase((url) => run('postgres', { BENCH_DB_URL: url }));
  if (r) pgResults.push(r);
}
if (pgResults.length) rows.push(['import 18.1 → PostgreSQL', pgResults]);
else print('(PostgreSQL not reachable at TEST_DATABASE_URL: skipped)');

const floor = median(rows[0]?.[1].map((r) => r.ms) ?? [1]);
print(`\nATT&CK Enterprise 18.1 import (${runs} runs each, median; ${path.basename(file)})\n`);
print(`${'case'.padEnd(36)} ${'time'.padStart(9)} ${'× floor'.padStart(8)} ${'peak RSS'.padStart(10)}`);
for (const [name, results] of rows) {
  const ms = median(results.map((r) => r.ms));
  const rss = median(results.map((r) => r.maxRssMb));
  print(
    `${name.padEnd(36)} ${`${ms.toFixed(0)} ms`.padStart(9)} ${(ms / floor).toFixed(1).padStart(8)} ${`${rss.toFixed(0)} MB`.padStart(10)}`,
  );
}
