import { normalise, type ParsedLayer, type Warning } from './parse';

/**
 * Resolving a layer's entries against the ATT&CK release loaded here (analysis spec §3.4 steps 2–5).
 * Pure: the knowledge base comes in as maps (every attack-pattern of the domain, revoked and
 * deprecated included, and the live `revoked-by` edges).
 */

export interface KnownTechnique {
  id: string;
  stixId: string;
  attackId: string;
  revoked: boolean;
  deprecated: boolean;
  tactics: readonly string[];
}

export interface KnowledgeBase {
  byAttackId: ReadonlyMap<string, readonly KnownTechnique[]>;
  byStixId: ReadonlyMap<string, KnownTechnique>;
  /** revoked STIX id → the STIX id that revoked it. */
  revokedBy: ReadonlyMap<string, string>;
  /** The loaded release ("18.1"), null when none. */
  release: string | null;
}

export type Resolution = 'active' | 'revoked' | 'deprecated' | 'unknown';

export interface ResolvedItem {
  position: number;
  originalTechniqueId: string;
  /** The live technique the entry lands on (null: deprecated or unknown). */
  techniqueId: string | null;
  attackId: string | null;
  resolution: Resolution;
  /** Revoked: the chain followed, e.g. ['T1073', 'T1574.002', 'T1574.001']. */
  via: string[];
  originalTactic: string | null;
  /** The tactic it applies to; null: every tactic of the technique. */
  tactic: string | null;
  score: number | null;
  normalisedScore: number | null;
  color: string | null;
  comment: string;
  enabled: boolean;
  metadata: Array<{ name: string; value: string }>;
  links: Array<{ label: string; url: string }>;
  claimed: boolean;
  warnings: string[];
}

export interface ResolutionCounts {
  entries: number;
  active: number;
  revoked: number;
  deprecated: number;
  unknown: number;
  tacticDropped: number;
  collisions: number;
  claimed: number;
}

export interface ResolvedLayer {
  items: ResolvedItem[];
  counts: ResolutionCounts;
  warnings: Warning[];
}

const major = (v: string | null) => (v ? Number.parseInt(v, 10) : Number.NaN);

/** Follows `revoked-by` to the end (cycles cut): the chain of techniques, first to last. */
function follow(start: KnownTechnique, kb: KnowledgeBase): KnownTechnique[] {
  const chain = [start];
  const seen = new Set([start.stixId]);
  let at = start.stixId;
  for (;;) {
    const next = kb.revokedBy.get(at);
    if (!next || seen.has(next)) break;
    const t = kb.byStixId.get(next);
    if (!t) break;
    chain.push(t);
    seen.add(next);
    at = next;
  }
  return chain;
}

export function resolveLayer(layer: ParsedLayer, kb: KnowledgeBase, claimThreshold: number): ResolvedLayer {
  const warnings: Warning[] = [...layer.warnings];
  const newer = major(layer.attackVersion);
  if (Number.isFinite(newer) && Number.isFinite(major(kb.release)) && newer > major(kb.release))
    warnings.push({
      code: 'LAYER_NEWER_THAN_KNOWLEDGE_BASE',
      message: `the layer is for ATT&CK ${layer.attackVersion}; ${kb.release} is loaded here: its newer ids stay unresolved until that release is imported`,
    });
  const counts: ResolutionCounts = {
    entries: layer.items.length,
    active: 0,
    revoked: 0,
    deprecated: 0,
    unknown: 0,
    tacticDropped: 0,
    collisions: 0,
    claimed: 0,
  };
  // (technique, applied tactic) → the original ids already there: a different id landing on it collides.
  const landed = new Map<string, Set<string>>();
  // What reading an entry already said about it (a text score, a bad colour) stays with the entry.
  const parsedWarnings = new Map<number, string[]>();
  for (const w of layer.warnings)
    if (w.entry !== undefined) parsedWarnings.set(w.entry, [...(parsedWarnings.get(w.entry) ?? []), w.code]);
  const items = layer.items.map((item): ResolvedItem => {
    const itemWarnings: string[] = [...(parsedWarnings.get(item.position) ?? [])];
    const warn = (code: Warning['code'], message: string) => {
      itemWarnings.push(code);
      warnings.push({ code, message, entry: item.position });
    };
    const candidates = kb.byAttackId.get(item.techniqueId) ?? [];
    const live = candidates.find((c) => !c.revoked && !c.deprecated);
    let target: KnownTechnique | null = null;
    let resolution: Resolution;
    let via: string[] = [];
    if (live) {
      target = live;
      resolution = 'active';
    } else if (candidates.some((c) => c.revoked)) {
      const chain = follow(candidates.find((c) => c.revoked) as KnownTechnique, kb);
      const end = chain[chain.length - 1] as KnownTechnique;
      via = chain.map((c) => c.attackId);
      if (!end.revoked && !end.deprecated) {
        target = end;
        resolution = 'revoked';
      } else {
        resolution = 'deprecated';
        warn(
          'TECHNIQUE_DEPRECATED',
          `${item.techniqueId} was revoked into ${end.attackId}, which is no longer active`,
        );
      }
    } else if (candidates.length > 0) {
      resolution = 'deprecated';
      warn('TECHNIQUE_DEPRECATED', `${item.techniqueId} is deprecated in ATT&CK ${kb.release ?? ''}`.trim());
    } else {
      resolution = 'unknown';
      warn('TECHNIQUE_UNKNOWN', `${item.techniqueId} is not in ATT&CK ${kb.release ?? 'loaded here'}`);
    }
    counts[resolution] += 1;
    let tactic = item.tactic;
    if (target && tactic && !target.tactics.includes(tactic)) {
      counts.tacticDropped += 1;
      warn(
        'TACTIC_NOT_APPLICABLE',
        `${target.attackId} is not in ${tactic}${via.length ? ` (after ${via.join(' → ')})` : ''}; applied to all its tactics`,
      );
      tactic = null;
    }
    if (target) {
      const key = `${target.id}^${tactic ?? '*'}`;
      const there = landed.get(key) ?? new Set<string>();
      if (there.size > 0 && !there.has(item.techniqueId)) {
        counts.collisions += 1;
        warn(
          'DUPLICATE_AFTER_RESOLUTION',
          `${item.techniqueId} lands on ${target.attackId}${tactic ? ` in ${tactic}` : ''}, as ${[...there].join(', ')} did: both kept, the claim takes the highest score`,
        );
      }
      there.add(item.techniqueId);
      landed.set(key, there);
    }
    const normalisedScore =
      item.score === null ? null : normalise(item.score, layer.gradient.min, layer.gradient.max);
    const claimed = target !== null && item.enabled && (item.score === null || item.score > claimThreshold);
    if (claimed) counts.claimed += 1;
    return {
      position: item.position,
      originalTechniqueId: item.techniqueId,
      techniqueId: target?.id ?? null,
      attackId: target?.attackId ?? null,
      resolution,
      via,
      originalTactic: item.tactic,
      tactic,
      score: item.score,
      normalisedScore,
      color: item.color,
      comment: item.comment,
      enabled: item.enabled,
      metadata: item.metadata,
      links: item.links,
      claimed,
      warnings: itemWarnings,
    };
  });
  return { items, counts, warnings };
}
