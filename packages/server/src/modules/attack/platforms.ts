import type { AttackPlatform } from '@aegis/contracts';

/** Left out of the default scope: PRE is the adversary's preparation, which no defence of ours sees. */
export const OUT_OF_DEFAULT_SCOPE: readonly string[] = ['PRE'];

/**
 * The release's platforms with their technique counts, marked in or out of the organisation's scope
 * (null: every platform but PRE), by name; scope names the release does not use are listed too
 * (count 0), so a scope that names an old platform shows as such.
 */
export function platformsInScope(
  counts: ReadonlyArray<{ name: string; techniqueCount: number }>,
  scope: readonly string[] | null,
): AttackPlatform[] {
  const inScope = (name: string) => (scope ? scope.includes(name) : !OUT_OF_DEFAULT_SCOPE.includes(name));
  const items = counts.map((c) => ({
    name: c.name,
    inScope: inScope(c.name),
    techniqueCount: c.techniqueCount,
  }));
  for (const name of scope ?? [])
    if (!counts.some((c) => c.name === name)) items.push({ name, inScope: true, techniqueCount: 0 });
  return items.sort((a, b) => a.name.localeCompare(b.name, 'en'));
}
