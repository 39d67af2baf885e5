import type { TechniqueWorkMover } from '../attack';
import { recomputeCoverage } from '../coverage';
import { moveTestsToTechniques } from './test-cases.queries';

/** Release upgrades: tests on a revoked technique move to the technique that revokes it; coverage follows. */
export const moveTests: TechniqueWorkMover = async (tx, moves) => {
  const moved = await moveTestsToTechniques(tx, moves);
  if (moved > 0) await recomputeCoverage(tx, [...new Set(moves.flatMap((m) => [m.fromId, m.toId]))], null);
  return { what: 'tests', moved };
};
