import type { ReleaseFollower, TechniqueWorkMover } from '../attack';
import { moveMappings, reresolveCatalog } from './sync.queries';
import { recomputeTemplateTactics } from './templates.queries';

/** Release upgrades: template, rule, D3FEND and control mappings on a revoked technique follow it to its successor. */
export const moveCatalogMappings: TechniqueWorkMover = async (tx, moves) => ({
  what: 'catalog mappings',
  moved: await moveMappings(tx, moves),
});

/**
 * After every enterprise ATT&CK import: the catalog follows the release without a re-sync. Ids its rows
 * kept unresolved that the release now knows are mapped, mappings still on revoked techniques move on,
 * and template tactics are recomputed from the release (ADR 12).
 */
export const followRelease: ReleaseFollower = async (tx, { domain }) => {
  // Catalog ids resolve against enterprise techniques only (resolveAttackIds).
  if (domain !== 'enterprise-attack') return { what: 'catalog', counts: {} as Record<string, number> };
  const { rows, moved } = await reresolveCatalog(tx);
  const tactics = await recomputeTemplateTactics(tx, 'all');
  return { what: 'catalog', counts: { resolvedRows: rows, movedMappings: moved, templateTactics: tactics } };
};
