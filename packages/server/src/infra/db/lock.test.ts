import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support';
import { acquireDataDirLock, DataDirLockedError } from './lock';

function deadPid(): number {
  // A pid that existed and has exited: the child of a finished process.
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('data folder lock', () => {
  it('is exclusive while held and free again after release', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lock.file, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(dir)).toThrow(/in use by another Aegis process \(pid \d+/);
    lock.release();
    expect(existsSync(lock.file)).toBe(false);
    acquireDataDirLock(dir).release();
  });

  it('takes over a lock left by a process that died', () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'aegis.lock'),
      JSON.stringify({ pid: deadPid(), host: hostname(), since: 'x' }),
    );
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('refuses a lock held from another host (shared folder), even with a dead-looking pid', () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, 'aegis.lock'),
      JSON.stringify({ pid: deadPid(), host: 'other-host', since: 'x' }),
    );
    expect(() => acquireDataDirLock(dir)).toThrow(/other-host/);
  });

  it('treats an empty lock file (being written) as held', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'aegis.lock'), '');
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
  });

  it('does not remove a lock that another process took over', () => {
    const dir = tempDir();
    const lock = acquireDataDirLock(dir);
    writeFileSync(lock.file, JSON.stringify({ pid: 1, host: hostname(), since: 'x' }));
    lock.release();
    expect(existsSync(lock.file)).toBe(true);
  });
});
