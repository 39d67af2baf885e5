import type {
  ComplianceControl,
  ComplianceControlSummary,
  ComplianceFramework,
  D3fendCandidate,
  D3fendTechnique,
  Facet,
  ListControlsQuery,
  ListD3fendQuery,
  ListEnvelope,
  UpdateD3fendTechnique,
} from '@aegis/contracts';
import type { Db } from '../../infra/db';
import { errors } from '../../infra/http';
import { type AuditActor, recordAudit } from '../audit-logs';
import {
  type ControlRow,
  type ControlSummaryRow,
  controlFamilies,
  type D3fendRow,
  d3fendTactics,
  findControl,
  findD3fend,
  listControls,
  listD3fend,
  listFrameworks,
  setImplementation,
} from './defenses.queries';
import { isoOrNull } from './listing.queries';

const toD3fend = (r: D3fendRow): D3fendTechnique => ({
  id: r.id,
  iri: r.iri,
  d3fendId: r.d3fend_id,
  name: r.name,
  tactic: r.tactic,
  definition: r.definition,
  implementation: r.implementation,
  techniques: r.techniques,
  unresolvedAttackIds: r.unresolved_attack_ids,
  removedAt: isoOrNull(r.removed_at),
});

const toControl = (r: ControlRow): ComplianceControl => ({
  id: r.id,
  framework: r.framework,
  controlId: r.control_id,
  name: r.name,
  family: r.family,
  description: r.description,
  techniques: r.techniques,
  unresolvedAttackIds: r.unresolved_attack_ids,
  removedAt: isoOrNull(r.removed_at),
});

const toControlSummary = (r: ControlSummaryRow): ComplianceControlSummary => ({
  id: r.id,
  framework: r.framework,
  controlId: r.control_id,
  name: r.name,
  family: r.family,
  techniqueCount: r.technique_count,
  coverage: r.coverage,
  unresolvedAttackIds: r.unresolved_attack_ids,
  removedAt: isoOrNull(r.removed_at),
});

/** D3FEND countermeasures and compliance controls: read APIs plus the organisation's D3FEND status. */
export function createDefenseService(deps: { db: Db }) {
  const { db } = deps;

  /** The one technique `ref` names; a D3FEND id shared by several is a 409 listing them (D3fendAmbiguous). */
  async function mustFindD3fend(ref: string): Promise<D3fendRow> {
    const rows = await findD3fend(db, ref);
    const [row] = rows;
    if (!row) throw errors.notFound('D3FEND technique', ref);
    if (rows.length > 1) {
      const candidates: D3fendCandidate[] = rows.map((r) => ({
        id: r.id,
        iri: r.iri,
        d3fendId: r.d3fend_id,
        name: r.name,
        tactic: r.tactic,
      }));
      throw errors.conflict(
        `D3FEND id ${row.d3fend_id} names ${rows.length} techniques (${candidates.map((c) => c.name).join(', ')}): ask by IRI or id`,
        { candidates },
      );
    }
    return row;
  }

  return {
    async listD3fend(q: ListD3fendQuery): Promise<ListEnvelope<D3fendTechnique>> {
      const { rows, total } = await listD3fend(db, q);
      return { items: rows.map(toD3fend), total, limit: q.limit, offset: q.offset };
    },

    async getD3fend(id: string): Promise<D3fendTechnique> {
      return toD3fend(await mustFindD3fend(id));
    },

    async setImplementation(
      actor: AuditActor,
      id: string,
      patch: UpdateD3fendTechnique,
    ): Promise<D3fendTechnique> {
      const row = await mustFindD3fend(id);
      await db.transaction(async (tx) => {
        await setImplementation(tx, row.id, patch.implementation);
        await recordAudit(tx, actor, {
          action: 'd3fend_technique.update',
          entityType: 'd3fend_technique',
          entityId: row.id,
          summary: {
            iri: row.iri,
            d3fendId: row.d3fend_id,
            from: row.implementation,
            to: patch.implementation,
          },
        });
      });
      return toD3fend(await mustFindD3fend(row.id));
    },

    async tactics(): Promise<Facet[]> {
      return d3fendTactics(db);
    },

    async families(framework: string | undefined): Promise<Facet[]> {
      return controlFamilies(db, framework);
    },

    async frameworks(): Promise<ComplianceFramework[]> {
      return listFrameworks(db);
    },

    async listControls(q: ListControlsQuery): Promise<ListEnvelope<ComplianceControlSummary>> {
      const { rows, total } = await listControls(db, q);
      return { items: rows.map(toControlSummary), total, limit: q.limit, offset: q.offset };
    },

    async getControl(id: string): Promise<ComplianceControl> {
      const row = await findControl(db, id);
      if (!row) throw errors.notFound('Compliance control', id);
      return toControl(row);
    },
  };
}
export type DefenseService = ReturnType<typeof createDefenseService>;
