import type { Config } from '../infra/config';
import { openDatabase, runMigrations } from '../infra/db';
import { createLogger } from '../infra/logger';

/** Applies pending migrations and exits (the server also migrates at start). */
export async function migrate(config: Readonly<Config>): Promise<number> {
  const logger = createLogger(config);
  const database = await openDatabase(config.db, logger);
  try {
    await runMigrations(database);
    logger.info({ driver: database.kind }, 'migrations applied');
    process.stdout.write('Database is up to date.\n');
    return 0;
  } finally {
    await database.close();
  }
}
