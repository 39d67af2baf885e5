import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const ADMIN = { username: 'admin', password: 'Admin-Passw0rd!' };

const root = path.resolve(import.meta.dirname, '../..');
const main = path.join(root, 'packages/server/dist/main.js');
/** The ATT&CK release every journey starts from (also served to "Sync now" and uploaded as a file). */
export const ATTACK_BUNDLE = path.resolve(root, '../shared/data/attack/enterprise-attack-18.1.json.gz');

export interface RunningServer {
  url: string;
  dataDir: string;
  stop: () => Promise<void>;
}

export interface BundleServer {
  /** Where `ATTACK_BUNDLE_URL` points: the 18.1 bundle, named so its release is read from the path. */
  url: string;
  stop: () => Promise<void>;
}

/**
 * A local stand-in for the ATT&CK download (rule 9: a local server speaking the real protocol with
 * real data): serves the 18.1 `.json.gz` as `application/gzip` bytes, without `Content-Encoding`,
 * as a static file host would; the importer recognises gzip by its magic bytes.
 */
export async function startBundleServer(): Promise<BundleServer> {
  const name = path.basename(ATTACK_BUNDLE);
  const { size } = await stat(ATTACK_BUNDLE);
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== `/${name}`) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': String(size) });
    createReadStream(ATTACK_BUNDLE).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${name}`,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The real built server on PGlite in a temp folder, seeded with ATT&CK 18.1. The import runs first
 * in its own process: the embedded data folder is locked while a server runs. `attackBundleUrl` is
 * what "Sync ATT&CK now" downloads; without one it points at a closed port (a sync fails as offline).
 */
export async function startServer(options: { attackBundleUrl?: string } = {}): Promise<RunningServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'aegis-e2e-'));
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: ADMIN.password,
    JOB_SCHEDULE_ATTACK_SYNC: 'off',
    LOGIN_RATE_LIMIT: '1000',
    ATTACK_SYNC_SOURCE: 'url',
    ATTACK_BUNDLE_URL: options.attackBundleUrl ?? 'http://127.0.0.1:9/x',
    HOST: '127.0.0.1',
    PORT: '0',
  };
  await promisify(execFile)(process.execPath, [main, 'import', 'attack', ATTACK_BUNDLE], { env, cwd: root });
  const child = spawn(process.execPath, [main, 'serve'], {
    env,
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await waitForUrl(child);
  return {
    url,
    dataDir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function waitForUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"msg":"Aegis is listening"/.test(output)
        ? /"url":"(http:\/\/[^"]+)"/.exec(output)
        : null;
      if (match?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}
