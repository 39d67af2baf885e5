import { parseArgs } from 'node:util';
import type { Config } from '../infra/config';
import { openDatabase, runMigrations } from '../infra/db';
import { createLogger } from '../infra/logger';
import { createBlobStore } from '../infra/storage';
import { importAttack } from '../modules/attack';
import { CLI_ACTOR } from '../modules/audit-logs';
import { generateSyntheticOrg, SYNTHETIC_PASSWORD } from '../modules/dev-seed';
import { RELEASE_FOLLOWERS, releasePreparers, TECHNIQUE_WORK_MOVERS } from '../services';
import { type CliForm, CliUsageError, usageText } from './commands';

export const DEV_FORMS: readonly CliForm[] = [
  {
    usage: 'dev seed --tests <N> [--seed <S>] [--rules <N>] [--attack <enterprise-attack.json.gz>]',
    summary: 'Fill an empty database with a synthetic organisation (benchmarks and development only)',
  },
];

export const DEV_USAGE = usageText(
  DEV_FORMS,
  `Fills an empty database with one synthetic organisation, the same for the same seed: users of every
role (synth-<role>-NNN, password ${SYNTHETIC_PASSWORD}), tests in every workflow state over two years,
tool outcomes, votes, transitions, evidence metadata, remediation, notifications, audit rows and
detection rules. It needs Enterprise ATT&CK loaded; --attack imports a bundle first. For benchmarks
and development only — never on a production database.`,
);

function positiveInt(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new CliUsageError(`--${name}: expected a whole number\n\n${DEV_USAGE}`);
  return n;
}

/** `aegis dev seed …`: the synthetic organisation every benchmark uses. */
export async function devCommand(config: Readonly<Config>, args: string[]): Promise<number> {
  const [what, ...rest] = args;
  if (!what || what === 'help' || what === '--help') {
    process.stdout.write(`${DEV_USAGE}\n`);
    return 0;
  }
  if (what !== 'seed') throw new CliUsageError(`unknown dev command "${what}"\n\n${DEV_USAGE}`);
  const { values } = parseArgs({
    args: rest,
    options: {
      tests: { type: 'string' },
      seed: { type: 'string' },
      rules: { type: 'string' },
      attack: { type: 'string' },
    },
  });
  if (values.tests === undefined) throw new CliUsageError(`dev seed needs --tests\n\n${DEV_USAGE}`);
  const tests = positiveInt('tests', values.tests);
  const seed = positiveInt('seed', values.seed, 42);
  const rules = positiveInt('rules', values.rules, 5000);
  const logger = createLogger({ log: { level: 'warn' } });
  const database = await openDatabase(config.db, logger);
  try {
    await runMigrations(database);
    if (values.attack) {
      const storage = await createBlobStore(config.storage, logger);
      await importAttack(
        {
          db: database.db,
          storage,
          logger,
          movers: [...TECHNIQUE_WORK_MOVERS],
          followers: [...RELEASE_FOLLOWERS],
          preparers: releasePreparers(database.db, config),
        },
        { source: { type: 'file', path: values.attack }, actor: CLI_ACTOR },
      );
    }
    const result = await generateSyntheticOrg(database.db, { tests, seed, rules });
    for (const [table, n] of Object.entries(result.counts))
      process.stdout.write(`${table.padEnd(20)} ${String(n).padStart(9)}\n`);
    process.stdout.write(
      `steps (ms): ${Object.entries(result.steps)
        .map(([k, v]) => `${k} ${v.toFixed(0)}`)
        .join(', ')}\n`,
    );
    process.stdout.write(`Seeded ${tests} tests (seed ${seed}) in ${(result.ms / 1000).toFixed(1)} s.\n`);
    return 0;
  } finally {
    await database.close();
  }
}
