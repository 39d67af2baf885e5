import type { ClaimedLayerDetail } from '@aegis/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../infra/db';
import type { Warning } from './parse';
import type { KnowledgeBase, KnownTechnique, ResolutionCounts, ResolvedItem } from './resolve';

type Conn = Db | Tx;

/** Every attack-pattern of a domain (revoked and deprecated too) and the live revoked-by edges: two statements. */
export async function loadKnowledge(
  db: Conn,
  domain: string,
  release: string | null,
): Promise<KnowledgeBase> {
  const [techniques, edges] = await Promise.all([
    db.execute<{
      id: string;
      stix_id: string;
      attack_id: string;
      revoked: boolean;
      deprecated: boolean;
      tactics: string[];
    }>(sql`
      select id, stix_id, upper(attack_id) as attack_id, revoked, deprecated, tactics from attack_objects
       where domain = ${domain} and type = 'attack-pattern' and attack_id is not null`),
    db.execute<{ source_ref: string; target_ref: string }>(sql`
      select source_ref, target_ref from attack_relationships
       where domain = ${domain} and relationship_type = 'revoked-by' and not revoked and not deprecated`),
  ]);
  const byAttackId = new Map<string, KnownTechnique[]>();
  const byStixId = new Map<string, KnownTechnique>();
  for (const r of techniques.rows) {
    const t: KnownTechnique = {
      id: r.id,
      stixId: r.stix_id,
      attackId: r.attack_id,
      revoked: r.revoked,
      deprecated: r.deprecated,
      tactics: r.tactics,
    };
    byAttackId.set(t.attackId, [...(byAttackId.get(t.attackId) ?? []), t]);
    byStixId.set(t.stixId, t);
  }
  return {
    byAttackId,
    byStixId,
    revokedBy: new Map(edges.rows.map((e) => [e.source_ref, e.target_ref])),
    release,
  };
}

/** A layer as the preview shows it: what is written. */
export type NewLayer = Pick<
  ClaimedLayerDetail,
  | 'name'
  | 'description'
  | 'domain'
  | 'layerVersion'
  | 'attackVersion'
  | 'resolvedRelease'
  | 'sourceFilename'
  | 'sourceIndex'
  | 'sha256'
  | 'claimThreshold'
  | 'gradient'
  | 'counts'
  | 'warnings'
>;

const itemsJson = (items: readonly ResolvedItem[]) =>
  JSON.stringify(
    items.map((i) => ({
      position: i.position,
      original_technique_id: i.originalTechniqueId,
      technique_id: i.techniqueId,
      resolution: i.resolution,
      via: i.via,
      original_tactic: i.originalTactic,
      tactic: i.tactic,
      score: i.score,
      normalised_score: i.normalisedScore,
      color: i.color,
      comment: i.comment,
      enabled: i.enabled,
      metadata: i.metadata,
      links: i.links,
      claimed: i.claimed,
      warnings: i.warnings,
    })),
  );

const itemColumns = sql`position int, original_technique_id text, technique_id uuid, resolution text, via text[],
  original_tactic text, tactic text, score float8, normalised_score float8, color text, comment text, enabled boolean,
  metadata jsonb, links jsonb, claimed boolean, warnings text[]`;

/** A layer and all its items: two statements (the items as one multi-row insert). */
export async function insertLayer(
  tx: Tx,
  layer: NewLayer,
  importedBy: string | null,
  items: readonly ResolvedItem[],
): Promise<string> {
  const r = await tx.execute<{ id: string }>(sql`
    insert into claimed_layers (name, description, domain, layer_version, attack_version, resolved_release,
                                source_filename, source_index, sha256, gradient_min, gradient_max, claim_threshold,
                                counts, warnings, imported_by)
    values (${layer.name}, ${layer.description}, ${layer.domain}, ${layer.layerVersion}, ${layer.attackVersion},
            ${layer.resolvedRelease}, ${layer.sourceFilename}, ${layer.sourceIndex}, ${layer.sha256},
            ${layer.gradient.min}, ${layer.gradient.max}, ${layer.claimThreshold}, ${JSON.stringify(layer.counts)}::jsonb,
            ${JSON.stringify(layer.warnings)}::jsonb, ${importedBy}::uuid)
    returning id`);
  const id = r.rows[0]?.id as string;
  if (items.length > 0)
    await tx.execute(sql`
      insert into claimed_layer_items (layer_id, position, original_technique_id, technique_id, resolution, via,
                                       original_tactic, tactic, score, normalised_score, color, comment, enabled,
                                       metadata, links, claimed, warnings)
      select ${id}::uuid, x.position, x.original_technique_id, x.technique_id, x.resolution, x.via, x.original_tactic,
             x.tactic, x.score, x.normalised_score, x.color, x.comment, x.enabled, x.metadata, x.links, x.claimed,
             x.warnings
        from jsonb_to_recordset(${itemsJson(items)}::jsonb) as x(${itemColumns})`);
  return id;
}

/** A layer's items re-resolved: one update of every item, one of the layer. */
export async function updateResolution(
  tx: Tx,
  id: string,
  release: string | null,
  counts: ResolutionCounts,
  warnings: Warning[],
  items: readonly ResolvedItem[],
): Promise<void> {
  if (items.length > 0)
    await tx.execute(sql`
      update claimed_layer_items i set
        technique_id = x.technique_id, resolution = x.resolution, via = x.via, tactic = x.tactic,
        normalised_score = x.normalised_score, claimed = x.claimed, warnings = x.warnings
        from jsonb_to_recordset(${itemsJson(items)}::jsonb) as x(${itemColumns})
       where i.layer_id = ${id}::uuid and i.position = x.position`);
  await tx.execute(sql`
    update claimed_layers set resolved_release = ${release}, counts = ${JSON.stringify(counts)}::jsonb,
           warnings = ${JSON.stringify(warnings)}::jsonb, resolved_at = now()
     where id = ${id}::uuid`);
}

export type LayerRow = {
  id: string;
  name: string;
  description: string;
  domain: string;
  layer_version: string | null;
  attack_version: string | null;
  resolved_release: string | null;
  source_filename: string;
  source_index: number;
  sha256: string;
  gradient_min: number;
  gradient_max: number;
  claim_threshold: number;
  counts: ResolutionCounts;
  warnings: Warning[];
  imported_by: string | null;
  imported_by_username: string | null;
  imported_by_display_name: string | null;
  imported_at: Date | string;
  resolved_at: Date | string;
};

const layerColumns = sql`l.id, l.name, l.description, l.domain, l.layer_version, l.attack_version, l.resolved_release,
  l.source_filename, l.source_index, l.sha256, l.gradient_min, l.gradient_max, l.claim_threshold, l.counts, l.warnings,
  l.imported_by, u.username as imported_by_username, u.display_name as imported_by_display_name, l.imported_at,
  l.resolved_at`;

export async function listLayers(
  db: Conn,
  q: { limit: number; offset: number },
): Promise<{ rows: LayerRow[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.execute<LayerRow>(sql`
      select ${layerColumns} from claimed_layers l left join users u on u.id = l.imported_by
       order by l.imported_at desc, l.id desc limit ${q.limit} offset ${q.offset}`),
    db.execute<{ n: number }>(sql`select count(*)::int as n from claimed_layers`),
  ]);
  return { rows: rows.rows, total: Number(total.rows[0]?.n ?? 0) };
}

export async function findLayer(db: Conn, id: string): Promise<LayerRow | undefined> {
  const r = await db.execute<LayerRow>(sql`
    select ${layerColumns} from claimed_layers l left join users u on u.id = l.imported_by where l.id = ${id}::uuid`);
  return r.rows[0];
}

/** Every layer, for re-resolving after an ATT&CK import (layers are few: tens). */
export async function allLayerRows(db: Conn): Promise<LayerRow[]> {
  const r = await db.execute<LayerRow>(sql`
    select ${layerColumns} from claimed_layers l left join users u on u.id = l.imported_by order by l.imported_at`);
  return r.rows;
}

export type ItemRow = {
  position: number;
  original_technique_id: string;
  technique_id: string | null;
  attack_id: string | null;
  resolution: ResolvedItem['resolution'];
  via: string[];
  original_tactic: string | null;
  tactic: string | null;
  score: number | null;
  normalised_score: number | null;
  color: string | null;
  comment: string;
  enabled: boolean;
  metadata: Array<{ name: string; value: string }>;
  links: Array<{ label: string; url: string }>;
  claimed: boolean;
  warnings: string[];
};

export async function layerItems(db: Conn, id: string): Promise<ItemRow[]> {
  const r = await db.execute<ItemRow>(sql`
    select i.position, i.original_technique_id, i.technique_id, o.attack_id, i.resolution, i.via, i.original_tactic,
           i.tactic, i.score, i.normalised_score, i.color, i.comment, i.enabled, i.metadata, i.links, i.claimed, i.warnings
      from claimed_layer_items i left join attack_objects o on o.id = i.technique_id
     where i.layer_id = ${id}::uuid order by i.position`);
  return r.rows;
}

export async function deleteLayer(tx: Tx, id: string): Promise<void> {
  await tx.execute(sql`delete from claimed_layers where id = ${id}::uuid`);
}

/**
 * The heatmap's claim marks for a technique row `o`: how many claimed entries land on it (any layer,
 * or one), and the highest normalised score among them (null when none is scored) and an explicit colour.
 */
export const claimMarks = (layerId?: string): { count: SQL; score: SQL; color: SQL } => {
  const from = sql`from claimed_layer_items ci where ci.technique_id = o.id and ci.claimed
    ${layerId ? sql`and ci.layer_id = ${layerId}::uuid` : sql``}`;
  return {
    count: sql`(select count(*) ${from})`,
    score: sql`(select max(ci.normalised_score) ${from})`,
    color: sql`(select ci.color ${from} and ci.color is not null
                 order by ci.normalised_score desc nulls last limit 1)`,
  };
};
