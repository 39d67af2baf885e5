#!/usr/bin/env node
// The README's test command: builds, runs every vitest project (pglite, postgres, process, web) and
// the Playwright journeys in Debian's Chromium, then prints one "N passed, N failed" line.
// Arguments are passed to vitest (and skip the browser journeys, for focused runs).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const args = process.argv.slice(2);
const run = (cmd, cmdArgs, env = {}) =>
  spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;
const read = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined);

if (run('npm', ['run', '-s', 'build']) !== 0) {
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
}

rmSync('.vitest-results.json', { force: true });
rmSync('.playwright-results.json', { force: true });
const vitestExit = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  '--outputFile.json=.vitest-results.json',
  ...args,
]);
let passed = 0;
let failed = 0;
const vitest = read('.vitest-results.json');
if (vitest) {
  // A file that failed to load has no assertions but must count as a failure.
  const broken = vitest.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  ).length;
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests + broken;
}
if (vitestExit !== 0 && failed === 0) failed += 1;

if (args.length === 0) {
  const e2eExit = run('npx', ['playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: '.playwright-results.json',
  });
  const e2e = read('.playwright-results.json');
  const stats = e2e?.stats;
  if (stats) {
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
  }
  if (e2eExit !== 0 && (!stats || stats.unexpected === 0)) failed += 1;
}

process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed > 0 ? 1 : 0);
