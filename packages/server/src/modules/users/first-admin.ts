import { randomInt } from 'node:crypto';
import { brokenPasswordRules } from '@aegis/contracts';
import type { Config } from '../../infra/config';
import type { Db } from '../../infra/db';
import type { Logger } from '../../infra/logger';
import { recordAudit, SYSTEM_ACTOR } from '../audit-logs';
import { hashPassword } from './passwords';
import { countActiveAdmins, findUserByUsername, insertUserIfAbsent } from './users.queries';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** 24 characters in dash-separated groups (≈ 118 bits), always meeting the password policy. */
export function generatePassword(): string {
  for (;;) {
    const groups = Array.from({ length: 4 }, () =>
      Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    );
    const password = groups.join('-');
    if (brokenPasswordRules(password).length === 0) return password;
  }
}

/**
 * Makes sure a fresh install can be signed into: when no active admin exists, creates one from
 * ADMIN_USERNAME / ADMIN_PASSWORD, or with a generated password shown once on stdout. Safe when
 * several instances start together: only the one whose insert wins creates (and prints) it.
 */
export async function ensureFirstAdmin(
  db: Db,
  firstAdmin: Config['auth']['firstAdmin'],
  logger: Logger,
  print: (text: string) => void = (t) => process.stdout.write(t),
): Promise<'exists' | 'created' | 'blocked'> {
  if ((await countActiveAdmins(db)) > 0) return 'exists';
  const generated = firstAdmin.password === undefined;
  const password = firstAdmin.password ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const row = await db.transaction(async (tx) => {
    const inserted = await insertUserIfAbsent(tx, {
      username: firstAdmin.username,
      email: firstAdmin.email,
      displayName: 'Administrator',
      role: 'admin',
      passwordHash,
      mustChangePassword: generated,
    });
    if (inserted)
      await recordAudit(tx, SYSTEM_ACTOR, {
        action: 'user.create',
        entityType: 'user',
        entityId: inserted.id,
        summary: {
          username: inserted.username,
          role: 'admin',
          reason: 'first admin',
          generatedPassword: generated,
        },
      });
    return inserted;
  });
  if (!row) {
    const existing = await findUserByUsername(db, firstAdmin.username);
    if (existing?.role === 'admin' && existing.active) return 'exists';
    logger.error(
      { username: firstAdmin.username },
      'no active admin exists and ADMIN_USERNAME is taken by another account; create one with `aegis users create --role admin`',
    );
    return 'blocked';
  }
  logger.warn({ username: row.username, generatedPassword: generated }, 'first admin account created');
  if (generated) {
    const line = '='.repeat(72);
    print(
      [
        '',
        line,
        '  AEGIS — INITIAL ADMIN ACCOUNT (shown once, not stored anywhere in clear)',
        `  username: ${row.username}`,
        `  password: ${password}`,
        '  Sign in and change this password (you will be asked to).',
        line,
        '',
        '',
      ].join('\n'),
    );
  }
  return 'created';
}
