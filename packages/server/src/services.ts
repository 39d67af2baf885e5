import { createAuthService } from './modules/auth';
import { createSystemService } from './modules/system';
import { createUsersService } from './modules/users';
import type { Platform } from './platform';

/** Every module's service, wired once per process (HTTP app and CLI share this). */
export function createServices(platform: Platform) {
  const db = platform.database.db;
  const auth = createAuthService({ db, config: platform.config, secretKey: platform.secretKey });
  const users = createUsersService({ db, revokeCredentials: auth.revokeCredentials });
  const system = createSystemService(platform);
  return { auth, users, system };
}
export type Services = ReturnType<typeof createServices>;
