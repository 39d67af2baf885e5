#!/usr/bin/env node
// The `aegis` command (`npx aegis …` in a checkout): checks the Node.js version, builds the server
// once if it has not been built, then runs the built CLI with the same arguments.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertSupportedNode } from './check-node.mjs';

assertSupportedNode();
const cli = new URL('../dist/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('aegis: building the server first (npm run build -w @aegis/server)…\n');
  const built = spawnSync('npm', ['run', '-s', 'build'], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    stdio: 'inherit',
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
await import(cli.href);
