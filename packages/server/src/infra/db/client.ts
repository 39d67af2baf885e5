import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import type { DbConfig } from '../config';
import type { Logger } from '../logger';
import { EMBEDDED_DB_DEFAULTS, type EmbeddedDbSettings } from './embedded-settings';
import { acquireDataDirLock, type DataDirLock } from './lock';
import { PGliteThread } from './pglite-thread';
import { statementCachingClient } from './statement-cache';

/** Raw `execute()` results: both drivers return `{ rows }`, which is all Aegis reads. */
type Rows<T> = { rows: T[] };
export interface RowsQueryResultHKT extends PgQueryResultHKT {
  type: Rows<this['row']>;
}

/** The one typed query path: identical for PGlite and node-postgres. */
export type Db = PgDatabase<RowsQueryResultHKT>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type DatabaseHandle = {
  readonly db: Db;
  readonly close: () => Promise<void>;
  readonly ping: () => Promise<void>;
} & (
  | { readonly kind: 'pglite'; readonly pglite: PGliteThread; readonly dir: string | undefined }
  | { readonly kind: 'postgres'; readonly pool: pg.Pool; readonly url: string }
);

/**
 * Opens the configured database. Embedded mode takes the data-folder lock *before* PGlite
 * touches the folder, so a second process fails without reading or writing anything.
 * `dir: undefined` gives an in-memory PGlite (tests).
 */
export async function openDatabase(
  config: DbConfig | ({ driver: 'pglite'; dir: string | undefined } & Partial<EmbeddedDbSettings>),
  logger?: Logger,
): Promise<DatabaseHandle> {
  if (config.driver === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.url,
      max: config.poolMax,
      application_name: 'aegis',
      ...(config.statementCache > 0 ? { Client: statementCachingClient(config.statementCache) } : {}),
    });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    pool.on('error', (err) => logger?.warn({ err }, 'idle PostgreSQL connection failed'));
    const db = drizzleNodePg(pool) as unknown as Db;
    const handle: DatabaseHandle = {
      kind: 'postgres',
      db,
      pool,
      url: config.url,
      ping: async () => {
        await db.execute(sql`select 1`);
      },
      close: async () => {
        await pool.end();
      },
    };
    await handle.ping();
    return handle;
  }

  let lock: DataDirLock | undefined;
  if (config.dir !== undefined) {
    // The lock covers the whole DATA_DIR (database and evidence), the folder that holds `db/`.
    lock = acquireDataDirLock(path.dirname(config.dir));
    mkdirSync(config.dir, { recursive: true });
  }
  const settings = { ...EMBEDDED_DB_DEFAULTS, ...config };
  let pglite: PGliteThread;
  try {
    pglite = await PGliteThread.open({
      dataDir: config.dir,
      maxWaiting: settings.queueMax,
      maxWaitMs: settings.queueTimeoutMs,
      postgresqlconf: [`shared_buffers = ${settings.sharedBuffersMb}MB`],
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const db = drizzlePglite(pglite as never) as unknown as Db;
  let closed = false;
  return {
    kind: 'pglite',
    db,
    pglite,
    dir: config.dir,
    // Never waits behind the statement holding the connection: /health stays cheap under load.
    ping: () => pglite.ping(),
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}
