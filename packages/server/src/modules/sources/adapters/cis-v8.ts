import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AdapterError, AdapterResult, ComplianceControlItem, SourceFile } from '../types';

/**
 * CIS Controls v8 safeguards ↔ ATT&CK, from CTID's Top ATT&CK Techniques
 * (https://github.com/center-for-threat-informed-defense/top-attack-techniques, Apache-2.0), `src/data/Techniques.json`
 * (kept here as `ctid-top-attack-techniques-Techniques.json`). Upstream is keyed by technique: each record lists the
 * CIS v8 safeguard ids (`13.3`) that address it. We invert it into one item per safeguard.
 * Safeguard titles are CIS's own text (CC BY-NC-ND) and are not in the file, so names stay neutral.
 */

const TECHNIQUES_FILE = /(^|\/)([^/]*-)?Techniques\.json$/;

/** The fields we read; the prioritisation scores and ATT&CK texts beside them are CTID's, not ours. */
const techniqueRecordSchema = z.object({
  tid: z.string().regex(/^T\d{4}(\.\d{3})?$/, 'not an ATT&CK technique id'),
  name: z.string(),
  cis_controls: z.array(z.string().regex(/^\d{1,2}\.\d{1,2}$/, 'not a CIS v8 safeguard id')),
});

const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

/** `13.3` before `13.10`. */
const bySafeguard = (a: string, b: string) => {
  const [aControl = 0, aSafeguard = 0] = a.split('.').map(Number);
  const [bControl = 0, bSafeguard = 0] = b.split('.').map(Number);
  return aControl - bControl || aSafeguard - bSafeguard;
};

export function parseCisV8(files: SourceFile[]): AdapterResult<ComplianceControlItem> {
  const errors: AdapterError[] = [];
  const techniquesBySafeguard = new Map<string, Set<string>>();

  for (const file of files) {
    if (!TECHNIQUES_FILE.test(file.path)) continue;
    let records: unknown;
    try {
      records = JSON.parse(file.content.toString('utf8'));
    } catch (err) {
      errors.push({ path: file.path, message: `invalid JSON: ${(err as Error).message}` });
      continue;
    }
    if (!Array.isArray(records)) {
      errors.push({ path: file.path, message: 'expected an array of technique records' });
      continue;
    }

    records.forEach((raw, index) => {
      const record = techniqueRecordSchema.safeParse(raw);
      if (!record.success) {
        errors.push({ path: `${file.path}#/${index}`, message: issuesOf(record.error) });
        return;
      }
      for (const safeguard of record.data.cis_controls) {
        const techniques = techniquesBySafeguard.get(safeguard) ?? new Set<string>();
        techniques.add(record.data.tid);
        techniquesBySafeguard.set(safeguard, techniques);
      }
    });
  }

  const items = [...techniquesBySafeguard.keys()]
    .sort(bySafeguard)
    .map((safeguard): ComplianceControlItem => {
      const attackIds = [...(techniquesBySafeguard.get(safeguard) ?? [])].sort();
      return {
        framework: 'cis-v8',
        controlId: `CIS ${safeguard}`,
        name: `CIS Safeguard ${safeguard}`,
        family: `CIS ${safeguard.split('.')[0]}`,
        description: '',
        attackIds,
        // The upstream "entry" of an inverted item is the set of technique records naming this safeguard.
        contentHash: createHash('sha256').update(JSON.stringify({ safeguard, attackIds })).digest('hex'),
      };
    });

  return { items, errors, attackIds: [...new Set(items.flatMap((i) => i.attackIds))].sort() };
}
