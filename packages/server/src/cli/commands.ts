/**
 * The operator CLI's command table. Each command lists its forms (usage + what it does) and runs
 * with the remaining argv; `aegis help` prints every form, and each command's own help prints its
 * forms with its notes, so the two never disagree.
 */
export interface CliForm {
  /** After `aegis `, e.g. `users list [--role <role>]`. */
  usage: string;
  summary: string;
}

export interface CliCommand {
  name: string;
  forms: readonly CliForm[];
  run(args: string[]): Promise<number>;
}

export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

const formLines = (forms: readonly CliForm[]) =>
  forms.flatMap((f) => [`  aegis ${f.usage}`, `      ${f.summary}`]);

/** One command's help: its forms, then what else to know. */
export function usageText(forms: readonly CliForm[], notes?: string): string {
  return ['Usage:', ...formLines(forms), ...(notes ? ['', notes] : [])].join('\n');
}

export function helpText(commands: readonly CliCommand[]): string {
  return [
    'Usage: aegis <command> [options]',
    '',
    'Commands:',
    ...formLines(commands.flatMap((c) => c.forms)),
    '',
    'Configuration comes from the environment (and ./.env); see .env.example.',
    'In embedded mode, commands that open the database need the server stopped (the data folder is locked).',
  ].join('\n');
}
