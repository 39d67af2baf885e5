import { createHash } from 'node:crypto';

/**
 * Small synthetic STIX bundles for release-upgrade cases the shared data cannot show (ATT&CK v19
 * split Defense Evasion into Stealth and Defense Impairment and renumbered techniques).
 */
const uuid = (seed: string) => {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
export const sid = (type: string, seed: string) => `${type}--${uuid(seed)}`;

const ref = (attackId: string, kind: string) => [
  {
    source_name: 'mitre-attack',
    external_id: attackId,
    url: `https://attack.mitre.org/${kind}/${attackId.replace('.', '/')}`,
  },
];

export function tactic(
  attackId: string,
  name: string,
  shortname: string,
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'x-mitre-tactic',
    id: sid('x-mitre-tactic', shortname),
    created: '2018-10-17T00:14:20.652Z',
    modified: '2025-04-25T14:41:40.982Z',
    name,
    description: `${name} tactic`,
    x_mitre_shortname: shortname,
    external_references: ref(attackId, 'tactics'),
    x_mitre_version: '1.0',
    ...extra,
  };
}

export function technique(
  attackId: string,
  name: string,
  tactics: string[],
  extra: Record<string, unknown> & { seed?: string } = {},
) {
  const { seed, ...rest } = extra;
  return {
    type: 'attack-pattern',
    id: sid('attack-pattern', seed ?? attackId),
    created: '2020-01-01T00:00:00.000Z',
    modified: '2025-01-01T00:00:00.000Z',
    name,
    description: `${name}: adversaries do things.`,
    kill_chain_phases: tactics.map((phase_name) => ({ kill_chain_name: 'mitre-attack', phase_name })),
    external_references: ref(attackId, 'techniques'),
    x_mitre_platforms: ['Windows', 'Linux'],
    x_mitre_is_subtechnique: attackId.includes('.'),
    x_mitre_version: '1.0',
    x_mitre_domains: ['enterprise-attack'],
    ...rest,
  };
}

export function relationship(type: string, source: string, target: string) {
  return {
    type: 'relationship',
    id: sid('relationship', `${type}:${source}:${target}`),
    created: '2020-01-01T00:00:00.000Z',
    modified: '2025-01-01T00:00:00.000Z',
    relationship_type: type,
    source_ref: source,
    target_ref: target,
  };
}

export function matrix(tacticIds: string[]) {
  return {
    type: 'x-mitre-matrix',
    id: sid('x-mitre-matrix', 'enterprise'),
    created: '2018-10-17T00:14:20.652Z',
    modified: '2025-04-25T14:41:40.982Z',
    name: 'Enterprise ATT&CK',
    description: 'matrix',
    tactic_refs: tacticIds,
    external_references: [{ source_name: 'mitre-attack', external_id: 'enterprise-attack' }],
  };
}

export function bundle(objects: unknown[]) {
  return {
    type: 'bundle',
    id: sid('bundle', JSON.stringify(objects).length.toString()),
    spec_version: '2.0',
    objects,
  };
}
