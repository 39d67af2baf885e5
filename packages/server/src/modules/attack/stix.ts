import { hash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

/**
 * STIX 2.0 / 2.1 as ATT&CK publishes it: the envelope is checked strictly, each object loosely
 * (upstream adds fields between releases; unknown fields are kept in `extra`, never rejected).
 */
const StixId = z
  .string()
  .regex(/^[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'not a STIX id');
const Timestamp = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a timestamp');

const ExternalReference = z.looseObject({
  source_name: z.string(),
  external_id: z.string().optional(),
  url: z.string().optional(),
  description: z.string().optional(),
});

const KillChainPhase = z.looseObject({ kill_chain_name: z.string(), phase_name: z.string() });

export const StixObject = z.looseObject({
  type: z.string().regex(/^[a-z][a-z0-9-]*$/),
  id: StixId,
  spec_version: z.string().optional(),
  created: Timestamp.optional(),
  modified: Timestamp.optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  revoked: z.boolean().optional(),
  x_mitre_deprecated: z.boolean().optional(),
  x_mitre_version: z.string().optional(),
  x_mitre_domains: z.array(z.string()).optional(),
  external_references: z.array(ExternalReference).optional(),
  kill_chain_phases: z.array(KillChainPhase).optional(),
  x_mitre_platforms: z.array(z.string()).optional(),
  x_mitre_is_subtechnique: z.boolean().optional(),
  x_mitre_shortname: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  x_mitre_aliases: z.array(z.string()).optional(),
  tactic_refs: z.array(StixId).optional(),
  relationship_type: z.string().optional(),
  source_ref: StixId.optional(),
  target_ref: StixId.optional(),
});
export type StixObject = z.infer<typeof StixObject>;

export const StixBundle = z.object({
  type: z.literal('bundle', { error: 'not a STIX bundle (type must be "bundle")' }),
  id: StixId,
  spec_version: z.string().optional(),
  objects: z.array(z.unknown(), { error: 'a STIX bundle needs an "objects" array' }),
});

export class StixFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StixFormatError';
  }
}

/** Bytes of a bundle file (plain or gzipped JSON) → its raw objects. */
export function readBundle(bytes: Buffer): { objects: unknown[]; specVersion: string | undefined } {
  let text: string;
  try {
    text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch {
    throw new StixFormatError('The file looks gzipped but cannot be decompressed');
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StixFormatError(`The file is not JSON: ${(err as Error).message.slice(0, 120)}`);
  }
  const bundle = StixBundle.safeParse(json);
  if (!bundle.success)
    throw new StixFormatError(
      `The file is not a STIX bundle: ${bundle.error.issues.map((i) => `${i.path.join('.') || 'document'}: ${i.message}`).join('; ')}`,
    );
  return { objects: bundle.data.objects, specVersion: bundle.data.spec_version };
}

export const ATTACK_SOURCE_NAMES = new Set(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack']);
export const DOMAINS = ['enterprise-attack', 'mobile-attack', 'ics-attack'] as const;
export type Domain = (typeof DOMAINS)[number];

export function attackIdOf(o: StixObject): string | undefined {
  return o.external_references?.find((r) => ATTACK_SOURCE_NAMES.has(r.source_name) && r.external_id)
    ?.external_id;
}

export function attackUrlOf(o: StixObject): string | undefined {
  return o.external_references?.find((r) => ATTACK_SOURCE_NAMES.has(r.source_name))?.url;
}

/** SHA-256 (hex) of the object's JSON; the one-shot `hash` costs a third of a Hash object per call. */
export function contentHash(raw: unknown): string {
  return hash('sha256', JSON.stringify(raw), 'hex');
}
