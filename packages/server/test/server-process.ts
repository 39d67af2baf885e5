import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Health, HealthSummary } from '@aegis/contracts';
import { afterAll } from 'vitest';
import { serverRoot } from '../src/infra/paths';
import { ADMIN_PASSWORD, OFFLINE_SOURCES } from './support';

export const mainJs = path.join(serverRoot, 'dist', 'main.js');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Environment for a child: only what it needs (no inherited DATABASE_URL or the like). */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_LEVEL: 'warn',
    PORT: '0',
    ...OFFLINE_SOURCES,
    ...env,
  };
}

/** Runs the built CLI to completion: exit code and output. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainJs, ...args], { env: childEnv(env), cwd: serverRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`aegis ${args.join(' ')} did not exit in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the built CLI without waiting for it (a test that kills it mid-work); the caller ends it. */
export function spawnCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [mainJs, ...args], { env: childEnv(env), cwd: serverRoot });
}

/** Starts `aegis serve` as a real process (node directly, never via npm) and waits for its URL. */
export function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [mainJs, 'serve'], { env: childEnv(env), cwd: serverRoot });
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /is running at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1], output: () => out, stop });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    };
    afterAll(() => stop('SIGKILL'));
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited early with ${code}:\n${out}`));
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
  });
}

/** `GET /health` as anyone: the status only. */
export async function health(url: string): Promise<{ status: number; body: HealthSummary }> {
  const res = await fetch(`${url}/api/v1/health`);
  return { status: res.status, body: HealthSummary.strict().parse(await res.json()) };
}

/** `GET /health` as the first admin (created from ADMIN_PASSWORD): version, mode, uptime and checks. */
export async function healthAsAdmin(url: string): Promise<{ status: number; body: Health }> {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const res = await fetch(`${url}/api/v1/health`, { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: res.status, body: Health.parse(await res.json()) };
}
