import { sql } from 'drizzle-orm';
import type { Db } from '../../infra/db';
import { errors } from '../../infra/http';
import { recomputeCoverage } from '../coverage';
import { hashPassword } from '../users';
import {
  countExisting,
  insertAudit,
  insertEvidence,
  insertNotifications,
  insertRemediation,
  insertRules,
  insertTests,
  insertToolResults,
  insertTransitions,
  insertUsers,
  insertVotes,
  liveTechniqueIds,
  type SeedPlan,
  seededCounts,
} from './synthetic-org.queries';

export interface SyntheticOrgOptions {
  /** Number of tests (≈5 evidence rows, ≈3 transitions and ≈3 audit rows each). */
  tests: number;
  seed?: number;
  /** Detection rules (default 5,000). */
  rules?: number;
  /** The newest moment of the two years (default: today 00:00 UTC, so a day's runs agree). */
  anchor?: Date;
}

/** Every synthetic user signs in with this password (the users are `synth-<role>-NNN`). */
export const SYNTHETIC_PASSWORD = 'Synthetic-Passw0rd!';

/** Users per role grow with the organisation: ≈ one technician per 2,000 tests on each side. */
export function usersFor(tests: number): SeedPlan['users'] {
  const techs = Math.max(2, Math.ceil(tests / 2000));
  return { admin: 2, red_lead: 3, blue_lead: 3, red_tech: techs, blue_tech: techs, viewer: techs };
}

export interface SyntheticOrgResult {
  counts: Record<string, number>;
  /** Milliseconds per step (where the time goes). */
  steps: Record<string, number>;
  ms: number;
}

/**
 * Generates one synthetic organisation on top of a loaded Enterprise ATT&CK release, in one
 * transaction of set-based statements (no row loop): users of every role, tests in every workflow
 * state over two years, per-tool outcomes, transitions, votes, evidence metadata (no blobs),
 * remediation, notifications, audit rows and detection rules; coverage is then derived by the
 * workflow's own rule. Deterministic: the same seed and anchor give the same rows and ids.
 */
export async function generateSyntheticOrg(
  db: Db,
  options: SyntheticOrgOptions,
): Promise<SyntheticOrgResult> {
  const started = performance.now();
  const seed = options.seed ?? 42;
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw errors.validation([{ path: 'seed', message: 'must be a non-negative integer' }]);
  if (!Number.isSafeInteger(options.tests) || options.tests < 1)
    throw errors.validation([{ path: 'tests', message: 'must be a positive integer' }]);
  const today = new Date();
  today.setUTCHours(0, 0, 0, 0);
  const plan: SeedPlan = {
    seed,
    tests: options.tests,
    rules: options.rules ?? 5000,
    users: usersFor(options.tests),
    passwordHash: await hashPassword(SYNTHETIC_PASSWORD),
    anchor: options.anchor ?? today,
  };
  const steps: Record<string, number> = {};
  const step = async (name: string, fn: () => Promise<unknown>) => {
    const t0 = performance.now();
    await fn();
    steps[name] = performance.now() - t0;
  };
  const counts = await db.transaction(async (tx) => {
    const existing = await countExisting(tx);
    if (existing.techniques === 0)
      throw errors.conflict('no Enterprise ATT&CK techniques are loaded: import a release first');
    if (existing.tests > 0)
      throw errors.conflict(`the database already holds ${existing.tests} tests: seed an empty one`);
    await step('users', () => insertUsers(tx, plan));
    await step('tests', () => insertTests(tx, plan));
    await step('toolresults', () => insertToolResults(tx, plan));
    await step('transitions', () => insertTransitions(tx, plan));
    await step('votes', () => insertVotes(tx, plan));
    await step('evidence', () => insertEvidence(tx, plan));
    await step('remediation', () => insertRemediation(tx, plan));
    await step('notifications', () => insertNotifications(tx, plan));
    await step('audit', () => insertAudit(tx, plan));
    await step('rules', () => insertRules(tx, plan));
    await step('coverage', async () => recomputeCoverage(tx, await liveTechniqueIds(tx), null));
    return seededCounts(tx);
  });
  // A bulk load leaves the planner without statistics and the visibility map empty (PGlite has no
  // autovacuum at all): without this, the first hours of every list plan on guesses.
  await step('analyze', () => db.execute(sql`vacuum analyze`));
  return { counts, steps, ms: performance.now() - started };
}
