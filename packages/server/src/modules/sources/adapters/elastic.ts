import { createHash } from 'node:crypto';
import { parse } from 'smol-toml';
import { z } from 'zod';
import type { AdapterError, AdapterResult, DetectionRuleItem, SourceFile } from '../types';

/**
 * Elastic prebuilt detection rules (https://github.com/elastic/detection-rules, Elastic License 2.0):
 * one TOML file per rule under `rules/`, with `[metadata]` (lifecycle) and `[rule]` (the Kibana rule body).
 * `rules_building_block/` and the repo's tests/configs are not rules and are not under `rules/`.
 */

const ATTACK_FRAMEWORK = 'MITRE ATT&CK';
const TECHNIQUE_ID = /^T\d{4}$/;
const SUBTECHNIQUE_ID = /^T\d{4}\.\d{3}$/;

const threatRefSchema = z.object({ id: z.string(), name: z.string(), reference: z.string().optional() });

const threatSchema = z
  .object({
    // Besides ATT&CK, some rules (LLM integrations) name MITRE ATLAS, whose ids look like `AML.T0051`.
    framework: z.string(),
    tactic: threatRefSchema,
    technique: z
      .array(threatRefSchema.extend({ subtechnique: z.array(threatRefSchema).optional() }))
      .optional(),
  })
  .superRefine((threat, ctx) => {
    if (threat.framework !== ATTACK_FRAMEWORK) return;
    threat.technique?.forEach((t, i) => {
      if (!TECHNIQUE_ID.test(t.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['technique', i, 'id'],
          message: `not a technique id: ${t.id}`,
        });
      }
      t.subtechnique?.forEach((s, j) => {
        if (!SUBTECHNIQUE_ID.test(s.id)) {
          const path = ['technique', i, 'subtechnique', j, 'id'];
          ctx.addIssue({ code: 'custom', path, message: `not a sub-technique id: ${s.id}` });
        }
      });
    });
  });

const elasticRuleSchema = z.object({
  metadata: z.object({
    maturity: z.enum(['production', 'development', 'deprecated']),
    creation_date: z.string().optional(),
    updated_date: z.string().optional(),
    integration: z.array(z.string()).optional(),
  }),
  rule: z.object({
    rule_id: z.string().min(1),
    name: z.string().min(1),
    description: z.string(),
    severity: z.enum(['low', 'medium', 'high', 'critical']),
    author: z.array(z.string()),
    type: z.string(),
    // Machine-learning rules have neither: they read an anomaly job, not an index.
    language: z.string().optional(),
    index: z.array(z.string()).optional(),
    tags: z.array(z.string()).optional(),
    references: z.array(z.string()).optional(),
    threat: z.array(threatSchema).optional(),
  }),
});

type ElasticRule = z.infer<typeof elasticRuleSchema>;

/** Technique and sub-technique ids of the ATT&CK threat entries, in upstream order. */
function attackIdsOf(rule: ElasticRule['rule']): string[] {
  const ids = (rule.threat ?? [])
    .filter((t) => t.framework === ATTACK_FRAMEWORK)
    .flatMap((t) => t.technique ?? [])
    .flatMap((t) => [t.id, ...(t.subtechnique ?? []).map((s) => s.id)]);
  return [...new Set(ids)];
}

function logSourceOf({ metadata, rule }: ElasticRule): Record<string, string> {
  const source: Record<string, string> = { type: rule.type };
  if (rule.language) source.language = rule.language;
  if (rule.index?.length) source.index = rule.index.join(', ');
  if (metadata.integration?.length) source.integration = metadata.integration.join(', ');
  return source;
}

export function parseElastic(files: SourceFile[]): AdapterResult<DetectionRuleItem> {
  const items: DetectionRuleItem[] = [];
  const errors: AdapterError[] = [];

  for (const file of files) {
    if (!/(^|\/)rules\/.+\.toml$/.test(file.path)) continue;
    const raw = file.content.toString('utf8');

    let doc: unknown;
    try {
      doc = parse(raw);
    } catch (err) {
      errors.push({ path: file.path, message: `invalid TOML: ${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    const parsed = elasticRuleSchema.safeParse(doc);
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      errors.push({ path: file.path, message: message.join('; ') });
      continue;
    }

    const { metadata, rule } = parsed.data;
    // Upstream moves retired rules into `_deprecated/`; the folder is authoritative even if metadata lags.
    const deprecated = /(^|\/)_deprecated\//.test(file.path);
    items.push({
      source: 'elastic',
      sourceId: rule.rule_id,
      title: rule.name,
      description: rule.description.trim(),
      status: deprecated ? 'deprecated' : metadata.maturity,
      level: rule.severity,
      logSource: logSourceOf(parsed.data),
      author: rule.author.join(', ') || null,
      attackIds: attackIdsOf(rule),
      tags: rule.tags ?? [],
      references: rule.references ?? [],
      raw,
      rawFormat: 'toml',
      path: file.path,
      // Elastic writes `2026/07/28`; Sigma and the rest of Aegis use ISO `2026-07-28`.
      modified: (metadata.updated_date ?? metadata.creation_date)?.replaceAll('/', '-') ?? null,
      contentHash: createHash('sha256').update(raw).digest('hex'),
    });
  }

  return { items, errors, attackIds: [...new Set(items.flatMap((i) => i.attackIds))].sort() };
}
