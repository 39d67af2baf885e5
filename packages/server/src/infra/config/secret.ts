import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './index';

/**
 * The signing secret. Production must set SECRET_KEY (config refuses to start otherwise). In
 * development a random secret is made once and kept in DATA_DIR, so sessions survive restarts
 * without anyone having to invent a key for a laptop install.
 */
export function resolveSecretKey(config: Pick<Config, 'secretKey' | 'dataDir'>): {
  key: string;
  source: string;
} {
  if (config.secretKey) return { key: config.secretKey, source: 'SECRET_KEY' };
  const file = path.join(config.dataDir, 'secret.key');
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return { key: existing, source: file };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'w' });
  return { key, source: file };
}
