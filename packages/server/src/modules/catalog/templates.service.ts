import { createHash, randomUUID } from 'node:crypto';
import type {
  BulkTemplateRequest,
  CreateTestFromTemplate,
  CreateTestTemplate,
  ListEnvelope,
  ListTestTemplatesQuery,
  TemplateStats,
  TestCase,
  TestTemplate,
  TestTemplateSummary,
  UpdateTestTemplate,
} from '@aegis/contracts';
import type { Db, Tx } from '../../infra/db';
import { errors } from '../../infra/http';
import { type AuditActor, recordAudit } from '../audit-logs';
import type { Caller, TestCaseService } from '../test-cases';
import { iso, isoOrNull } from './listing.queries';
import {
  findLiveTechniques,
  findTemplate,
  insertCustomTemplate,
  listTemplates,
  recomputeTemplateTactics,
  setTemplatesActive,
  setTemplateTechniques,
  type TemplateRow,
  type TemplateWrite,
  templateStats,
  updateTemplateColumns,
} from './templates.queries';

function toSummary(r: TemplateRow): TestTemplateSummary {
  return {
    id: r.id,
    source: r.source,
    sourceId: r.source_id,
    name: r.name,
    platforms: r.platforms,
    tactics: r.tactics,
    executor: r.executor,
    techniques: r.techniques,
    unresolvedAttackIds: r.unresolved_attack_ids,
    active: r.active,
    isCustom: r.is_custom,
    removedAt: isoOrNull(r.removed_at),
    updatedAt: iso(r.updated_at),
  };
}

function toTemplate(r: TemplateRow): TestTemplate {
  return {
    ...toSummary(r),
    description: r.description,
    command: r.command,
    cleanupCommand: r.cleanup_command,
    inputArguments: r.input_arguments as TestTemplate['inputArguments'],
    dependencies: r.dependencies as TestTemplate['dependencies'],
    variants: r.variants as TestTemplate['variants'],
    sourceTactics: r.source_tactics,
    elevationRequired: r.elevation_required,
    expectedOutcome: r.expected_outcome,
    path: r.path,
    url: r.url,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
  };
}

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

export function createTemplateService(deps: { db: Db }) {
  const { db } = deps;

  async function mustFind(id: string): Promise<TemplateRow> {
    const row = await findTemplate(db, id);
    if (!row) throw errors.notFound('Test template', id);
    return row;
  }

  /** Every given technique must be a live technique of the stored ATT&CK; one 400 names the unknown ones. */
  async function techniqueIds(refs: string[]): Promise<string[]> {
    const found = await findLiveTechniques(db, refs);
    const known = new Set(found.map((f) => f.ref));
    const unknown = refs.filter((r) => !known.has(r));
    if (unknown.length > 0)
      throw errors.validation([
        { path: 'body.techniques', message: `no live technique ${unknown.join(', ')} (revoked or unknown)` },
      ]);
    return [...new Set(found.map((f) => f.id))];
  }

  async function audited<T>(
    actor: AuditActor,
    entry: { action: string; entityId: string | null; summary: Record<string, unknown> },
    work: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    return db.transaction(async (tx) => {
      const result = await work(tx);
      await recordAudit(tx, actor, { entityType: 'test_template', ...entry });
      return result;
    });
  }

  return {
    async list(q: ListTestTemplatesQuery): Promise<ListEnvelope<TestTemplateSummary>> {
      const { rows, total } = await listTemplates(db, q);
      return { items: rows.map(toSummary), total, limit: q.limit, offset: q.offset };
    },

    async get(id: string): Promise<TestTemplate> {
      return toTemplate(await mustFind(id));
    },

    async stats(): Promise<TemplateStats> {
      return templateStats(db);
    },

    async create(actor: AuditActor, input: CreateTestTemplate): Promise<TestTemplate> {
      const ids = await techniqueIds(input.techniques);
      const { techniques: _refs, ...fields } = input;
      const id = await audited(
        actor,
        { action: 'test_template.create', entityId: null, summary: { name: input.name } },
        async (tx) => {
          const created = await insertCustomTemplate(tx, {
            ...fields,
            sourceId: randomUUID(),
            contentHash: hashOf(input),
            createdBy: actor.userId,
          });
          await setTemplateTechniques(tx, created, ids);
          await recomputeTemplateTactics(tx, { id: created });
          return created;
        },
      );
      return toTemplate(await mustFind(id));
    },

    /** Custom templates only: synced ones are upstream's text and the next sync would overwrite an edit. */
    async update(actor: AuditActor, id: string, patch: UpdateTestTemplate): Promise<TestTemplate> {
      const current = await mustFind(id);
      if (!current.is_custom)
        throw errors.conflict(
          `Template ${current.name} comes from ${current.source} and is replaced on each sync; create a custom template instead`,
        );
      const ids = patch.techniques ? await techniqueIds(patch.techniques) : undefined;
      const { techniques: _refs, ...fields } = patch;
      await audited(
        actor,
        { action: 'test_template.update', entityId: id, summary: { fields: Object.keys(patch) } },
        async (tx) => {
          if (Object.keys(fields).length > 0)
            await updateTemplateColumns(tx, id, fields as Partial<TemplateWrite>);
          if (ids) await setTemplateTechniques(tx, id, ids);
          await recomputeTemplateTactics(tx, { id });
        },
      );
      return toTemplate(await mustFind(id));
    },

    async toggle(actor: AuditActor, id: string): Promise<TestTemplate> {
      const current = await mustFind(id);
      await audited(
        actor,
        { action: 'test_template.toggle', entityId: id, summary: { active: !current.active } },
        (tx) => setTemplatesActive(tx, [id], !current.active),
      );
      return toTemplate(await mustFind(id));
    },

    async bulk(actor: AuditActor, request: BulkTemplateRequest): Promise<{ updated: number }> {
      const ids = [...new Set(request.ids)];
      const changed = await audited(
        actor,
        {
          action: 'test_template.bulk_toggle',
          entityId: null,
          summary: { active: request.active, count: ids.length },
        },
        (tx) => setTemplatesActive(tx, ids, request.active),
      );
      return { updated: changed.length };
    },
  };
}
export type TemplateService = ReturnType<typeof createTemplateService>;

/**
 * Starts a test case from a template through the test-cases service (its rules and audit apply): the
 * template's first technique unless another of its techniques is chosen, its name, description and
 * first platform unless overridden.
 */
export async function createTestFromTemplate(
  deps: { db: Db; tests: TestCaseService },
  caller: Caller,
  templateId: string,
  overrides: CreateTestFromTemplate,
): Promise<TestCase> {
  const template = await findTemplate(deps.db, templateId);
  if (!template) throw errors.notFound('Test template', templateId);
  if (!template.active || template.removed_at)
    throw errors.conflict(
      `Template ${template.name} is ${template.removed_at ? 'removed upstream' : 'inactive'}`,
    );
  const wanted = overrides.technique;
  const technique = wanted
    ? template.techniques.find((t) => t.id === wanted || t.attackId?.toUpperCase() === wanted.toUpperCase())
    : template.techniques[0];
  if (!technique)
    throw wanted
      ? errors.validation([
          { path: 'body.technique', message: `${wanted} is not a technique of this template` },
        ])
      : errors.conflict(`Template ${template.name} maps to no technique of the current ATT&CK release`);
  // The template's expected outcome unless the caller says otherwise.
  const expectedOutcome = overrides.expectedOutcome ?? template.expected_outcome;
  return deps.tests.create(caller, {
    technique: technique.id,
    templateId: template.id,
    title: overrides.title ?? template.name.slice(0, 300),
    description: overrides.description ?? template.description.slice(0, 20_000),
    ...(overrides.tactic ? { tactic: overrides.tactic } : {}),
    ...((overrides.platform ?? template.platforms[0])
      ? { platform: overrides.platform ?? template.platforms[0] }
      : {}),
    ...(expectedOutcome ? { expectedOutcome } : {}),
    ...(overrides.assignedRedId ? { assignedRedId: overrides.assignedRedId } : {}),
    ...(overrides.assignedBlueId ? { assignedBlueId: overrides.assignedBlueId } : {}),
  });
}
