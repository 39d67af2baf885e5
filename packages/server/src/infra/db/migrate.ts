import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { migrationsDir } from '../paths';
import type { DatabaseHandle } from './client';

/** Arbitrary constant: the advisory-lock key that serialises migrations across instances. */
const MIGRATION_LOCK_KEY = 4_711_000_001;

/**
 * Applies pending SQL migrations from `drizzle/`. On PostgreSQL several instances may start at
 * once: a session advisory lock on one dedicated connection lets exactly one of them migrate while
 * the others wait and then find nothing to do.
 */
export async function runMigrations(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === 'pglite') {
    await migratePglite(handle.db as never, { migrationsFolder: migrationsDir });
    return;
  }
  const client = new pg.Client({ connectionString: handle.url, application_name: 'aegis-migrate' });
  await client.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await migratePg(drizzleNodePg(client), { migrationsFolder: migrationsDir });
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}
