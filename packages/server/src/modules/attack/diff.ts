import type { ReviewReason } from './attack.schema';
import type { MappedObject, MappedRelationship } from './mapping';

/** What the database holds for an object before the import (only what the diff compares). */
export interface CurrentObject {
  id: string;
  stixId: string;
  type: string;
  attackId: string | null;
  name: string;
  description: string;
  tactics: string[];
  platforms: string[];
  deprecated: boolean;
  revoked: boolean;
  contentHash: string;
}

export interface Ref {
  stixId: string;
  attackId: string | null;
  name: string;
}

export interface TypeCounts {
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
}

export interface ReleaseDiff {
  /** Per STIX type, plus `relationship`. */
  counts: Record<string, TypeCounts>;
  techniques: {
    added: Ref[];
    renamed: Array<Ref & { from: string; fromAttackId: string | null }>;
    moved: Array<Ref & { from: string[]; to: string[] }>;
    descriptionChanged: Ref[];
    platformsChanged: Array<Ref & { from: string[]; to: string[] }>;
    deprecated: Ref[];
    revoked: Array<Ref & { by: Ref | null }>;
    removed: Ref[];
  };
  tactics: { added: Ref[]; renamed: Array<Ref & { from: string }>; deprecated: Ref[]; revoked: Ref[] };
}

export interface ReleasePlan {
  diff: ReleaseDiff;
  /** Rows to write (new or changed); unchanged ones are left alone. */
  objectsToWrite: MappedObject[];
  relationshipsToWrite: MappedRelationship[];
  /** Relationships gone from a full release. */
  relationshipsToDelete: string[];
  /** Techniques whose organisation state needs a second look, and why. */
  reviews: Array<{ stixId: string; reasons: Array<Omit<ReviewReason, 'at' | 'release'>> }>;
  /** Work on a technique revoked by this release moves to the technique that revokes it. */
  moves: Array<{ from: Ref; to: Ref }>;
  unchanged: boolean;
}

const ref = (o: { stixId: string; attackId: string | null; name: string }): Ref => ({
  stixId: o.stixId,
  attackId: o.attackId,
  name: o.name,
});
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
const label = (o: { attackId: string | null; name: string }) =>
  o.attackId ? `${o.attackId} ${o.name}` : o.name;

/**
 * Compares an incoming release with what is stored. Pure. `full`: the input is a whole release (a
 * bundle), so stored relationships missing from it are deleted; an incremental TAXII page set
 * (`added_after`) deletes nothing.
 */
export function planRelease(
  current: CurrentObject[],
  currentRelationships: Array<{ stixId: string; contentHash: string }>,
  incoming: MappedObject[],
  incomingRelationships: MappedRelationship[],
  options: { full: boolean },
): ReleasePlan {
  const before = new Map(current.map((o) => [o.stixId, o]));
  const counts: Record<string, TypeCounts> = {};
  const bump = (type: string, key: keyof TypeCounts) => {
    counts[type] ??= { added: 0, changed: 0, unchanged: 0, removed: 0 };
    counts[type][key]++;
  };
  const diff: ReleaseDiff = {
    counts,
    techniques: {
      added: [],
      renamed: [],
      moved: [],
      descriptionChanged: [],
      platformsChanged: [],
      deprecated: [],
      revoked: [],
      removed: [],
    },
    tactics: { added: [], renamed: [], deprecated: [], revoked: [] },
  };
  const objectsToWrite: MappedObject[] = [];
  const reviews = new Map<string, Array<Omit<ReviewReason, 'at' | 'release'>>>();
  const flag = (stixId: string, kind: ReviewReason['kind'], detail: string) => {
    const list = reviews.get(stixId) ?? [];
    list.push({ kind, detail });
    reviews.set(stixId, list);
  };
  const incomingById = new Map(incoming.map((o) => [o.stixId, o]));
  const revokedBy = new Map<string, string>();
  for (const r of incomingRelationships)
    if (r.type === 'revoked-by' && !r.revoked && !r.deprecated) revokedBy.set(r.sourceRef, r.targetRef);
  const newlyRevoked: MappedObject[] = [];

  for (const next of incoming) {
    const prev = before.get(next.stixId);
    if (!prev) {
      bump(next.type, 'added');
      objectsToWrite.push(next);
      if (next.type === 'attack-pattern' && !next.revoked && !next.deprecated)
        diff.techniques.added.push(ref(next));
      if (next.type === 'x-mitre-tactic' && !next.revoked && !next.deprecated)
        diff.tactics.added.push(ref(next));
      continue;
    }
    if (prev.contentHash === next.contentHash) {
      bump(next.type, 'unchanged');
      continue;
    }
    bump(next.type, 'changed');
    objectsToWrite.push(next);
    const wasLive = !prev.revoked && !prev.deprecated;
    if (next.type === 'x-mitre-tactic') {
      if (prev.name !== next.name) diff.tactics.renamed.push({ ...ref(next), from: prev.name });
      if (next.deprecated && !prev.deprecated) diff.tactics.deprecated.push(ref(next));
      if (next.revoked && !prev.revoked) diff.tactics.revoked.push(ref(next));
    }
    if (next.type !== 'attack-pattern' || !wasLive) continue;
    if (next.revoked) {
      newlyRevoked.push(next);
      continue;
    }
    if (next.deprecated) {
      diff.techniques.deprecated.push(ref(next));
      flag(next.stixId, 'deprecated', `${label(next)} is deprecated upstream`);
      continue;
    }
    if (prev.name !== next.name || prev.attackId !== next.attackId) {
      diff.techniques.renamed.push({ ...ref(next), from: prev.name, fromAttackId: prev.attackId });
      flag(next.stixId, 'renamed', `was ${label(prev)}, now ${label(next)}`);
    }
    if (!sameSet(prev.tactics, next.tactics)) {
      diff.techniques.moved.push({ ...ref(next), from: prev.tactics, to: next.tactics });
      flag(
        next.stixId,
        'moved',
        `tactics were ${prev.tactics.join(', ') || 'none'}, now ${next.tactics.join(', ') || 'none'}`,
      );
    }
    if (prev.description !== next.description) {
      diff.techniques.descriptionChanged.push(ref(next));
      flag(next.stixId, 'description_changed', 'the description changed');
    }
    if (!sameSet(prev.platforms, next.platforms)) {
      diff.techniques.platformsChanged.push({ ...ref(next), from: prev.platforms, to: next.platforms });
      flag(
        next.stixId,
        'platforms_changed',
        `platforms were ${prev.platforms.join(', ')}, now ${next.platforms.join(', ')}`,
      );
    }
  }

  // Follow revoked-by chains (A → B → C) to the live technique that finally holds the work.
  const finalTarget = (stixId: string): CurrentObject | MappedObject | undefined => {
    let at = stixId;
    for (let hops = 0; hops < 20; hops++) {
      const nextId = revokedBy.get(at);
      if (!nextId) break;
      at = nextId;
    }
    if (at === stixId) return undefined;
    return incomingById.get(at) ?? before.get(at);
  };
  const moves: ReleasePlan['moves'] = [];
  for (const gone of newlyRevoked) {
    const target = finalTarget(gone.stixId);
    const prev = before.get(gone.stixId);
    const fromRef = prev ? ref(prev) : ref(gone);
    diff.techniques.revoked.push({ ...fromRef, by: target ? ref(target) : null });
    if (!target) continue;
    moves.push({ from: fromRef, to: ref(target) });
    flag(
      target.stixId,
      'revoked_into',
      `${label(fromRef)} was revoked by this technique; its work moved here`,
    );
  }

  const incomingRelIds = new Map(incomingRelationships.map((r) => [r.stixId, r.contentHash]));
  const relBefore = new Map(currentRelationships.map((r) => [r.stixId, r.contentHash]));
  const relationshipsToWrite: MappedRelationship[] = [];
  for (const r of incomingRelationships) {
    const prevHash = relBefore.get(r.stixId);
    if (prevHash === undefined) bump('relationship', 'added');
    else if (prevHash === r.contentHash) {
      bump('relationship', 'unchanged');
      continue;
    } else bump('relationship', 'changed');
    relationshipsToWrite.push(r);
  }
  const relationshipsToDelete: string[] = [];
  if (options.full) {
    for (const r of currentRelationships)
      if (!incomingRelIds.has(r.stixId)) {
        relationshipsToDelete.push(r.stixId);
        bump('relationship', 'removed');
      }
    for (const o of current)
      if (!incomingById.has(o.stixId)) {
        bump(o.type, 'removed');
        if (o.type === 'attack-pattern' && !o.revoked && !o.deprecated) diff.techniques.removed.push(ref(o));
      }
  }

  return {
    diff,
    objectsToWrite,
    relationshipsToWrite,
    relationshipsToDelete,
    reviews: [...reviews.entries()].map(([stixId, reasons]) => ({ stixId, reasons })),
    moves,
    unchanged:
      objectsToWrite.length === 0 && relationshipsToWrite.length === 0 && relationshipsToDelete.length === 0,
  };
}
