import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const ADMIN = { username: 'admin', password: 'Admin-Passw0rd!' };

const root = path.resolve(import.meta.dirname, '../..');
const main = path.join(root, 'packages/server/dist/main.js');
const bundle = path.resolve(root, '../shared/data/attack/enterprise-attack-18.1.json.gz');

export interface RunningServer {
  url: string;
  dataDir: string;
  stop: () => Promise<void>;
}

/**
 * The real built server on PGlite in a temp folder, seeded with ATT&CK 18.1. The import runs first
 * in its own process: the embedded data folder is locked while a server runs.
 */
export async function startServer(): Promise<RunningServer> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'aegis-e2e-'));
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: ADMIN.password,
    JOB_SCHEDULE_ATTACK_SYNC: 'off',
    LOGIN_RATE_LIMIT: '1000',
    ATTACK_BUNDLE_URL: 'http://127.0.0.1:9/x',
    HOST: '127.0.0.1',
    PORT: '0',
  };
  await promisify(execFile)(process.execPath, [main, 'import', 'attack', bundle], { env, cwd: root });
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
