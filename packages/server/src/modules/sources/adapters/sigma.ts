import { createHash } from 'node:crypto';
import { CORE_SCHEMA, loadAll } from 'js-yaml';
import { z } from 'zod';
import type { AdapterError, AdapterResult, DetectionRuleItem, SourceFile } from '../types';

/**
 * SigmaHQ detection rules (https://github.com/SigmaHQ/sigma, Detection Rule License 1.1).
 * One `.yml` file holds one rule; Sigma 2 also allows several YAML documents in one file (a rule plus the
 * correlation or filter documents that build on it). Only detection documents become items.
 */

const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;
const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;

/** The fields of the Sigma rule specification that we keep; `detection` is left in the raw text. */
const sigmaRuleSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  status: z.enum(STATUSES).optional(),
  description: z.string().optional(),
  references: z.array(z.string()).optional(),
  author: z.string().optional(),
  // The core schema has no timestamp tag, so `date: 2018-09-03` stays the string upstream wrote.
  date: z.string().optional(),
  modified: z.string().optional(),
  tags: z.array(z.string()).optional(),
  logsource: z.record(z.string(), z.string()),
  detection: z.record(z.string(), z.unknown()),
  level: z.enum(LEVELS).optional(),
});

const ATTACK_TAG = /^attack\.t(\d{4})(?:\.(\d{3}))?$/i;

/** `attack.t1059.001` → `T1059.001`; other tags (tactics, groups, software, CAR, CVE) are not techniques. */
export function attackIdFromSigmaTag(tag: string): string | null {
  const m = ATTACK_TAG.exec(tag);
  if (!m) return null;
  return m[2] ? `T${m[1]}.${m[2]}` : `T${m[1]}`;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A document that tries to be a detection rule; correlation and filter documents have no `detection`. */
const looksLikeRule = (doc: Record<string, unknown>) => 'detection' in doc || 'logsource' in doc;

export function parseSigma(files: SourceFile[]): AdapterResult<DetectionRuleItem> {
  const items: DetectionRuleItem[] = [];
  const errors: AdapterError[] = [];

  for (const file of files) {
    // READMEs, licences and images live beside the rules; only YAML can be a rule.
    if (!/\.ya?ml$/i.test(file.path)) continue;
    const raw = file.content.toString('utf8');

    let docs: unknown[];
    try {
      // Core schema: no custom tags, no timestamps, nothing that constructs objects from untrusted input.
      docs = loadAll(raw, { schema: CORE_SCHEMA, filename: file.path });
    } catch (err) {
      errors.push({ path: file.path, message: `invalid YAML: ${(err as Error).message}` });
      continue;
    }

    const contentHash = createHash('sha256').update(raw).digest('hex');
    docs.forEach((doc, index) => {
      if (!isRecord(doc) || !looksLikeRule(doc)) return;
      const where = docs.length > 1 ? `${file.path}#${index}` : file.path;
      const parsed = sigmaRuleSchema.safeParse(doc);
      if (!parsed.success) {
        const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
        errors.push({ path: where, message: message.join('; ') });
        return;
      }
      const rule = parsed.data;
      const tags = rule.tags ?? [];
      items.push({
        source: 'sigma',
        sourceId: rule.id,
        title: rule.title,
        description: rule.description ?? '',
        status: rule.status ?? null,
        level: rule.level ?? null,
        logSource: rule.logsource,
        // Kept exactly as written: the DRL requires this attribution wherever the rule is shown.
        author: rule.author ?? null,
        attackIds: unique(tags.map(attackIdFromSigmaTag).filter((id): id is string => id !== null)),
        tags,
        references: rule.references ?? [],
        raw,
        rawFormat: 'yaml',
        path: file.path,
        modified: rule.modified ?? rule.date ?? null,
        contentHash,
      });
    });
  }

  return { items, errors, attackIds: unique(items.flatMap((i) => i.attackIds)).sort() };
}

const unique = (values: string[]) => [...new Set(values)];
