import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AdapterError, AdapterResult, ComplianceControlItem, SourceFile } from '../types';

/**
 * NIST SP 800-53 Rev. 5 → ATT&CK, from CTID's Mappings Explorer
 * (https://github.com/center-for-threat-informed-defense/mappings-explorer, Apache-2.0), files named
 * `nist_800_53-rev5_attack-<version>-<domain>.json` in the Mappings Explorer unified format
 * (`mapex-unified-data-schema.json`): `metadata` plus one `mapping_objects` row per control ↔ technique pair.
 * The rows become one item per control; the control texts themselves are not in the mapping.
 */

const MAPPING_FILE = /(^|\/)nist_800_53[^/]*\.json$/;
const ATTACK_ID = /^T\d{4}(\.\d{3})?$/;
// Mappings Explorer zero-pads (`AC-02`, `AC-02(01)`); NIST writes `AC-2`, `AC-2(1)`.
const CONTROL_ID = /^([A-Z]{2})-0*(\d+)(?:\(0*(\d+)\))?$/;

const nullableString = z.string().nullable().optional();

const metadataSchema = z.object({
  mapping_version: z.string(),
  attack_version: z.string(),
  technology_domain: z.enum(['enterprise', 'mobile', 'ics']),
  creation_date: z.string(),
  last_update: z.string().optional(),
  mapping_framework: z.literal('nist_800_53'),
  mapping_framework_version: z.literal('rev5'),
  mapping_types: z.record(z.string(), z.object({ name: z.string(), description: z.string() })),
  capability_groups: z.record(z.string(), z.string()),
});

/** Every property of the unified schema, so the content hash covers the whole upstream row. */
const mappingObjectSchema = z.object({
  capability_id: nullableString,
  capability_description: nullableString,
  capability_group: z.string().nullable(),
  mapping_type: z.string().nullable(),
  attack_object_id: nullableString,
  attack_object_name: nullableString,
  attack_version: z.string().optional(),
  technology_domain: z.string().optional(),
  mapping_framework: z.string().optional(),
  mapping_framework_version: z.string().optional(),
  status: z.enum(['complete', 'in_progress', 'non_mappable']).optional(),
  score_category: nullableString,
  score_value: nullableString,
  related_score: nullableString,
  comments: nullableString,
  references: z.array(z.string()).nullable().optional(),
  author: nullableString,
  author_contact: nullableString,
  author_organization: nullableString,
});

/** A row ready for use: a control, a technique and how one relates to the other. */
const completeMappingSchema = mappingObjectSchema.extend({
  capability_id: z.string().regex(CONTROL_ID, 'not an 800-53 control id'),
  capability_description: z.string().min(1),
  mapping_type: z.string().min(1),
  attack_object_id: z.string().regex(ATTACK_ID, 'not an ATT&CK technique id'),
});

type Mapping = z.infer<typeof completeMappingSchema>;

const fileSchema = z.object({ metadata: metadataSchema, mapping_objects: z.array(z.unknown()) });

const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

/** `AC-02` → `AC-2`, `AC-02(01)` → `AC-2(1)`; the caller has checked the pattern. */
export function nistControlId(mapexId: string): string {
  const m = CONTROL_ID.exec(mapexId);
  if (!m) return mapexId;
  return m[3] ? `${m[1]}-${m[2]}(${m[3]})` : `${m[1]}-${m[2]}`;
}

interface Control {
  controlId: string;
  family: string;
  name: string;
  rows: Map<string, Mapping>;
}

export function parseNist80053(files: SourceFile[]): AdapterResult<ComplianceControlItem> {
  const errors: AdapterError[] = [];
  const controls = new Map<string, Control>();

  for (const file of files) {
    if (!MAPPING_FILE.test(file.path)) continue;
    let parsed: z.infer<typeof fileSchema>;
    try {
      const result = fileSchema.safeParse(JSON.parse(file.content.toString('utf8')));
      if (!result.success) {
        errors.push({ path: file.path, message: issuesOf(result.error) });
        continue;
      }
      parsed = result.data;
    } catch (err) {
      errors.push({ path: file.path, message: `invalid JSON: ${(err as Error).message}` });
      continue;
    }

    parsed.mapping_objects.forEach((raw, index) => {
      const where = `${file.path}#mapping_objects/${index}`;
      const row = mappingObjectSchema.safeParse(raw);
      if (!row.success) {
        errors.push({ path: where, message: issuesOf(row.error) });
        return;
      }
      // `non_mappable` rows record techniques no control addresses (capability_id is null); `in_progress`
      // rows are not reviewed yet. Neither maps a control.
      if (row.data.status === 'non_mappable' || row.data.status === 'in_progress') return;
      const mapping = completeMappingSchema.safeParse(row.data);
      if (!mapping.success) {
        errors.push({ path: where, message: issuesOf(mapping.error) });
        return;
      }

      const controlId = nistControlId(mapping.data.capability_id);
      const control = controls.get(controlId) ?? {
        controlId,
        family: controlId.slice(0, 2),
        name: mapping.data.capability_description,
        rows: new Map<string, Mapping>(),
      };
      // Upstream repeats some rows verbatim (50 in the 16.1 file); a set of rows keeps the hash honest.
      control.rows.set(JSON.stringify(mapping.data), mapping.data);
      controls.set(controlId, control);
    });
  }

  const items = [...controls.values()].map((control): ComplianceControlItem => {
    const rows = [...control.rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const attackIds = [...new Set(rows.map(([, row]) => row.attack_object_id))].sort();
    return {
      framework: 'nist-800-53-r5',
      controlId: control.controlId,
      name: control.name,
      family: control.family,
      description: '',
      attackIds,
      contentHash: createHash('sha256')
        .update(`[${rows.map(([json]) => json).join(',')}]`)
        .digest('hex'),
    };
  });

  return { items, errors, attackIds: [...new Set(items.flatMap((i) => i.attackIds))].sort() };
}
