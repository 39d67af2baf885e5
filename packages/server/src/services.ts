import { createImportService, createKnowledgeService, moveNotes } from './modules/attack';
import { createAuthService } from './modules/auth';
import { createSystemService } from './modules/system';
import { createUsersService } from './modules/users';
import type { Platform } from './platform';

/** Every module's service, wired once per process (HTTP app, jobs and CLI share this). */
export function createServices(
  platform: Pick<
    Platform,
    'config' | 'database' | 'storage' | 'jobs' | 'logger' | 'secretKey' | 'version' | 'startedAt'
  >,
) {
  const db = platform.database.db;
  const auth = createAuthService({ db, config: platform.config, secretKey: platform.secretKey });
  const users = createUsersService({ db, revokeCredentials: auth.revokeCredentials });
  const system = createSystemService(platform);
  const knowledge = createKnowledgeService(db);
  const imports = createImportService({
    db,
    storage: platform.storage,
    logger: platform.logger,
    movers: [moveNotes],
    config: platform.config,
    jobs: platform.jobs,
  });
  return { auth, users, system, knowledge, imports };
}
export type Services = ReturnType<typeof createServices>;
