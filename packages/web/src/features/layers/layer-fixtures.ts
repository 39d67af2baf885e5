import type { ClaimedItem, ClaimedLayerDetail } from '@aegis/contracts';

/** Test factories: an entry and a layer as the API sends them, with what a test does not care about filled in. */
export function buildItem(overrides: Partial<ClaimedItem> & Pick<ClaimedItem, 'position'>): ClaimedItem {
  const original = overrides.originalTechniqueId ?? 'T1059';
  return {
    originalTechniqueId: original,
    techniqueId: '00000000-0000-4000-8000-000000000001',
    attackId: original,
    resolution: 'active',
    via: [],
    originalTactic: 'execution',
    tactic: 'execution',
    score: 2,
    normalisedScore: 14.29,
    color: null,
    comment: '',
    enabled: true,
    claimed: true,
    warnings: [],
    ...overrides,
  };
}

/** The spec's two-step revocation (T1073 → T1574.002 → T1574.001), its tactic dropped on the way. */
export const twoStepRevoked = (position: number): ClaimedItem =>
  buildItem({
    position,
    originalTechniqueId: 'T1073',
    attackId: 'T1574.001',
    resolution: 'revoked',
    via: ['T1073', 'T1574.002', 'T1574.001'],
    originalTactic: 'defense-evasion',
    tactic: null,
    warnings: ['TACTIC_NOT_APPLICABLE'],
  });

export function buildLayer(overrides: Partial<ClaimedLayerDetail> = {}): ClaimedLayerDetail {
  return {
    id: null,
    name: 'Red Pins',
    description: '',
    domain: 'enterprise-attack',
    layerVersion: '3.0',
    attackVersion: null,
    resolvedRelease: '18.1',
    sourceFilename: 'Red_Pins.json',
    sourceIndex: 0,
    sha256: 'ab'.repeat(32),
    claimThreshold: 0,
    gradient: { min: 1, max: 8 },
    counts: {
      entries: 0,
      active: 0,
      revoked: 0,
      deprecated: 0,
      unknown: 0,
      tacticDropped: 0,
      collisions: 0,
      claimed: 0,
    },
    warningCount: 0,
    importedBy: null,
    importedAt: null,
    resolvedAt: null,
    warnings: [],
    items: [],
    ...overrides,
  };
}
