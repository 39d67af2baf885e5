/**
 * The operator CLI's command table. Each command names itself, says what it does, and runs with the
 * remaining argv. Later modules add theirs here (users, import, backup).
 */
export interface CliCommand {
  name: string;
  summary: string;
  usage?: string;
  run(args: string[]): Promise<number>;
}

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export function helpText(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => (c.usage ?? c.name).length));
  return [
    'Usage: aegis <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${(c.usage ?? c.name).padEnd(width)}  ${c.summary}`),
    '',
    'Configuration comes from the environment (and ./.env); see .env.example.',
  ].join('\n');
}
