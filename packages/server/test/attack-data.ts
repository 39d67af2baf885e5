import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { serverRoot } from '../src/infra/paths';
import { importAttack } from '../src/modules/attack';
import { CLI_ACTOR } from '../src/modules/audit-logs';
import type { Platform } from '../src/platform';
import { RELEASE_FOLLOWERS, releasePreparers, TECHNIQUE_WORK_MOVERS } from '../src/services';

/** The shared real-data corpus, beside the repository (never copied into it). */
export const SHARED_DATA = path.resolve(serverRoot, '..', '..', '..', 'shared', 'data');
export const ATTACK_18 = path.join(SHARED_DATA, 'attack', 'enterprise-attack-18.1.json.gz');
export const ATTACK_16 = path.join(SHARED_DATA, 'attack', 'enterprise-attack-16.1.json.gz');

type Raw = Record<string, unknown> & { type: string; id: string };
const cache = new Map<string, Raw[]>();

/** The raw objects of a shared bundle (parsed once per test file). */
export function rawObjects(file: string): Raw[] {
  let objects = cache.get(file);
  if (!objects) {
    const bytes = readFileSync(file);
    const text = (bytes[0] === 0x1f ? gunzipSync(bytes) : bytes).toString('utf8');
    objects = (JSON.parse(text) as { objects: Raw[] }).objects;
    cache.set(file, objects);
  }
  return objects;
}

const live = (o: Raw) => o.revoked !== true && o.x_mitre_deprecated !== true;
export const attackIdOf = (o: Raw) =>
  (o.external_references as Array<{ source_name: string; external_id?: string }> | undefined)?.find(
    (r) => r.source_name === 'mitre-attack',
  )?.external_id;

/** Figures counted straight from the bundle, independently of the importer's code. */
export function independentCounts(file: string) {
  const objects = rawObjects(file);
  const ofType = (...types: string[]) => objects.filter((o) => types.includes(o.type) && live(o));
  const techniques = ofType('attack-pattern');
  const matrix = objects.find((o) => o.type === 'x-mitre-matrix' && live(o)) as unknown as {
    tactic_refs: string[];
  };
  const tacticById = new Map(objects.filter((o) => o.type === 'x-mitre-tactic').map((o) => [o.id, o]));
  return {
    techniques: techniques.filter((o) => o.x_mitre_is_subtechnique !== true).length,
    subtechniques: techniques.filter((o) => o.x_mitre_is_subtechnique === true).length,
    tacticsInOrder: matrix.tactic_refs.map((id) => tacticById.get(id)?.name as string),
    groups: ofType('intrusion-set').length,
    software: ofType('malware', 'tool').length,
    campaigns: ofType('campaign').length,
    mitigations: ofType('course-of-action').length,
    detectionStrategies: ofType('x-mitre-detection-strategy').length,
    relationships: objects.filter((o) => o.type === 'relationship').length,
  };
}

export async function importFile(platform: Platform, file: string, options: { release?: string } = {}) {
  return importAttack(
    {
      db: platform.database.db,
      storage: platform.storage,
      logger: platform.logger,
      movers: [...TECHNIQUE_WORK_MOVERS],
      followers: [...RELEASE_FOLLOWERS],
      preparers: releasePreparers(platform.database.db, platform.config),
    },
    { source: { type: 'file', path: file }, actor: CLI_ACTOR, ...options },
  );
}

/**
 * A small bundle cut from a real release: its tactics and matrix, the named techniques (a parent
 * brings its sub-techniques when `withSubtechniques`), the named groups and software, and the
 * relationships among what was kept — real objects, unchanged, in a file the importer reads fast.
 */
export function realSubset(
  file: string,
  ids: { techniques: string[]; withSubtechniques?: string[]; groups?: string[]; software?: string[] },
  out: string,
): string {
  const objects = rawObjects(file);
  const wanted = new Set([...ids.techniques, ...(ids.groups ?? []), ...(ids.software ?? [])]);
  const parents = new Set(ids.withSubtechniques ?? []);
  const keep = objects.filter((o) => {
    if (
      ['x-mitre-tactic', 'x-mitre-matrix', 'marking-definition', 'identity', 'x-mitre-collection'].includes(
        o.type,
      )
    )
      return true;
    const attackId = attackIdOf(o);
    if (!attackId) return false;
    if (wanted.has(attackId)) return true;
    return o.type === 'attack-pattern' && parents.has(attackId.split('.')[0] ?? '') && attackId.includes('.');
  });
  const kept = new Set(keep.map((o) => o.id));
  const relationships = objects.filter(
    (o) => o.type === 'relationship' && kept.has(o.source_ref as string) && kept.has(o.target_ref as string),
  );
  const objectsOut = [...keep, ...relationships];
  writeFileSync(
    out,
    JSON.stringify({
      type: 'bundle',
      id: 'bundle--5d1f6a3e-0c1b-4c55-9a77-3f2b8e6d4a10',
      spec_version: '2.1',
      objects: objectsOut,
    }),
  );
  return out;
}
