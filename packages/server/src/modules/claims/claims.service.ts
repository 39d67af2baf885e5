import { createHash } from 'node:crypto';
import type {
  ClaimedLayerDetail,
  ClaimedLayerList,
  ClaimedLayerSummary,
  LayerImportQuery,
  LayerImportResult,
} from '@aegis/contracts';
import type { Db, Tx } from '../../infra/db';
import { errors } from '../../infra/http';
import { type AuditActor, recordAudit } from '../audit-logs';
import {
  allLayerRows,
  deleteLayer,
  findLayer,
  type ItemRow,
  insertLayer,
  type LayerRow,
  layerItems,
  listLayers,
  loadKnowledge,
  updateResolution,
} from './claims.queries';
import { LayerFileError, type ParsedLayer, parseLayerFile } from './parse';
import { type KnowledgeBase, type ResolvedItem, type ResolvedLayer, resolveLayer } from './resolve';

export interface ClaimsDeps {
  db: Db;
  /** The release of a domain loaded here, read on the given connection. */
  release: (conn: Db | Tx, domain: string) => Promise<string | null>;
}

const iso = (v: Date | string) => new Date(v).toISOString();

function itemOf(i: ResolvedItem | ItemRow): ClaimedLayerDetail['items'][number] {
  if ('originalTechniqueId' in i)
    return {
      position: i.position,
      originalTechniqueId: i.originalTechniqueId,
      techniqueId: i.techniqueId,
      attackId: i.attackId,
      resolution: i.resolution,
      via: i.via,
      originalTactic: i.originalTactic,
      tactic: i.tactic,
      score: i.score,
      normalisedScore: i.normalisedScore,
      color: i.color,
      comment: i.comment,
      enabled: i.enabled,
      claimed: i.claimed,
      warnings: i.warnings,
    };
  return {
    position: i.position,
    originalTechniqueId: i.original_technique_id,
    techniqueId: i.technique_id,
    attackId: i.attack_id,
    resolution: i.resolution,
    via: i.via,
    originalTactic: i.original_tactic,
    tactic: i.tactic,
    score: i.score === null ? null : Number(i.score),
    normalisedScore: i.normalised_score === null ? null : Number(i.normalised_score),
    color: i.color,
    comment: i.comment,
    enabled: i.enabled,
    claimed: i.claimed,
    warnings: i.warnings,
  };
}

function summaryOf(r: LayerRow): ClaimedLayerSummary {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    domain: r.domain,
    layerVersion: r.layer_version,
    attackVersion: r.attack_version,
    resolvedRelease: r.resolved_release,
    sourceFilename: r.source_filename,
    sourceIndex: Number(r.source_index),
    sha256: r.sha256,
    claimThreshold: Number(r.claim_threshold),
    gradient: { min: Number(r.gradient_min), max: Number(r.gradient_max) },
    counts: r.counts,
    warningCount: r.warnings.length,
    importedBy:
      r.imported_by && r.imported_by_username
        ? {
            id: r.imported_by,
            username: r.imported_by_username,
            displayName: r.imported_by_display_name ?? '',
          }
        : null,
    importedAt: iso(r.imported_at),
    resolvedAt: iso(r.resolved_at),
  };
}

/** A parsed layer as its items' original fields, to resolve again. */
function parsedFrom(r: LayerRow, items: readonly ItemRow[]): ParsedLayer {
  return {
    name: r.name,
    description: r.description,
    domain: r.domain as ParsedLayer['domain'],
    layerVersion: r.layer_version,
    attackVersion: r.attack_version,
    gradient: { min: Number(r.gradient_min), max: Number(r.gradient_max) },
    // The parse warnings stay; the resolution ones are made again.
    warnings: r.warnings.filter((w) =>
      [
        'LAYER_VERSION_UNKNOWN',
        'SCORE_COERCED',
        'SCORE_INVALID',
        'COLOR_INVALID',
        'TECHNIQUE_ID_LOWERCASE',
        'TECHNIQUE_ID_INVALID',
        'FIELD_IGNORED',
      ].includes(w.code),
    ),
    items: items.map((i) => ({
      position: i.position,
      techniqueId: i.original_technique_id,
      tactic: i.original_tactic,
      score: i.score === null ? null : Number(i.score),
      color: i.color,
      comment: i.comment,
      enabled: i.enabled,
      metadata: i.metadata,
      links: i.links,
    })),
  };
}

/**
 * After an ATT&CK import (a release follower, inside its transaction): every claimed layer of the
 * domain resolved again, so ids the new release adds resolve and revocations are followed.
 */
export async function reresolveClaims(
  tx: Tx,
  release: { domain: string; release: string | null },
): Promise<{ what: string; counts: Record<string, number> }> {
  const rows = (await allLayerRows(tx)).filter((r) => r.domain === release.domain);
  if (rows.length === 0) return { what: 'claimed layers', counts: { reresolved: 0 } };
  const kb = await loadKnowledge(tx, release.domain, release.release);
  for (const row of rows) {
    const items = await layerItems(tx, row.id);
    const r = resolveLayer(parsedFrom(row, items), kb, Number(row.claim_threshold));
    await updateResolution(tx, row.id, kb.release, r.counts, r.warnings, r.items);
  }
  return { what: 'claimed layers', counts: { reresolved: rows.length } };
}

export function createClaimsService(deps: ClaimsDeps) {
  const { db } = deps;

  async function knowledge(conn: Db | Tx, domains: Iterable<string>): Promise<Map<string, KnowledgeBase>> {
    const out = new Map<string, KnowledgeBase>();
    for (const domain of new Set(domains))
      out.set(domain, await loadKnowledge(conn, domain, await deps.release(conn, domain)));
    return out;
  }

  async function detail(id: string): Promise<ClaimedLayerDetail> {
    const row = await findLayer(db, id);
    if (!row) throw errors.notFound('Layer', id);
    const items = await layerItems(db, id);
    return { ...summaryOf(row), warnings: row.warnings, items: items.map(itemOf) };
  }

  async function reresolveIn(tx: Tx, row: LayerRow, kb: KnowledgeBase): Promise<ResolvedLayer> {
    const items = await layerItems(tx, row.id);
    const resolved = resolveLayer(parsedFrom(row, items), kb, Number(row.claim_threshold));
    await updateResolution(tx, row.id, kb.release, resolved.counts, resolved.warnings, resolved.items);
    return resolved;
  }

  return {
    /**
     * Parse → resolve → preview (`dryRun`) or apply: every layer of the file in one transaction, with
     * its items and warnings; nothing is written when any layer cannot be read.
     */
    async import(actor: AuditActor, bytes: Buffer, q: LayerImportQuery): Promise<LayerImportResult> {
      let parsed: ParsedLayer[];
      try {
        parsed = parseLayerFile(bytes);
      } catch (err) {
        if (err instanceof LayerFileError)
          throw errors.validation([{ path: `body.${err.field}`, message: err.message }]);
        throw err;
      }
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const kbs = await knowledge(
        db,
        parsed.map((p) => p.domain),
      );
      const resolved = parsed.map((p) => ({
        p,
        r: resolveLayer(p, kbs.get(p.domain) as KnowledgeBase, q.claimThreshold),
      }));
      const preview = (
        id: string | null,
        p: ParsedLayer,
        r: ResolvedLayer,
        index: number,
      ): ClaimedLayerDetail => ({
        id,
        name: p.name,
        description: p.description,
        domain: p.domain,
        layerVersion: p.layerVersion,
        attackVersion: p.attackVersion,
        resolvedRelease: kbs.get(p.domain)?.release ?? null,
        sourceFilename: q.filename,
        sourceIndex: index,
        sha256,
        claimThreshold: q.claimThreshold,
        gradient: p.gradient,
        counts: r.counts,
        warningCount: r.warnings.length,
        importedBy: null,
        importedAt: null,
        resolvedAt: null,
        warnings: r.warnings,
        items: r.items.map(itemOf),
      });
      if (q.dryRun) return { dryRun: true, layers: resolved.map(({ p, r }, i) => preview(null, p, r, i)) };
      const ids = await db.transaction(async (tx) => {
        const out: string[] = [];
        for (const [index, { p, r }] of resolved.entries()) {
          const layer = preview(null, p, r, index);
          const id = await insertLayer(tx, layer, actor.userId, r.items);
          out.push(id);
          await recordAudit(tx, actor, {
            action: 'claimed_layer.import',
            entityType: 'claimed_layer',
            entityId: id,
            summary: { name: p.name, filename: q.filename, counts: r.counts },
          });
        }
        return out;
      });
      return { dryRun: false, layers: await Promise.all(ids.map((id) => detail(id))) };
    },

    async list(q: { limit: number; offset: number }): Promise<ClaimedLayerList> {
      const { rows, total } = await listLayers(db, q);
      return { items: rows.map(summaryOf), total, limit: q.limit, offset: q.offset };
    },

    detail,

    /** A layer's name (the heatmap's title), null when there is none: one row, not its items. */
    async name(id: string): Promise<string | null> {
      return (await findLayer(db, id))?.name ?? null;
    },

    async remove(actor: AuditActor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await findLayer(tx, id);
        if (!row) throw errors.notFound('Layer', id);
        await deleteLayer(tx, id);
        await recordAudit(tx, actor, {
          action: 'claimed_layer.delete',
          entityType: 'claimed_layer',
          entityId: id,
          summary: { name: row.name },
        });
      });
    },

    /** A layer resolved again against the release loaded now (after an ATT&CK upgrade). */
    async reresolve(actor: AuditActor, id: string): Promise<ClaimedLayerDetail> {
      await db.transaction(async (tx) => {
        const row = await findLayer(tx, id);
        if (!row) throw errors.notFound('Layer', id);
        const kb = (await knowledge(tx, [row.domain])).get(row.domain) as KnowledgeBase;
        const r = await reresolveIn(tx, row, kb);
        await recordAudit(tx, actor, {
          action: 'claimed_layer.reresolve',
          entityType: 'claimed_layer',
          entityId: id,
          summary: { name: row.name, release: kb.release, counts: r.counts },
        });
      });
      return detail(id);
    },
  };
}
export type ClaimsService = ReturnType<typeof createClaimsService>;
