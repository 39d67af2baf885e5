import { parseArgs } from 'node:util';
import { CreateUser, ListUsersQuery, Role, type User } from '@aegis/contracts';
import type { Config } from '../infra/config';
import { resolveSecretKey } from '../infra/config/secret';
import { openDatabase, runMigrations } from '../infra/db';
import { AppError } from '../infra/http';
import { createLogger } from '../infra/logger';
import { CLI_ACTOR } from '../modules/audit-logs';
import { createAuthService } from '../modules/auth';
import { createUsersService, findUserByUsername, generatePassword } from '../modules/users';
import { type CliForm, CliUsageError, usageText } from './commands';

export const USERS_FORMS: readonly CliForm[] = [
  {
    usage: 'users list [--role <role>] [--active true|false] [--search <text>]',
    summary: 'List users',
  },
  {
    usage:
      'users create --username <name> --email <email> --role <role> [--name <display name>] [--password-stdin]',
    summary: 'Create a user (a generated password is printed once unless --password-stdin)',
  },
  {
    usage: 'users reset-password <username> [--password-stdin]',
    summary: "Set a user's password (generated and printed once unless --password-stdin)",
  },
];

export const USERS_USAGE = usageText(
  USERS_FORMS,
  `Roles: ${Role.options.join(', ')}.
Without --password-stdin a strong password is generated, printed once, and must be changed at first sign-in.
In embedded mode stop the server first (the data folder is locked while it runs).`,
);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function table(users: User[]): string {
  const rows = users.map((u) => [
    u.username,
    u.role,
    u.active ? 'active' : 'inactive',
    u.email,
    u.lastLoginAt ?? 'never',
  ]);
  const head = ['USERNAME', 'ROLE', 'STATUS', 'EMAIL', 'LAST LOGIN'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** `aegis users …`: works on the database directly, recording changes in the audit log as `cli`. */
export async function usersCommand(config: Readonly<Config>, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (!sub || sub === 'help' || sub === '--help') {
    process.stdout.write(`${USERS_USAGE}\n`);
    return 0;
  }
  const logger = createLogger({ log: { level: 'warn' } });
  const database = await openDatabase(config.db, logger);
  try {
    await runMigrations(database);
    const auth = createAuthService({ db: database.db, config, secretKey: resolveSecretKey(config).key });
    const users = createUsersService({ db: database.db, revokeCredentials: auth.revokeCredentials });

    if (sub === 'list') {
      const { values } = parseArgs({
        args: rest,
        options: { role: { type: 'string' }, active: { type: 'string' }, search: { type: 'string' } },
      });
      const q = ListUsersQuery.safeParse({
        role: values.role,
        active: values.active,
        q: values.search,
        limit: 500,
      });
      if (!q.success)
        throw new CliUsageError(q.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; '));
      const page = await users.list(q.data);
      process.stdout.write(`${table(page.items)}\n${page.total} user(s)\n`);
      return 0;
    }

    if (sub === 'create') {
      const { values } = parseArgs({
        args: rest,
        options: {
          username: { type: 'string' },
          email: { type: 'string' },
          role: { type: 'string' },
          name: { type: 'string' },
          'password-stdin': { type: 'boolean', default: false },
        },
      });
      const generated = !values['password-stdin'];
      const password = generated ? generatePassword() : await readStdin();
      const input = CreateUser.safeParse({
        username: values.username,
        email: values.email,
        role: values.role,
        displayName: values.name ?? values.username,
        password,
      });
      if (!input.success)
        throw new CliUsageError(
          input.error.issues
            .map((i) => `--${i.path[0] === 'displayName' ? 'name' : String(i.path[0])}: ${i.message}`)
            .join('; '),
        );
      const user = await users.create(CLI_ACTOR, input.data, { mustChangePassword: generated });
      process.stdout.write(`Created ${user.username} (${user.role}).\n`);
      if (generated)
        process.stdout.write(`Password (shown once; must be changed at first sign-in): ${password}\n`);
      return 0;
    }

    if (sub === 'reset-password') {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: { 'password-stdin': { type: 'boolean', default: false } },
      });
      const username = positionals[0];
      if (!username) throw new CliUsageError('reset-password needs a username');
      const row = await findUserByUsername(database.db, username);
      if (!row) throw new CliUsageError(`no user named ${username}`);
      const generated = !values['password-stdin'];
      const password = generated ? generatePassword() : await readStdin();
      await users.resetPassword(CLI_ACTOR, row.id, { password, mustChangePassword: generated });
      process.stdout.write(`Password of ${row.username} reset; their sessions have ended.\n`);
      if (generated)
        process.stdout.write(`New password (shown once; must be changed at first sign-in): ${password}\n`);
      return 0;
    }

    throw new CliUsageError(`unknown users command "${sub}"\n\n${USERS_USAGE}`);
  } catch (err) {
    if (err instanceof AppError) {
      const issues = (err.details as { issues?: Array<{ path: string; message: string }> } | undefined)
        ?.issues;
      process.stderr.write(`aegis: ${issues ? issues.map((i) => i.message).join('; ') : err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await database.close();
  }
}
