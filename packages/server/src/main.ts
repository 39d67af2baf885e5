#!/usr/bin/env node
import { type CliCommand, CliUsageError, helpText } from './cli/commands';
import { devCommand } from './cli/dev';
import { importCommand } from './cli/import';
import { migrate } from './cli/migrate';
import { serve } from './cli/serve';
import { usersCommand } from './cli/users';
import { ConfigError, readConfig } from './infra/config';
import { DataDirLockedError } from './infra/db';
import { serverVersion } from './infra/paths';

const commands: CliCommand[] = [
  {
    name: 'serve',
    summary: 'Start Aegis (API, web app and background jobs on one port)',
    run: () => serve(readConfig()),
  },
  {
    name: 'migrate',
    summary: 'Apply pending database migrations and exit',
    run: () => migrate(readConfig()),
  },
  {
    name: 'users',
    usage: 'users list|create|reset-password',
    summary: 'Manage users (see `aegis users help`)',
    run: (args) => usersCommand(readConfig(), args),
  },
  {
    name: 'import',
    usage: 'import attack <file|url>',
    summary: 'Import an ATT&CK STIX bundle (see `aegis import help`)',
    run: (args) => importCommand(readConfig(), args),
  },
  {
    name: 'dev',
    usage: 'dev seed --tests N [--seed S]',
    summary: 'Fill an empty database with a synthetic organisation (benchmarks; see `aegis dev help`)',
    run: (args) => devCommand(readConfig(), args),
  },
  {
    name: 'version',
    summary: 'Print the version',
    run: async () => {
      process.stdout.write(`${serverVersion}\n`);
      return 0;
    },
  },
];

async function main(argv: string[]): Promise<number> {
  const [name = 'help', ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${helpText(commands)}\n`);
    return 0;
  }
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
