import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../bin/check-node.mjs';
import { serverRoot } from '../src/infra/paths';
import { runCli } from './server-process';
import { tempDir } from './support';

const repoRoot = path.resolve(serverRoot, '..', '..');

describe('the aegis command', () => {
  it('is installed as a bin: `npx aegis` runs the CLI in a checkout', () => {
    const bin = path.join(repoRoot, 'node_modules', '.bin', 'aegis');
    expect(realpathSync(bin)).toBe(path.join(serverRoot, 'bin', 'aegis.mjs'));
    const r = spawnSync(bin, ['version'], { encoding: 'utf8', cwd: repoRoot });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('lists every command form in help, with what it does', async () => {
    const r = await runCli(['help'], {});
    expect(r.code).toBe(0);
    for (const form of [
      'aegis serve',
      'aegis migrate',
      'aegis users list',
      'aegis users create',
      'aegis users reset-password',
      'aegis import attack',
      'aegis import <source>',
      'aegis dev seed',
      'aegis version',
      'aegis help',
    ])
      expect(r.stdout).toContain(`\n  ${form}`);
    // Each form is followed by its summary.
    expect(r.stdout).toMatch(/aegis dev seed .*\n {6}Fill an empty database/);
  });

  it('refuses a Node.js older than 20.19 in one line', () => {
    expect(nodeVersionProblem('20.18.3')).toBe(
      'Aegis needs Node.js 20.19 or newer (22 recommended); this is Node.js 20.18.3',
    );
    expect(nodeVersionProblem('v18.20.4')).toMatch(/this is Node.js 18.20.4$/);
    for (const ok of ['20.19.0', '20.20.2', '22.12.0', '24.1.0'])
      expect(nodeVersionProblem(ok)).toBeUndefined();
  });
});

describe('a failed CLI import', () => {
  it('says why in one line on stderr and exits 1, without opening the database: no JSON log, no stack', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'data');
    const notBundle = path.join(dir, 'not-a-bundle.json');
    writeFileSync(notBundle, '{"hello": 1}');
    for (const [file, reason] of [
      [notBundle, /The file is not a STIX bundle/],
      [path.join(dir, 'missing.json'), /missing.json is not a readable file/],
    ] as const) {
      const r = await runCli(['import', 'attack', file], { DATA_DIR: dataDir });
      expect(r.code).toBe(1);
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^aegis: import failed, stored data unchanged: /);
      expect(lines[0]).toMatch(reason);
      expect(r.stderr).not.toMatch(/"level"|\n\s+at /);
    }
    // Refused before the (slow) database start: the embedded database was never created.
    expect(existsSync(path.join(dataDir, 'db'))).toBe(false);
  });

  it('reports a failure found during the import in one line too', async () => {
    const dir = tempDir();
    // A bundle that is well-formed but holds no ATT&CK: refused by the importer, after the database opened.
    const empty = path.join(dir, 'empty-bundle.json');
    writeFileSync(empty, JSON.stringify({ type: 'bundle', id: `bundle--${randomUUID()}`, objects: [] }));
    const r = await runCli(['import', 'attack', empty], { DATA_DIR: path.join(dir, 'data') });
    expect(r.code).toBe(1);
    // Besides the progress lines (`  parse…` when stderr is not a terminal), one line says why.
    const lines = r.stderr.split('\n').filter((line) => line.trim() !== '' && !/^ {2}\w+…$/.test(line));
    expect(lines).toEqual([
      expect.stringMatching(/^aegis: import failed, stored data unchanged: .*no ATT&CK/),
    ]);
    expect(r.stderr).not.toMatch(/"level"|\n\s+at /);
  });
});
