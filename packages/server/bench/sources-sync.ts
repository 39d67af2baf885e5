/**
 * Benchmark: sync every catalog source from the shared data into a fresh database (after ATT&CK
 * 18.1), on PGlite and on PostgreSQL, through the real CLI (`aegis import <source> <location>`).
 * Prints first the parse floor of each source (read the files or archive, run the adapter, in this
 * process, no database), then the time of each source's first sync and of a re-sync.
 * Run: npm run bench:sources
 * The adapter and archive tests assert what is parsed, never how fast: speed is measured here.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BlobStore } from '../src/infra/storage';
import { definitionOf, runAdapter } from '../src/modules/catalog/registry';
import { loadSourceFiles } from '../src/modules/catalog/sync';

const here = path.dirname(fileURLToPath(import.meta.url));
const main = path.resolve(here, '../dist/main.js');
const data = path.resolve(here, '../../../../shared/data');
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const print = (line: string) => process.stdout.write(`${line}\n`);

const SOURCES: Array<[string, string]> = [
  ['atomic-red-team', 'atomic-red-team'],
  ['caldera', 'caldera'],
  ['lolbas', 'lolbas'],
  ['gtfobins', 'gtfobins'],
  ['sigma', 'sigma/rules.tar.gz'],
  ['sigma-emerging-threats', 'sigma/rules-emerging-threats.tar.gz'],
  ['sigma-threat-hunting', 'sigma/rules-threat-hunting.tar.gz'],
  ['elastic', 'elastic-rules'],
  ['d3fend', 'd3fend'],
  ['nist-800-53-r5', 'compliance/nist-800-53'],
  ['cis-v8', 'compliance/cis-v8'],
];

/** Reading and parsing alone: the floor a sync cannot go under. */
async function parseFloor() {
  print(`\nParse floor (no database)\n${'source'.padEnd(26)} ${'items'.padStart(7)} ${'parse'.padStart(8)}`);
  for (const [key, location] of SOURCES) {
    const def = definitionOf({ key, adapter: key });
    if (!def) throw new Error(`no source definition ${key}`);
    const at = path.join(data, location);
    const started = performance.now();
    // An archive is read as an upload would be: the blob store hands the file's bytes over.
    const storage = { get: async () => ({ body: createReadStream(at) }) } as unknown as BlobStore;
    const files = await loadSourceFiles({ storage }, def, {
      type: location.endsWith('.tar.gz') ? 'upload' : 'folder',
      value: at,
    });
    const output = runAdapter(def.adapter, files);
    const ms = performance.now() - started;
    print(
      `${key.padEnd(26)} ${String(output.result.items.length).padStart(7)} ${`${(ms / 1000).toFixed(2)} s`.padStart(8)}`,
    );
  }
}

function cli(args: string[], env: Record<string, string>): string {
  const r = spawnSync(process.execPath, [main, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`aegis ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

const seconds = (out: string) => Number(/in ([\d.]+) s/.exec(out)?.[1] ?? Number.NaN);

function run(label: string, env: Record<string, string>) {
  cli(['import', 'attack', path.join(data, 'attack/enterprise-attack-18.1.json.gz')], env);
  print(
    `\n${label}\n${'source'.padEnd(26)} ${'items'.padStart(7)} ${'first'.padStart(8)} ${'re-sync'.padStart(8)}`,
  );
  for (const [key, location] of SOURCES) {
    const first = cli(['import', key, path.join(data, location)], env);
    const again = cli(['import', key, path.join(data, location)], env);
    const items = /added (\d+)/.exec(first)?.[1] ?? '?';
    print(
      `${key.padEnd(26)} ${items.padStart(7)} ${`${seconds(first).toFixed(2)} s`.padStart(8)} ${`${seconds(again).toFixed(2)} s`.padStart(8)}`,
    );
  }
}

await parseFloor();
run('PGlite (embedded)', { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'aegis-bench-')) });

const name = `aegis_bench_sources_${process.pid}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
try {
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  run('PostgreSQL', {
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'aegis-bench-')),
    DATABASE_URL: url.toString(),
  });
  await admin.query(`drop database if exists ${name} with (force)`);
} catch (err) {
  print(`(PostgreSQL skipped: ${(err as Error).message})`);
} finally {
  await admin.end().catch(() => {});
}
