#!/usr/bin/env node
import { type CliCommand, CliUsageError, helpText } from './cli/commands';
import { DEV_FORMS, devCommand } from './cli/dev';
import { IMPORT_FORMS, importCommand } from './cli/import';
import { migrate } from './cli/migrate';
import { SCORES_FORMS, scoresCommand } from './cli/scores';
import { serve } from './cli/serve';
import { USERS_FORMS, usersCommand } from './cli/users';
import { ConfigError, readConfig } from './infra/config';
import { DataDirLockedError } from './infra/db';
import { serverVersion } from './infra/paths';

const commands: CliCommand[] = [
  {
    name: 'serve',
    forms: [{ usage: 'serve', summary: 'Start Aegis (API, web app and background jobs on one port)' }],
    run: () => serve(readConfig()),
  },
  {
    name: 'migrate',
    forms: [{ usage: 'migrate', summary: 'Apply pending database migrations and exit' }],
    run: () => migrate(readConfig()),
  },
  { name: 'users', forms: USERS_FORMS, run: (args) => usersCommand(readConfig(), args) },
  { name: 'import', forms: IMPORT_FORMS, run: (args) => importCommand(readConfig(), args) },
  { name: 'scores', forms: SCORES_FORMS, run: (args) => scoresCommand(readConfig(), args) },
  { name: 'dev', forms: DEV_FORMS, run: (args) => devCommand(readConfig(), args) },
  {
    name: 'version',
    forms: [{ usage: 'version', summary: 'Print the version' }],
    run: async () => {
      process.stdout.write(`${serverVersion}\n`);
      return 0;
    },
  },
  {
    name: 'help',
    forms: [
      { usage: 'help', summary: 'This list (`aegis users|import|scores|dev help` give the details of each)' },
    ],
    run: async () => {
      process.stdout.write(`${helpText(commands)}\n`);
      return 0;
    },
  },
];

async function main(argv: string[]): Promise<number> {
  const [given = 'help', ...rest] = argv;
  const name = given === '--help' || given === '-h' ? 'help' : given;
  const command = commands.find((c) => c.name === name);
  if (!command) throw new CliUsageError(`unknown command "${name}"`);
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof ConfigError || err instanceof DataDirLockedError) {
      process.stderr.write(`aegis: ${err.message}\n`);
      process.exit(2);
    }
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(
        `aegis: ${(err as Error).message}: another program uses this port; set PORT to a free one\n`,
      );
      process.exit(2);
    }
    if (err instanceof CliUsageError) {
      process.stderr.write(`aegis: ${err.message}\n\n${helpText(commands)}\n`);
      process.exit(64);
    }
    process.stderr.write(
      `aegis: fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
