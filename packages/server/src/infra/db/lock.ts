import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * An exclusive, process-level lock on an embedded data folder. PGlite has no lock of its own and
 * two processes on one folder corrupt it, so this lock is taken before PGlite opens the folder.
 *
 * The lock file is created with O_EXCL and holds the owner's pid and host. A lock left by a process
 * that died (same host, pid no longer alive) is taken over; anything else is refused.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The data folder ${dir} is in use by another Aegis process (pid ${owner.pid} on ${owner.host}, since ${owner.since}). ` +
        'Stop that process first, or point DATA_DIR at another folder. Nothing was changed.',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export interface DataDirLock {
  readonly file: string;
  release(): void;
}

const LOCK_NAME = 'aegis.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' ? owner : undefined;
  } catch {
    return undefined;
  }
}

export function acquireDataDirLock(dir: string): DataDirLock {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_NAME);
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          const owner = readOwner(file);
          if (owner?.pid === me.pid && owner.host === me.host) unlinkSync(file);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(file);
    // A lock being written this instant has no content yet: treat it as held.
    if (!owner) throw new DataDirLockedError(dir, { pid: -1, host: 'unknown', since: 'just now' });
    if (owner.host !== me.host || isAlive(owner.pid)) throw new DataDirLockedError(dir, owner);
    // Stale: move it aside atomically (only one contender's rename succeeds), then retry the O_EXCL create.
    try {
      renameSync(file, `${file}.stale-${process.pid}`);
      unlinkSync(`${file}.stale-${process.pid}`);
    } catch {}
  }
  throw new Error(`could not acquire the lock on ${dir}`);
}
