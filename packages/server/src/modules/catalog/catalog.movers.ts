import type { TechniqueWorkMover } from '../attack';
import { moveMappings } from './sync.queries';

/** Release upgrades: template, rule, D3FEND and control mappings on a revoked technique follow it to its successor. */
export const moveCatalogMappings: TechniqueWorkMover = async (tx, moves) => ({
  what: 'catalog mappings',
  moved: await moveMappings(tx, moves),
});
