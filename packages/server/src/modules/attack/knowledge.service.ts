import type {
  AttackPlatform,
  AttackRef,
  AttackRelease,
  CampaignSummary,
  CoverageCounts,
  Domain,
  ListEnvelope,
  ListTechniquesQuery,
  SoftwareSummary,
  Tactic,
  Technique,
  TechniqueSummary,
  TechniqueUse,
  ThreatActorSummary,
} from '@aegis/contracts';
import type { Db } from '../../infra/db';
import { errors } from '../../infra/http';
import { type AuditActor, recordAudit } from '../audit-logs';
import type { ReviewReason } from './attack.schema';
import {
  type ActorRow,
  clearReview,
  findObjectRow,
  findTechniqueRow,
  listTactics,
  listTechniques,
  listUsers,
  loadedRelease,
  platformCounts,
  type RelatedRow,
  relatedObjects,
  subtechniquesOf,
  type TechniqueRow,
  upsertTechniqueNotes,
} from './knowledge.queries';
import { platformsInScope } from './platforms';

const iso = (v: string | Date | null | undefined): string | null => (v ? new Date(v).toISOString() : null);
const refOf = (r: { id: string; attack_id: string | null; name: string }): AttackRef => ({
  id: r.id,
  attackId: r.attack_id,
  name: r.name,
});

function toSummary(r: TechniqueRow): TechniqueSummary {
  return {
    id: r.id,
    attackId: r.attack_id,
    stixId: r.stix_id,
    domain: r.domain as Domain,
    name: r.name,
    tactics: r.tactics,
    platforms: r.platforms,
    isSubtechnique: r.is_subtechnique,
    parent: r.parent_id ? { id: r.parent_id, attackId: r.parent_attack_id, name: r.parent_name ?? '' } : null,
    subtechniqueCount: r.subtechnique_count,
    deprecated: r.deprecated,
    revoked: r.revoked,
    version: r.version,
    modified: iso(r.stix_modified),
    coverageStatus: r.coverage_status,
    reviewRequired: r.review_required,
  };
}

function actorSummary(r: ActorRow): ThreatActorSummary {
  return {
    id: r.id,
    attackId: r.attack_id,
    stixId: r.stix_id,
    domain: r.domain as Domain,
    name: r.name,
    aliases: r.aliases,
    techniqueCount: r.technique_count,
    validatedCount: r.validated_count,
    modified: iso(r.stix_modified),
  };
}

/** The techniques an object uses, with their coverage, and the count per coverage status. */
function techniqueUses(related: RelatedRow[]) {
  const techniques = pick(related, 'uses', ['attack-pattern'], true);
  const coverage: CoverageCounts = {};
  for (const t of techniques) coverage[t.coverage_status] = (coverage[t.coverage_status] ?? 0) + 1;
  return {
    techniqueCount: techniques.length,
    validatedCount: coverage.validated ?? 0,
    techniques: techniques.map(
      (t): TechniqueUse => ({ ...refOf(t), coverageStatus: t.coverage_status, tactics: t.tactics }),
    ),
    coverage,
  };
}

const pick = (rows: RelatedRow[], relationship: string, types: string[], outgoing: boolean) =>
  rows.filter(
    (r) => r.relationship_type === relationship && types.includes(r.type) && r.outgoing === outgoing,
  );

/** `platformScope`: the organisation's ATT&CK platforms (config); null: all but PRE. */
export function createKnowledgeService(db: Db, options: { platformScope: readonly string[] | null }) {
  async function techniqueId(idOrAttackId: string): Promise<string> {
    const row = await findObjectRow(db, idOrAttackId, ['attack-pattern']);
    if (!row) throw errors.notFound('Technique', idOrAttackId);
    return row.id;
  }

  async function getTechnique(idOrAttackId: string): Promise<Technique> {
    const row = await findObjectRow(db, idOrAttackId, ['attack-pattern']);
    if (!row) throw errors.notFound('Technique', idOrAttackId);
    const [summary, related, subs] = await Promise.all([
      findTechniqueRow(db, row.id),
      relatedObjects(db, row.domain, row.stix_id),
      subtechniquesOf(db, row.domain, row.stix_id),
    ]);
    if (!summary) throw errors.notFound('Technique', idOrAttackId);
    const extra = (row.extra ?? {}) as Record<string, unknown>;
    const revokedBy = pick(related, 'revoked-by', ['attack-pattern'], true)[0];
    return {
      ...toSummary(summary),
      description: String(row.description ?? ''),
      detection: (row.detection as string | null) ?? null,
      url: (row.url as string | null) ?? null,
      subtechniques: subs.map((s) => ({ ...refOf(s), coverageStatus: s.coverage_status })),
      groups: pick(related, 'uses', ['intrusion-set'], false).map(refOf),
      software: pick(related, 'uses', ['malware', 'tool'], false).map(refOf),
      campaigns: pick(related, 'uses', ['campaign'], false).map(refOf),
      mitigations: pick(related, 'mitigates', ['course-of-action'], false).map((r) => ({
        ...refOf(r),
        how: r.description,
      })),
      detectionStrategies: pick(related, 'detects', ['x-mitre-detection-strategy'], false).map(refOf),
      dataSources: Array.isArray(extra.x_mitre_data_sources) ? (extra.x_mitre_data_sources as string[]) : [],
      reviewReasons: (row.review_reasons as ReviewReason[]) ?? [],
      reviewedAt: iso(row.reviewed_at as string | null),
      notes: String(row.notes ?? ''),
      revokedBy: revokedBy ? refOf(revokedBy) : null,
    };
  }

  return {
    async listTechniques(q: ListTechniquesQuery): Promise<ListEnvelope<TechniqueSummary>> {
      const { rows, total } = await listTechniques(db, q);
      return { items: rows.map(toSummary), total, limit: q.limit, offset: q.offset };
    },

    getTechnique,

    async updateTechnique(
      actor: AuditActor,
      idOrAttackId: string,
      patch: { notes: string },
    ): Promise<Technique> {
      const id = await techniqueId(idOrAttackId);
      await db.transaction(async (tx) => {
        await upsertTechniqueNotes(tx, id, patch.notes);
        await recordAudit(tx, actor, {
          action: 'technique.update',
          entityType: 'technique',
          entityId: id,
          summary: { notesLength: patch.notes.length },
        });
      });
      return getTechnique(id);
    },

    /** Clears the review flag (the reasons stay as history). */
    async markReviewed(actor: AuditActor, idOrAttackId: string, comment?: string): Promise<Technique> {
      const id = await techniqueId(idOrAttackId);
      await db.transaction(async (tx) => {
        if (!(await clearReview(tx, id, actor.userId)))
          throw errors.conflict('This technique is not flagged for review');
        await recordAudit(tx, actor, {
          action: 'technique.review',
          entityType: 'technique',
          entityId: id,
          summary: comment ? { comment } : {},
        });
      });
      return getTechnique(id);
    },

    async listPlatforms(domain: Domain): Promise<AttackPlatform[]> {
      return platformsInScope(await platformCounts(db, domain), options.platformScope);
    },

    async release(domain: Domain): Promise<AttackRelease> {
      const row = await loadedRelease(db, domain);
      return {
        domain,
        release: row?.release ?? null,
        loadedAt: row?.finished_at ? new Date(row.finished_at).toISOString() : null,
      };
    },

    async listTactics(domain: Domain): Promise<Tactic[]> {
      return (await listTactics(db, domain)).map((t) => ({
        id: t.id,
        attackId: t.attack_id,
        stixId: t.stix_id,
        name: t.name,
        shortname: t.shortname,
        description: t.description,
        matrixOrder: t.matrix_order,
        domain: t.domain as Domain,
        techniqueCount: t.technique_count,
        subtechniqueCount: t.subtechnique_count,
      }));
    },

    async listThreatActors(q: {
      domain: Domain;
      q?: string;
      technique?: string;
      limit: number;
      offset: number;
    }) {
      const { rows, total } = await listUsers(db, { ...q, types: ['intrusion-set'] });
      return { items: rows.map(actorSummary), total, limit: q.limit, offset: q.offset };
    },

    async getThreatActor(idOrAttackId: string) {
      const row = await findObjectRow(db, idOrAttackId, ['intrusion-set']);
      if (!row) throw errors.notFound('Threat actor', idOrAttackId);
      const related = await relatedObjects(db, row.domain, row.stix_id);
      return {
        id: row.id,
        attackId: (row.attack_id as string | null) ?? null,
        stixId: row.stix_id,
        domain: row.domain as Domain,
        name: String(row.name),
        aliases: (row.aliases as string[]) ?? [],
        description: String(row.description ?? ''),
        url: (row.url as string | null) ?? null,
        modified: iso(row.stix_modified as string | null),
        ...techniqueUses(related),
        software: pick(related, 'uses', ['malware', 'tool'], true).map(refOf),
        campaigns: pick(related, 'attributed-to', ['campaign'], false).map(refOf),
      };
    },

    async listSoftware(q: {
      domain: Domain;
      q?: string;
      kind?: 'malware' | 'tool';
      limit: number;
      offset: number;
    }): Promise<ListEnvelope<SoftwareSummary>> {
      const { rows, total } = await listUsers(db, { ...q, types: q.kind ? [q.kind] : ['malware', 'tool'] });
      return {
        items: rows.map((r) => ({
          id: r.id,
          attackId: r.attack_id,
          domain: r.domain as Domain,
          name: r.name,
          kind: r.type as 'malware' | 'tool',
          aliases: r.aliases,
          platforms: r.platforms,
          techniqueCount: r.technique_count,
          validatedCount: r.validated_count,
        })),
        total,
        limit: q.limit,
        offset: q.offset,
      };
    },

    async getSoftware(idOrAttackId: string) {
      const row = await findObjectRow(db, idOrAttackId, ['malware', 'tool']);
      if (!row) throw errors.notFound('Software', idOrAttackId);
      const related = await relatedObjects(db, row.domain, row.stix_id);
      return {
        id: row.id,
        attackId: (row.attack_id as string | null) ?? null,
        domain: row.domain as Domain,
        name: String(row.name),
        kind: row.type as 'malware' | 'tool',
        aliases: (row.aliases as string[]) ?? [],
        platforms: (row.platforms as string[]) ?? [],
        description: String(row.description ?? ''),
        url: (row.url as string | null) ?? null,
        ...techniqueUses(related),
        groups: pick(related, 'uses', ['intrusion-set'], false).map(refOf),
        campaigns: pick(related, 'uses', ['campaign'], false).map(refOf),
      };
    },

    async listCampaigns(q: {
      domain: Domain;
      q?: string;
      limit: number;
      offset: number;
    }): Promise<ListEnvelope<CampaignSummary>> {
      const { rows, total } = await listUsers(db, { ...q, types: ['campaign'] });
      return {
        items: rows.map((r) => ({
          id: r.id,
          attackId: r.attack_id,
          domain: r.domain as Domain,
          name: r.name,
          aliases: r.aliases,
          firstSeen: (r.extra.first_seen as string | undefined) ?? null,
          lastSeen: (r.extra.last_seen as string | undefined) ?? null,
          techniqueCount: r.technique_count,
          validatedCount: r.validated_count,
        })),
        total,
        limit: q.limit,
        offset: q.offset,
      };
    },

    async getCampaign(idOrAttackId: string) {
      const row = await findObjectRow(db, idOrAttackId, ['campaign']);
      if (!row) throw errors.notFound('Campaign', idOrAttackId);
      const related = await relatedObjects(db, row.domain, row.stix_id);
      const extra = (row.extra ?? {}) as Record<string, unknown>;
      return {
        id: row.id,
        attackId: (row.attack_id as string | null) ?? null,
        domain: row.domain as Domain,
        name: String(row.name),
        aliases: (row.aliases as string[]) ?? [],
        firstSeen: (extra.first_seen as string | undefined) ?? null,
        lastSeen: (extra.last_seen as string | undefined) ?? null,
        description: String(row.description ?? ''),
        url: (row.url as string | null) ?? null,
        ...techniqueUses(related),
        software: pick(related, 'uses', ['malware', 'tool'], true).map(refOf),
        groups: pick(related, 'attributed-to', ['intrusion-set'], true).map(refOf),
      };
    },
  };
}
export type KnowledgeService = ReturnType<typeof createKnowledgeService>;
