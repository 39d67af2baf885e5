// Prints the app's OpenAPI document as JSON, to stdout or to the file named by the first argument.
// The app is built with the real services, routes and schemas but no database, storage or job
// scheduler: the document needs only the route declarations, and those stand-ins fail if used.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/infra/config';
import { createLogger } from '../src/infra/logger';
import { serverVersion } from '../src/infra/paths';
import type { Platform } from '../src/platform';
import { createServices } from '../src/services';

const unused = (what: string): never =>
  new Proxy({} as never, {
    get: (_target, key) => {
      throw new Error(`${what}.${String(key)} used while only describing the API`);
    },
  });

const parts = {
  config: loadConfig({ DATA_DIR: tmpdir(), LOG_LEVEL: 'silent', NODE_ENV: 'development' }),
  logger: createLogger({ log: { level: 'silent' } }),
  version: serverVersion,
  startedAt: new Date(),
  secretKey: randomBytes(32).toString('hex'),
  database: { kind: 'pglite', db: unused('database.db') } as unknown as Platform['database'],
  storage: unused('storage'),
  jobs: unused('jobs'),
};
const platform = { ...parts, services: createServices(parts) } as unknown as Platform;

const app = await buildApp(platform, { webDir: tmpdir() });
await app.ready();
const text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
await app.close();
const out = process.argv[2];
if (out) {
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, text);
} else process.stdout.write(text);
