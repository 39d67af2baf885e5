import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { Config } from '../infra/config';
import { openDatabase, runMigrations } from '../infra/db';
import { createLogger } from '../infra/logger';
import { createBlobStore } from '../infra/storage';
import { CLI_ACTOR } from '../modules/audit-logs';
import {
  ensureDataSources,
  findSourceByKey,
  insertRun,
  SyncFailedError,
  syncSource,
} from '../modules/catalog';
import { CliUsageError } from './commands';

/**
 * `aegis import <source> <folder|archive|url>`: points the data source at the location and syncs it
 * in this process, with a progress line and a summary (a local archive file is kept in the blob
 * store as an upload, so later syncs find it).
 */
export async function importSourceCommand(
  config: Readonly<Config>,
  key: string,
  args: string[],
): Promise<number> {
  const target = args[0];
  if (!target) throw new CliUsageError(`import ${key} needs a folder, an archive file or an https URL`);
  // The command reports the outcome in words itself; the run record keeps the details.
  const logger = createLogger({ log: { level: 'silent' } });
  const database = await openDatabase(config.db, logger);
  const storage = await createBlobStore(config.storage, logger);
  const tty = process.stderr.isTTY;
  try {
    await runMigrations(database);
    const db = database.db;
    await ensureDataSources(db);
    const source = await findSourceByKey(db, key);
    if (!source) throw new CliUsageError(`no data source ${key}`);
    // The target is this run's location; it becomes the source's only if the sync succeeds.
    let location: { locationType: 'url' | 'folder' | 'upload'; location: string };
    if (/^https?:\/\//.test(target)) location = { locationType: 'url', location: target };
    else {
      const full = path.resolve(target);
      const info = await stat(full).catch(() => undefined);
      if (!info) throw new CliUsageError(`${target}: no such file or folder`);
      if (info.isDirectory()) location = { locationType: 'folder', location: full };
      else {
        const blobKey = `sources/${key}/${randomUUID()}`;
        await storage.put(blobKey, Readable.from([await readFile(full)]));
        location = { locationType: 'upload', location: blobKey };
      }
    }
    const queued = await insertRun(db, {
      dataSourceId: source.id,
      ...location,
      triggeredBy: CLI_ACTOR.userId,
    });
    const run = await syncSource(
      { db, storage, logger },
      {
        sourceId: source.id,
        runId: queued.id,
        actor: CLI_ACTOR,
        onProgress: ({ phase, done, total }) => {
          if (tty)
            process.stderr.write(`\r  ${phase.padEnd(8)} ${total > 0 ? `${done}/${total}` : done}\u001b[K`);
        },
      },
    );
    if (tty) process.stderr.write('\r\u001b[K');
    const c = (run.counts ?? {}) as Record<string, number>;
    const errors = (run.errors ?? []) as Array<{ path: string; message: string }>;
    process.stdout.write(
      `${[
        `Synced ${source.name} from ${target} in ${((run.durationMs ?? 0) / 1000).toFixed(1)} s:`,
        `  added ${c.added ?? 0}, updated ${c.updated ?? 0}, removed ${c.removed ?? 0}, unchanged ${c.unchanged ?? 0}`,
        `  files with errors: ${errors.length}${errors.length ? ` (first: ${errors[0]?.path}: ${errors[0]?.message})` : ''}`,
      ].join('\n')}\n`,
    );
    return 0;
  } catch (err) {
    if (err instanceof SyncFailedError) {
      process.stderr.write(`aegis: sync failed, stored data unchanged: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await storage.close();
    await database.close();
  }
}
