/**
 * `npm run bench`: the one benchmark. For each database (PGlite embedded, PostgreSQL) and each size of
 * the synthetic organisation (`aegis dev seed`), it starts the built server with `node` and prints:
 *   routes      every main list/detail route: p50/p99 latency, req/s and bytes with 10 connections,
 *               beside /health's latency probed in the same run
 *   writes      tests created through the API per second, with 1 and with 10 clients
 *   responsive  /health, /auth/me and a sign-in, each beside eight heavy reads
 *   metrics     the operational metrics, 2-year weekly trends and the data-integrity view (issue 14)
 *   heatmap     /heatmap for each layer and the Navigator export under load (issue 15)
 *   snapshots   five snapshots taken through the API (time each), then the list, detail, comparisons
 *               (two snapshots, with unchanged ones, one and now) and the trend under load (issue 15)
 *   scores      the full score recompute (`aegis scores recompute`: every row written, then again
 *               with nothing changed) and the score and coverage routes' p50/p99 (issue 13)
 *   rss         the server's resident memory: idle after start, after the load, after an ATT&CK
 *               import uploaded to it, and its peak (idle and peak are printed with any section)
 * and, once per run, the ATT&CK import against its parse floor (bench/attack-import.ts) and, with
 * `--sections sources`, the catalog source syncs (bench/sources-sync.ts).
 *
 *   npm run bench -- --sizes 5000,50000,250000 --db pglite,postgres --seconds 5 --sections routes,writes,responsive,rss,attack
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { explainMetrics } from './explain-metrics';
import { type LoadResult, load, type Target } from './load';

const here = path.dirname(fileURLToPath(import.meta.url));
const serverRoot = path.resolve(here, '..');
const mainJs = path.join(serverRoot, 'dist', 'main.js');
const ATTACK = path.resolve(serverRoot, '../../../shared/data/attack/enterprise-attack-18.1.json.gz');
const NIST = path.resolve(serverRoot, '../../../shared/data/compliance/nist-800-53');
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PASSWORD = 'Synthetic-Passw0rd!';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '5000,50000,250000' },
    db: { type: 'string', default: 'pglite,postgres' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '10' },
    sections: { type: 'string', default: 'routes,writes,responsive,rss,attack' },
    json: { type: 'string' },
  },
});
const sizes = (values.sizes ?? '')
  .split(',')
  .map(Number)
  .filter((n) => n > 0);
const dbs = (values.db ?? '').split(',').filter((d) => d === 'pglite' || d === 'postgres');
const seconds = Number(values.seconds) || 5;
const connections = Number(values.connections) || 10;
const sections = new Set((values.sections ?? '').split(','));
const print = (line = '') => process.stdout.write(`${line}\n`);
const results: Record<string, unknown> = {};

const baseEnv = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '',
  LOG_LEVEL: 'warn',
  ATTACK_BUNDLE_URL: 'http://127.0.0.1:9/enterprise-attack.json',
  ATTACK_TAXII_URL: 'http://127.0.0.1:9/taxii2/',
  JOB_SCHEDULE_ATTACK_SYNC: 'off',
  ADMIN_PASSWORD: 'Admin-Passw0rd!',
  ACCESS_TOKEN_EXPIRE_MINUTES: '600',
  LOGIN_RATE_LIMIT: '1000',
};

function cli(args: string[], env: Record<string, string>): string {
  const r = spawnSync(process.execPath, [mainJs, ...args], {
    env: { ...baseEnv, ...env },
    encoding: 'utf8',
    cwd: serverRoot,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0)
    throw new Error(`aegis ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function pgAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
const urlOf = (name: string) => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

/**
 * One database holding ATT&CK 18.1 (and NIST 800-53 for the compliance pages), made once per kind
 * and copied for each size: a template database on PostgreSQL, a copied data folder on PGlite.
 */
const templates = new Map<string, Record<string, string>>();
function templateEnv(kind: string): Record<string, string> {
  const existing = templates.get(kind);
  if (existing) return existing;
  const t0 = performance.now();
  let env: Record<string, string>;
  if (kind === 'postgres') {
    const name = `aegis_bench_tpl_${process.pid}`;
    spawnSync('psql', [ADMIN_URL, '-qc', `create database ${name}`]);
    env = { DATABASE_URL: urlOf(name) };
  } else {
    const dir = `/tmp/aegis-bench-${process.pid}-tpl`;
    env = { DATA_DIR: dir };
  }
  cli(['import', 'attack', ATTACK], env);
  try {
    cli(['import', 'nist-800-53-r5', NIST], env);
  } catch (err) {
    print(
      `  (NIST 800-53 import failed, compliance routes will be empty: ${(err as Error).message.split('\n')[0]})`,
    );
  }
  print(`  ${kind}: ATT&CK 18.1 + NIST imported once in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  templates.set(kind, env);
  return env;
}

async function freshDatabase(
  kind: string,
  size: number,
): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  const tpl = templateEnv(kind);
  if (kind === 'postgres') {
    const name = `aegis_bench_${process.pid}_${size}`;
    const tplName = new URL(tpl.DATABASE_URL ?? '').pathname.slice(1);
    await pgAdmin((c) => c.query(`create database ${name} template ${tplName}`));
    return {
      env: { DATABASE_URL: urlOf(name) },
      drop: () =>
        pgAdmin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
    };
  }
  const dir = `/tmp/aegis-bench-${process.pid}-${size}`;
  rmSync(dir, { recursive: true, force: true });
  cpSync(tpl.DATA_DIR ?? '', dir, { recursive: true });
  rmSync(path.join(dir, 'aegis.lock'), { force: true });
  return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

interface Server {
  child: ChildProcess;
  base: string;
  rssMb: () => number;
  stop: () => Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, [mainJs, 'serve'], {
    env: { ...baseEnv, ...env, PORT: String(port) },
    cwd: serverRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const base = `http://127.0.0.1:${port}/api/v1`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited:\n${output}`);
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    child,
    base,
    rssMb: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : 0;
    },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function signIn(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in as ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function firstId(base: string, token: string, route: string): Promise<string | undefined> {
  const res = await fetch(`${base}${route}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) return undefined;
  return ((await res.json()) as { items: Array<{ id: string }> }).items[0]?.id;
}

/** Uploads the ATT&CK bundle to the running server (POST /system/import-runs) and waits for its run. */
async function importThroughApi(base: string, token: string): Promise<string> {
  const headers = { authorization: `Bearer ${token}` };
  const res = await fetch(`${base}/system/import-runs?filename=enterprise-attack-18.1.json.gz`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/gzip' },
    body: readFileSync(ATTACK),
  });
  if (!res.ok) return `refused (${res.status})`;
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    const run = (await (await fetch(`${base}/system/import-runs/${id}`, { headers })).json()) as {
      status: string;
    };
    if (run.status !== 'queued' && run.status !== 'running') return run.status;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** CPU time (user + system) a process has used, in ms; 0 once it is gone. */
function cpuMs(pid: number): number {
  try {
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * The CPU the server and (PostgreSQL, local) its database's backends use: a per-request cost that
 * other load on the machine moves far less than it moves throughput.
 */
async function cpuSample(server: Server, env: Record<string, string>) {
  const database = env.DATABASE_URL ? new URL(env.DATABASE_URL).pathname.slice(1) : undefined;
  const backends = database
    ? await pgAdmin((c) =>
        c.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database]),
      ).then((r) => r.rows.map((x) => x.pid))
    : [];
  return {
    server: cpuMs(server.child.pid ?? 0),
    db: new Map(backends.map((pid) => [pid, cpuMs(pid)])),
  };
}
/** CPU ms per request between two samples (backends that appeared in between count whole). */
function cpuPer(a: Awaited<ReturnType<typeof cpuSample>>, b: typeof a, requests: number) {
  let db = 0;
  for (const [pid, ms] of b.db) db += ms - (a.db.get(pid) ?? 0);
  return { server: (b.server - a.server) / requests, db: db / requests };
}

const ms = (n: number) => `${n < 10 ? n.toFixed(1) : n.toFixed(0)} ms`;
const kb = (n: number) => (n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n.toFixed(0)} B`);
function row(name: string, r: LoadResult, probe?: LoadResult) {
  const errs = r.errors ? `  ${r.errors} errors ${JSON.stringify(r.statuses)}` : '';
  print(
    `  ${name.padEnd(40)} ${ms(r.p50).padStart(9)} ${ms(r.p99).padStart(9)} ${r.rps.toFixed(0).padStart(7)} ${kb(r.bytes).padStart(9)}` +
      `${probe ? `   ${ms(probe.p50).padStart(8)} ${ms(probe.p99).padStart(9)}` : ''}${errs}`,
  );
}

/**
 * Each route under load with /health probed beside it, one row each. One request per route first:
 * a route's first request pays for pool connections, JIT and plans.
 */
async function measure(
  routes: Array<[string, Target]>,
  probe: Target,
  options: { printFirst?: boolean } = {},
): Promise<Record<string, unknown>> {
  const first = new Map<string, number>();
  for (const [name, target] of routes) {
    const t0 = performance.now();
    await fetch(typeof target.url === 'function' ? target.url() : target.url, {
      headers: target.headers,
    }).then((r) => r.arrayBuffer());
    first.set(name, performance.now() - t0);
  }
  const results: Record<string, unknown> = {};
  for (const [name, target] of routes) {
    const r = await load(target, { connections, seconds, probe, probeEveryMs: 100 });
    results[name] = { ...r, firstMs: first.get(name) };
    row(name, r.target, r.probe);
  }
  // Routes whose answers are reused until their data changes (metrics): what computing one costs.
  if (options.printFirst)
    for (const [name] of routes)
      print(
        `  ${`${name}, computed`.padEnd(40)} ${ms(first.get(name) ?? 0).padStart(9)}  (the first request, alone)`,
      );
  return results;
}

async function benchOne(kind: string, size: number) {
  const key = `${kind}@${size}`;
  const out: Record<string, unknown> = {};
  results[key] = out;
  print(`\n## ${kind}, ${size.toLocaleString('en')} tests`);
  const { env, drop } = await freshDatabase(kind, size);
  try {
    const t0 = performance.now();
    cli(['dev', 'seed', '--tests', String(size), '--seed', '42'], env);
    out.seedMs = performance.now() - t0;
    print(`  seed (aegis dev seed, incl. process start): ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    // The seed leaves gigabytes of dirty buffers and WAL: flush them before measuring, or the
    // checkpointer's writes land in the first routes' figures (seen: /health at 384 req/s where a
    // settled server answers 3,000+).
    if (kind === 'postgres') await pgAdmin((c) => c.query('checkpoint'));
    await new Promise((r) => setTimeout(r, 3000));
    if (sections.has('scores')) {
      // Before the server starts (the embedded database is one process's): every row written, then
      // the same inputs again (each row's hash compared, none written).
      const recompute = () => cli(['scores', 'recompute'], env).trim();
      const full = recompute();
      const unchanged = recompute();
      print(`\n  scores recompute (in-process time): full ${full.replace(/^scores: /, '')}`);
      print(`  scores recompute, nothing changed: ${unchanged.replace(/^scores: /, '')}`);
      out.scoresRecompute = { full, unchanged };
    }
    const server = await startServer(env);
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, server.rssMb());
    }, 200);
    try {
      await new Promise((r) => setTimeout(r, 2000));
      out.idleRssMb = server.rssMb();
      const admin = await signIn(server.base, 'synth-admin-001');
      const red = await signIn(server.base, 'synth-red-tech-001');
      // What a browser sends: answers of 1 KB and more come back compressed, as they would to the web app.
      const auth = (token: string) => ({
        authorization: `Bearer ${token}`,
        'accept-encoding': 'gzip, deflate, br',
      });
      const health: Target = { url: `${server.base}/health` };
      const get = (route: string, token = admin): Target => ({
        url: `${server.base}${route}`,
        headers: auth(token),
      });
      const testId = await firstId(server.base, admin, '/tests?limit=1');
      const actorId = await firstId(server.base, admin, '/threat-actors?limit=1');
      const techniqueId = await firstId(server.base, admin, '/techniques?limit=1');
      const controlId = await firstId(server.base, admin, '/compliance/controls?limit=1');
      if (sections.has('routes')) {
        const routes: Array<[string, Target]> = [
          ['/health', health],
          ['/tests', get('/tests?limit=50')],
          ['/tests sort=title', get('/tests?limit=50&sort=title&order=asc')],
          ['/tests q=powershell', get('/tests?limit=50&q=powershell')],
          ['/tests state=in_review', get('/tests?limit=50&state=in_review')],
          ['/tests offset=10000', get('/tests?limit=50&offset=10000')],
          ['/tests technique=T1059.001', get('/tests?limit=50&technique=T1059.001')],
          ['/tests assignedTo=me (red tech)', get('/tests?limit=50&assignedTo=me', red)],
          ['/tests/{id}', get(`/tests/${testId}`)],
          ['/tests/pending (admin)', get('/tests/pending')],
          ['/tests/pending (red tech)', get('/tests/pending', red)],
          ['/tests/pending offset=1000 (admin)', get('/tests/pending?offset=1000')],
          ['/audit-logs', get('/audit-logs?limit=50')],
          ['/audit-logs action=test_case.vote', get('/audit-logs?limit=50&action=test_case.vote')],
          ['/notifications (red tech)', get('/notifications?limit=50', red)],
          ['/compliance/controls', get('/compliance/controls?limit=50')],
          ...(controlId
            ? [['/compliance/controls/{id}', get(`/compliance/controls/${controlId}`)] as [string, Target]]
            : []),
          ['/threat-actors', get('/threat-actors?limit=50')],
          ['/threat-actors/{id}', get(`/threat-actors/${actorId}`)],
          ['/software', get('/software?limit=50')],
          ['/techniques', get('/techniques?limit=50')],
          ['/techniques/{id}', get(`/techniques/${techniqueId}`)],
          ['/detection-rules', get('/detection-rules?limit=50')],
          ['/tests/{id}/evidence', get(`/tests/${testId}/evidence`)],
        ];
        print(
          `\n  routes: ${connections} connections × ${seconds} s each; /health probed every 100 ms beside`,
        );
        print(
          `  ${'route'.padEnd(40)} ${'p50'.padStart(9)} ${'p99'.padStart(9)} ${'req/s'.padStart(7)} ${'bytes'.padStart(9)}   ${'health50'.padStart(8)} ${'health99'.padStart(9)}`,
        );
        out.routes = await measure(routes, health);
      }
      if (sections.has('scores')) {
        const routes: Array<[string, Target]> = [
          ['/scores/techniques', get('/scores/techniques?limit=50')],
          ['/scores/techniques sort=ownScore', get('/scores/techniques?limit=50&sort=ownScore&order=desc')],
          ['/scores/techniques/T1059.001', get('/scores/techniques/T1059.001')],
          ['/scores/techniques/T1059 (13 subs)', get('/scores/techniques/T1059')],
          ['/scores/tactics', get('/scores/tactics')],
          ['/scores/tactics/execution', get('/scores/tactics/execution')],
          ['/scores/actors', get('/scores/actors?limit=50')],
          ['/scores/actors/{id}', get(`/scores/actors/${actorId}`)],
          ['/scores/organization', get('/scores/organization')],
          ['/coverage', get('/coverage')],
          ['/coverage by=tactic', get('/coverage?by=tactic')],
          ['/coverage by=actor', get('/coverage?by=actor')],
        ];
        print(`\n  scores and coverage: ${connections} connections × ${seconds} s each`);
        out.scores = await measure(routes, health);
      }
      if (sections.has('metrics')) {
        // The synthetic organisation's tests span the two years up to now (issue 14: p99 ≤ 100 ms).
        const twoYears = encodeURIComponent(new Date(Date.now() - 730 * 86_400_000).toISOString());
        const routes: Array<[string, Target]> = [
          ['/metrics/operational (90 days)', get('/metrics/operational')],
          ['/metrics/operational (2 years)', get(`/metrics/operational?from=${twoYears}`)],
          [
            '/metrics/operational technique=T1059',
            get(`/metrics/operational?from=${twoYears}&technique=T1059`),
          ],
          ['/metrics/mttd/trend (2 years of weeks)', get(`/metrics/mttd/trend?bucket=week&from=${twoYears}`)],
          ['/metrics/mttr/trend (2 years of weeks)', get(`/metrics/mttr/trend?bucket=week&from=${twoYears}`)],
          [
            '/metrics/efficacy/trend (2 years of weeks)',
            get(`/metrics/efficacy/trend?bucket=week&from=${twoYears}`),
          ],
          [
            '/metrics/velocity/trend (2 years of weeks)',
            get(`/metrics/velocity/trend?bucket=week&from=${twoYears}`),
          ],
          ['/metrics/data-integrity (90 days)', get('/metrics/data-integrity')],
        ];
        print(`\n  metrics: ${connections} connections × ${seconds} s each`);
        out.metrics = await measure(routes, health, { printFirst: true });
        if (env.DATABASE_URL) {
          print('\n  metrics statements on PostgreSQL: the indexes each plan reads');
          const plans = await explainMetrics(env.DATABASE_URL);
          for (const p of plans) print(`  ${p.figure.padEnd(34)} ${p.indexes.join(', ') || '(no index)'}`);
          out.metricPlans = plans;
        }
      }
      if (sections.has('snapshots')) {
        // Issue 15: a snapshot taken in ≤ 1 s, a comparison of two ≤ 200 ms (PostgreSQL).
        const takes: number[] = [];
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          const r = await fetch(`${server.base}/snapshots`, {
            method: 'POST',
            headers: { ...auth(admin), 'content-type': 'application/json' },
            body: JSON.stringify({ name: `bench ${i + 1}` }),
          });
          takes.push(performance.now() - t0);
          ids.push(((await r.json()) as { id: string }).id);
        }
        const sorted = [...takes].sort((a, b) => a - b);
        print(
          `\n  snapshots: POST /snapshots × 5 (scores recompute, nothing changed, + the snapshot): ` +
            `median ${ms(sorted[2] ?? 0)}, max ${ms(sorted[4] ?? 0)}`,
        );
        out.snapshotTakeMs = takes;
        const routes: Array<[string, Target]> = [
          ['/snapshots', get('/snapshots?limit=50')],
          ['/snapshots/{id}', get(`/snapshots/${ids[0]}`)],
          ['/snapshots/compare (two)', get(`/snapshots/compare?from=${ids[0]}&to=${ids[4]}`)],
          ['/snapshots/compare all=true', get(`/snapshots/compare?from=${ids[0]}&to=${ids[4]}&all=true`)],
          ['/snapshots/compare (one and now)', get(`/snapshots/compare?from=${ids[0]}&to=now`)],
          ['/snapshots/trend', get('/snapshots/trend')],
        ];
        print(`  snapshot routes: ${connections} connections × ${seconds} s each`);
        out.snapshots = await measure(routes, health);
      }
      if (sections.has('heatmap')) {
        // Issue 15: /heatmap for each layer p99 ≤ 50 ms (PostgreSQL). The synthetic organisation's
        // first actor and a framework from the seeded catalog, when there is one.
        const controls = (await fetch(`${server.base}/compliance/controls?limit=1`, {
          headers: auth(admin),
        }).then((r) => r.json())) as { items: Array<{ framework: string }> };
        const framework = controls.items[0]?.framework ?? null;
        const routes: Array<[string, Target]> = [
          ['/heatmap layer=coverage', get('/heatmap?layer=coverage')],
          ['/heatmap layer=score', get('/heatmap?layer=score')],
          [`/heatmap layer=actor`, get(`/heatmap?layer=actor:${actorId}`)],
          ...(framework
            ? [
                [`/heatmap layer=compliance:${framework}`, get(`/heatmap?layer=compliance:${framework}`)] as [
                  string,
                  Target,
                ],
              ]
            : []),
          ['/heatmap layer=claimed-vs-validated', get('/heatmap?layer=claimed-vs-validated')],
          ['/heatmap layer=snapshot-delta (now:now)', get('/heatmap?layer=snapshot-delta:now:now')],
          ['/heatmap coverage tactic=execution', get('/heatmap?layer=coverage&tactic=execution')],
          ['/heatmap/export/navigator layers=score', get('/heatmap/export/navigator?layers=score')],
        ];
        print(`\n  heatmap: ${connections} connections × ${seconds} s each`);
        out.heatmap = await measure(routes, health);
      }
      if (sections.has('writes')) {
        print('\n  writes: POST /tests (red tech)');
        const create: Target = {
          method: 'POST',
          url: `${server.base}/tests`,
          headers: auth(red),
          body: () => ({ technique: 'T1059.001', title: `bench ${Math.random()}` }),
        };
        const writes: Record<string, unknown> = {};
        for (const clients of [1, 10]) {
          const before = await cpuSample(server, env);
          const r = await load(create, { connections: clients, seconds });
          const cpu = cpuPer(before, await cpuSample(server, env), r.target.requests);
          writes[clients] = { ...r.target, cpuMsPerTest: cpu };
          row(`${clients} client${clients > 1 ? 's' : ''}: ${r.target.rps.toFixed(0)} tests/s`, r.target);
          print(
            `    CPU per test: server ${cpu.server.toFixed(2)} ms${kind === 'postgres' ? `, PostgreSQL ${cpu.db.toFixed(2)} ms` : ' (database thread included)'}`,
          );
        }
        out.writes = writes;
      }
      if (sections.has('responsive')) {
        print(
          '\n  responsive: 8 heavy reads in a loop; beside them, in turn, /health, /auth/me and a sign-in every 50 ms',
        );
        const heavy: Target = {
          url: () =>
            `${server.base}${Math.random() < 0.5 ? '/tests?limit=100&q=e&sort=title' : '/tests/pending'}`,
          headers: auth(admin),
        };
        const signInProbe: Target = {
          method: 'POST',
          url: `${server.base}/auth/login`,
          body: () => ({ username: 'synth-red-tech-001', password: PASSWORD }),
        };
        const probes: Array<[string, Target]> = [
          ['/health', health],
          ['/auth/me', get('/auth/me')],
          ['POST /auth/login', signInProbe],
        ];
        const responsive: Record<string, unknown> = {};
        for (const [name, probe] of probes) {
          const r = await load(heavy, { connections: 8, seconds, probe, probeEveryMs: 50 });
          row(`heavy reads (8), beside ${name}`, r.target);
          row(`  ${name} beside them`, r.probe as LoadResult);
          responsive[name] = { heavy: r.target, probe: r.probe };
        }
        out.responsive = responsive;
      }
      out.peakRssMb = Math.max(peak, server.rssMb());
      await new Promise((r) => setTimeout(r, 2000));
      out.afterLoadRssMb = server.rssMb();
      if (sections.has('rss')) {
        // The issue's "after imports": an ATT&CK release uploaded to the running server, then idle.
        const t1 = performance.now();
        const run = await importThroughApi(server.base, admin);
        out.peakRssMb = Math.max(peak, server.rssMb());
        await new Promise((r) => setTimeout(r, 5000));
        out.afterImportRssMb = server.rssMb();
        print(
          `\n  ATT&CK 18.1 uploaded to the running server: ${run} in ${((performance.now() - t1) / 1000).toFixed(1)} s`,
        );
      }
      const mb = (key: string) =>
        typeof out[key] === 'number' ? `${(out[key] as number).toFixed(0)} MB` : '–';
      print(
        `\n  RSS: idle after start ${mb('idleRssMb')}, 2 s after the load ${mb('afterLoadRssMb')}, ` +
          `after an ATT&CK import ${mb('afterImportRssMb')}, peak ${mb('peakRssMb')}`,
      );
    } finally {
      clearInterval(sampler);
      await server.stop();
    }
  } finally {
    await drop();
  }
}

print(
  `Aegis benchmark — ${new Date().toISOString()}; sizes ${sizes.join(', ')}; databases ${dbs.join(', ')}`,
);
if (sections.has('attack')) {
  print('\n## ATT&CK import vs parse floor');
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'attack-import.ts'), '--runs', '1'],
    {
      encoding: 'utf8',
      env: process.env,
    },
  );
  print(r.stdout.trim());
}
if (sections.has('sources')) {
  print('\n## Catalog source syncs');
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'sources-sync.ts')], {
    encoding: 'utf8',
    env: process.env,
  });
  print(r.stdout.trim());
}
if (
  ['routes', 'writes', 'responsive', 'rss', 'scores', 'metrics', 'snapshots'].some((s) => sections.has(s))
) {
  try {
    for (const kind of dbs) for (const size of sizes) await benchOne(kind, size);
  } finally {
    for (const [kind, env] of templates) {
      if (kind === 'postgres') {
        const name = new URL(env.DATABASE_URL ?? '').pathname.slice(1);
        await pgAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
      } else rmSync(env.DATA_DIR ?? '', { recursive: true, force: true });
    }
  }
}
if (values.json) {
  mkdirSync(path.dirname(values.json), { recursive: true });
  writeFileSync(values.json, JSON.stringify(results, null, 2));
}
