import type {
  DetectionRule,
  DetectionRuleSummary,
  ListDetectionRulesQuery,
  ListEnvelope,
  UpdateDetectionRule,
} from '@aegis/contracts';
import type { Db } from '../../infra/db';
import { errors } from '../../infra/http';
import { type AuditActor, recordAudit } from '../audit-logs';
import { iso, isoOrNull } from './listing.queries';
import { findRule, listRules, type RuleRow, setRuleDeployed } from './rules.queries';

function toSummary(r: RuleRow): DetectionRuleSummary {
  return {
    id: r.id,
    source: r.source,
    sourceId: r.source_id,
    title: r.title,
    status: r.status,
    level: r.level,
    logSource: r.log_source,
    author: r.author,
    techniques: r.techniques,
    unresolvedAttackIds: r.unresolved_attack_ids,
    deployed: r.deployed,
    deployedAt: isoOrNull(r.deployed_at),
    removedAt: isoOrNull(r.removed_at),
    updatedAt: iso(r.updated_at),
  };
}

function toRule(r: RuleRow): DetectionRule {
  return {
    ...toSummary(r),
    description: r.description,
    tags: r.tags,
    references: r.references,
    raw: r.raw,
    rawFormat: r.raw_format,
    path: r.path,
    modified: r.modified,
    createdAt: iso(r.created_at),
  };
}

export function createRuleService(deps: { db: Db }) {
  const { db } = deps;

  async function mustFind(id: string): Promise<RuleRow> {
    const row = await findRule(db, id);
    if (!row) throw errors.notFound('Detection rule', id);
    return row;
  }

  return {
    async list(q: ListDetectionRulesQuery): Promise<ListEnvelope<DetectionRuleSummary>> {
      const { rows, ...total } = await listRules(db, q);
      return { items: rows.map(toSummary), ...total, limit: q.limit, offset: q.offset };
    },

    async get(id: string): Promise<DetectionRule> {
      return toRule(await mustFind(id));
    },

    /** Marks whether the organisation runs the rule; kept across syncs (it is ours, not upstream's). */
    async update(actor: AuditActor, id: string, patch: UpdateDetectionRule): Promise<DetectionRule> {
      const rule = await mustFind(id);
      await db.transaction(async (tx) => {
        await setRuleDeployed(tx, id, patch.deployed);
        await recordAudit(tx, actor, {
          action: 'detection_rule.update',
          entityType: 'detection_rule',
          entityId: id,
          summary: { source: rule.source, sourceId: rule.source_id, deployed: patch.deployed },
        });
      });
      return toRule(await mustFind(id));
    },
  };
}
export type RuleService = ReturnType<typeof createRuleService>;
