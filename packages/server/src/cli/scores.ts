import type { Config } from '../infra/config';
import { openDatabase, runMigrations } from '../infra/db';
import { createLogger } from '../infra/logger';
import { createScoresService } from '../modules/scores';
import { type CliForm, CliUsageError, usageText } from './commands';

export const SCORES_FORMS: readonly CliForm[] = [
  {
    usage: 'scores recompute',
    summary: 'Recompute every technique score now and print what it did (rows written, time)',
  },
];

const SCORES_USAGE = usageText(
  SCORES_FORMS,
  `Recomputes the scores of every in-scope technique with the scoring configuration in force, as the
scores.recompute job does: rows whose inputs did not change are left as they are. Prints the
technique count, rows written and removed, the configuration version and the time it took.`,
);

/** `aegis scores …`. */
export async function scoresCommand(config: Readonly<Config>, args: string[]): Promise<number> {
  const [what] = args;
  if (!what || what === 'help' || what === '--help') {
    process.stdout.write(`${SCORES_USAGE}\n`);
    return 0;
  }
  if (what !== 'recompute') throw new CliUsageError(`unknown scores command "${what}"\n\n${SCORES_USAGE}`);
  const logger = createLogger({ log: { level: 'warn' } });
  const database = await openDatabase(config.db, logger);
  try {
    await runMigrations(database);
    const r = await createScoresService({ db: database.db, config }).recompute();
    process.stdout.write(
      `scores: ${r.techniques} techniques, ${r.written} written, ${r.removed} removed, config v${r.configVersion}, ${r.ms} ms (read ${r.phases.readMs}, model ${r.phases.modelMs}, write ${r.phases.writeMs})\n`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
