import {
  attackIdOf,
  attackUrlOf,
  contentHash,
  DOMAINS,
  type Domain,
  StixFormatError,
  StixObject,
} from './stix';

/** The object types kept; identities, markings and collections carry nothing a user works with. */
export const KEPT_TYPES = new Set([
  'x-mitre-matrix',
  'x-mitre-tactic',
  'attack-pattern',
  'intrusion-set',
  'malware',
  'tool',
  'campaign',
  'course-of-action',
  'x-mitre-data-source',
  'x-mitre-data-component',
  'x-mitre-detection-strategy',
  'x-mitre-analytic',
]);

export const KEPT_RELATIONSHIPS = new Set([
  'uses',
  'mitigates',
  'subtechnique-of',
  'revoked-by',
  'detects',
  'attributed-to',
]);

/** Upstream fields that have their own column; everything else except these goes to `extra`. */
const COLUMN_FIELDS = new Set([
  'type',
  'id',
  'name',
  'description',
  'created',
  'modified',
  'revoked',
  'x_mitre_deprecated',
  'x_mitre_version',
  'x_mitre_platforms',
  'kill_chain_phases',
  'x_mitre_is_subtechnique',
  'aliases',
  'x_mitre_aliases',
  'x_mitre_shortname',
  'x_mitre_detection',
  'spec_version',
  'created_by_ref',
  'object_marking_refs',
  'x_mitre_modified_by_ref',
]);

export interface MappedObject {
  domain: Domain;
  stixId: string;
  type: string;
  attackId: string | null;
  name: string;
  description: string;
  url: string | null;
  version: string | null;
  stixCreated: string | null;
  stixModified: string | null;
  deprecated: boolean;
  revoked: boolean;
  platforms: string[];
  tactics: string[];
  isSubtechnique: boolean;
  parentStixId: string | null;
  aliases: string[];
  shortname: string | null;
  matrixOrder: number | null;
  detection: string | null;
  extra: Record<string, unknown>;
  contentHash: string;
}

export interface MappedRelationship {
  domain: Domain;
  stixId: string;
  type: string;
  sourceRef: string;
  targetRef: string;
  description: string | null;
  deprecated: boolean;
  revoked: boolean;
  stixModified: string | null;
  contentHash: string;
}

export interface MappedRelease {
  domain: Domain;
  release: string | null;
  objects: MappedObject[];
  relationships: MappedRelationship[];
  /** Objects that failed validation: skipped, reported in the run. */
  errors: string[];
  /** Counts of raw objects by STIX type, as found in the input. */
  foundByType: Record<string, number>;
}

function isDomain(v: unknown): v is Domain {
  return (DOMAINS as readonly string[]).includes(v as string);
}

/** The domain a set of objects belongs to: the matrix says it; otherwise the objects' x_mitre_domains. */
function detectDomain(objects: StixObject[]): Domain | undefined {
  const matrix = objects.find((o) => o.type === 'x-mitre-matrix');
  const fromMatrix = matrix ? attackIdOf(matrix) : undefined;
  if (isDomain(fromMatrix)) return fromMatrix;
  const votes = new Map<Domain, number>();
  for (const o of objects)
    for (const d of o.x_mitre_domains ?? []) if (isDomain(d)) votes.set(d, (votes.get(d) ?? 0) + 1);
  return [...votes.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** A release name like "18.1": the collection's version, else one found in the source name. */
export function detectRelease(raw: StixObject[], sourceName: string): string | null {
  const collection = raw.find((o) => o.type === 'x-mitre-collection');
  if (collection?.x_mitre_version) return collection.x_mitre_version;
  const m = /(?:^|[^0-9.])v?(\d{1,2}\.\d{1,2})(?=\.[a-z]|[^0-9.]|$)/i.exec(
    sourceName.split('/').at(-1) ?? sourceName,
  );
  return m?.[1] ?? null;
}

/**
 * Raw STIX objects → rows. Pure: no database, no clock. Sub-technique parents come from
 * `subtechnique-of` relationships, tactic order from the matrix's `tactic_refs`.
 */
export function mapRelease(
  rawObjects: unknown[],
  options: { sourceName: string; domain?: Domain; release?: string },
): MappedRelease {
  const errors: string[] = [];
  const valid: StixObject[] = [];
  const foundByType: Record<string, number> = {};
  for (const [i, raw] of rawObjects.entries()) {
    const parsed = StixObject.safeParse(raw);
    if (!parsed.success) {
      const id = (raw as { id?: unknown })?.id;
      errors.push(
        `object ${typeof id === 'string' ? id : `#${i}`}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`,
      );
      continue;
    }
    foundByType[parsed.data.type] = (foundByType[parsed.data.type] ?? 0) + 1;
    valid.push(parsed.data);
  }
  const domain = options.domain ?? detectDomain(valid);
  if (!domain)
    throw new StixFormatError(
      'The bundle holds no ATT&CK objects (no matrix and no x_mitre_domains to tell the domain)',
    );

  const parentOf = new Map<string, string>();
  for (const o of valid)
    if (
      o.type === 'relationship' &&
      o.relationship_type === 'subtechnique-of' &&
      o.source_ref &&
      o.target_ref &&
      !o.revoked
    )
      parentOf.set(o.source_ref, o.target_ref);
  // Some domains ship several matrices (Mobile keeps a small legacy one): the largest live one orders the columns.
  const mainMatrix = valid
    .filter((o) => o.type === 'x-mitre-matrix' && !o.revoked && !o.x_mitre_deprecated)
    .sort((a, b) => (b.tactic_refs?.length ?? 0) - (a.tactic_refs?.length ?? 0))[0];
  const order = new Map((mainMatrix?.tactic_refs ?? []).map((ref, i) => [ref, i] as const));

  const objects: MappedObject[] = [];
  const relationships: MappedRelationship[] = [];
  for (const o of valid) {
    if (o.type === 'relationship') {
      if (
        !o.relationship_type ||
        !KEPT_RELATIONSHIPS.has(o.relationship_type) ||
        !o.source_ref ||
        !o.target_ref
      )
        continue;
      relationships.push({
        domain,
        stixId: o.id,
        type: o.relationship_type,
        sourceRef: o.source_ref,
        targetRef: o.target_ref,
        description: o.description ?? null,
        deprecated: o.x_mitre_deprecated ?? false,
        revoked: o.revoked ?? false,
        stixModified: o.modified ?? null,
        contentHash: contentHash(o),
      });
      continue;
    }
    if (!KEPT_TYPES.has(o.type)) continue;
    if (!o.name) {
      errors.push(`object ${o.id}: ${o.type} without a name`);
      continue;
    }
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o))
      if (!COLUMN_FIELDS.has(k) && k !== 'external_references') extra[k] = v;
    const citations = o.external_references?.filter(
      (r) => !r.source_name.startsWith('mitre-') && !r.source_name.startsWith('capec'),
    );
    if (citations?.length) extra.references = citations;
    const tactics =
      o.kill_chain_phases
        ?.filter((k) => k.kill_chain_name.startsWith('mitre-') && k.kill_chain_name.endsWith('attack'))
        .map((k) => k.phase_name) ?? [];
    objects.push({
      domain,
      stixId: o.id,
      type: o.type,
      attackId: attackIdOf(o) ?? null,
      name: o.name,
      description: o.description ?? '',
      url: attackUrlOf(o) ?? null,
      version: o.x_mitre_version ?? null,
      stixCreated: o.created ?? null,
      stixModified: o.modified ?? null,
      deprecated: o.x_mitre_deprecated ?? false,
      revoked: o.revoked ?? false,
      platforms: o.x_mitre_platforms ?? [],
      tactics: [...new Set(tactics)],
      isSubtechnique: o.x_mitre_is_subtechnique ?? false,
      parentStixId: parentOf.get(o.id) ?? null,
      aliases: (o.type === 'intrusion-set' || o.type === 'campaign' ? o.aliases : o.x_mitre_aliases) ?? [],
      shortname: o.x_mitre_shortname ?? null,
      matrixOrder: order.get(o.id) ?? null,
      detection: typeof o.x_mitre_detection === 'string' ? o.x_mitre_detection : null,
      extra,
      contentHash: contentHash(o),
    });
  }
  return {
    domain,
    release: options.release ?? detectRelease(valid, options.sourceName),
    objects,
    relationships,
    errors,
    foundByType,
  };
}
