import { brokenPasswordRules, describeBrokenRules } from '@aegis/contracts';
import { hash, verify } from '@node-rs/argon2';
import { errors } from '../../infra/http';

// OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): ≈10 ms per hash here.
// algorithm 2 = Argon2id (the package exports it as an ambient const enum, unusable under verbatimModuleSyntax).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash of a random password: verifying against it costs what a real check costs (no user-exists timing leak). */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(`dummy-${Math.random()}-A1!`);
  return dummyHash;
}

/** Throws a 400 naming the field and every broken rule. */
export function assertPasswordPolicy(password: string, field: string): void {
  const broken = brokenPasswordRules(password);
  if (broken.length === 0) return;
  throw errors.validation(
    [{ path: field, message: describeBrokenRules(broken) }],
    describeBrokenRules(broken),
  );
}
