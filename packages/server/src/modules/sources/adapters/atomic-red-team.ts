import { z } from 'zod';
import type { AdapterError, AdapterResult, SourceFile, TestTemplateItem } from '../types';
import {
  attackIdSchema,
  contentHash,
  fromFolder,
  parseYaml,
  SourceIds,
  schemaError,
  uniqueSorted,
} from './upstream';

/**
 * Atomic Red Team (https://github.com/redcanaryco/atomic-red-team, MIT): `atomics/T*\/T*.yaml`, one file
 * per technique holding its atomic tests. One template per test. Tactics come from the generated
 * `index.csv` (upstream `atomics/Indexes/Indexes-CSV/index.csv`) when it is among the files, since the
 * YAML itself does not name them.
 */

const TECHNIQUE_FILE = /(?:^|\/)atomics\/(T\d{4}(?:\.\d{3})?)\/\1\.ya?ml$/;
const INDEX_FILE = /(?:^|\/)index\.csv$/;
const REPO_URL = 'https://github.com/redcanaryco/atomic-red-team/blob/master/';

const techniqueFileSchema = z.object({
  attack_technique: attackIdSchema,
  display_name: z.string().optional(),
  atomic_tests: z.array(z.unknown()),
});

const inputArgumentSchema = z.object({
  description: z.string(),
  type: z.string(),
  // Upstream writes numbers unquoted (`default: 5`) and leaves some defaults empty.
  default: z.union([z.string(), z.number(), z.boolean()]).nullish(),
});

const atomicTestSchema = z.object({
  name: z.string().min(1),
  auto_generated_guid: z.guid(),
  description: z.string(),
  supported_platforms: z.array(z.string()).min(1),
  input_arguments: z.record(z.string(), inputArgumentSchema).nullish(),
  dependency_executor_name: z.string().optional(),
  dependencies: z
    .array(
      z.object({
        description: z.string(),
        prereq_command: z.string().nullish(),
        get_prereq_command: z.string().nullish(),
      }),
    )
    .nullish(),
  executor: z
    .object({
      name: z.string().min(1),
      command: z.string().nullish(),
      cleanup_command: z.string().nullish(),
      elevation_required: z.boolean().optional(),
      // The `manual` executor has steps for a person instead of a command.
      steps: z.string().optional(),
    })
    .refine((e) => Boolean(e.command ?? e.steps), 'executor has neither command nor steps'),
});

export function parseAtomicRedTeam(files: SourceFile[]): AdapterResult<TestTemplateItem> {
  const items: TestTemplateItem[] = [];
  const errors: AdapterError[] = [];
  const ids = new SourceIds();

  const indexFile = files.find((f) => INDEX_FILE.test(f.path));
  const tacticsByGuid = indexFile ? readIndex(indexFile, errors) : new Map<string, string[]>();

  for (const file of files) {
    if (!TECHNIQUE_FILE.test(file.path)) continue;
    const yaml = parseYaml(file);
    if (!yaml.ok) {
      errors.push(yaml.error);
      continue;
    }
    if (yaml.documents.length !== 1) {
      errors.push({ path: file.path, message: `expected one YAML document, found ${yaml.documents.length}` });
      continue;
    }
    const parsedFile = techniqueFileSchema.safeParse(yaml.documents[0]);
    if (!parsedFile.success) {
      errors.push(schemaError(file.path, parsedFile.error));
      continue;
    }
    const technique = parsedFile.data.attack_technique;

    // Each test stands alone: one broken test does not cost the file its other tests.
    parsedFile.data.atomic_tests.forEach((raw, index) => {
      const parsed = atomicTestSchema.safeParse(raw);
      if (!parsed.success) {
        errors.push(schemaError(file.path, parsed.error, `atomic_tests.${index}`));
        return;
      }
      const test = parsed.data;
      const duplicate = ids.claim(test.auto_generated_guid, file.path);
      if (duplicate) {
        errors.push(duplicate);
        return;
      }
      const tactics = tacticsByGuid.get(test.auto_generated_guid) ?? [];
      items.push({
        source: 'atomic-red-team',
        sourceId: test.auto_generated_guid,
        name: test.name,
        description: test.description.trimEnd(),
        attackIds: [technique],
        tactics,
        platforms: test.supported_platforms,
        executor: test.executor.name,
        command: trimmed(test.executor.command ?? test.executor.steps),
        cleanupCommand: trimmed(test.executor.cleanup_command),
        inputArguments: Object.entries(test.input_arguments ?? {}).map(([name, arg]) => ({
          name,
          description: arg.description.trimEnd(),
          // Upstream mixes `Path`/`path`, `String`/`string`.
          type: arg.type.toLowerCase(),
          default: arg.default === null || arg.default === undefined ? null : String(arg.default),
        })),
        dependencies: (test.dependencies ?? []).map((d) => ({
          description: d.description.trimEnd(),
          prereqCommand: trimmed(d.prereq_command),
          getPrereqCommand: trimmed(d.get_prereq_command),
        })),
        elevationRequired: test.executor.elevation_required ?? false,
        path: file.path,
        url: REPO_URL + fromFolder(file.path, 'atomics'),
        // The tactics come from the index, not the test, yet they are part of what we store.
        contentHash: contentHash({ attack_technique: technique, test: raw, tactics }),
      });
    });
  }

  return { items, errors, attackIds: uniqueSorted(items.flatMap((i) => i.attackIds)) };
}

const trimmed = (text: string | null | undefined) => (text ? text.trimEnd() : null);

/** Test GUID → tactic shortnames, from the generated index (one row per tactic and test). */
function readIndex(file: SourceFile, errors: AdapterError[]): Map<string, string[]> {
  const rows = parseCsv(file.content.toString('utf8'));
  const header = rows[0] ?? [];
  const tacticCol = header.indexOf('Tactic');
  const guidCol = header.indexOf('Test GUID');
  const tactics = new Map<string, string[]>();
  if (tacticCol === -1 || guidCol === -1) {
    errors.push({
      path: file.path,
      message: 'index without "Tactic" and "Test GUID" columns: tactics left empty',
    });
    return tactics;
  }
  for (const row of rows.slice(1)) {
    const tactic = row[tacticCol]?.trim();
    const guid = row[guidCol]?.trim();
    if (!tactic || !guid) continue;
    tactics.set(guid, uniqueSorted([...(tactics.get(guid) ?? []), tactic]));
  }
  return tactics;
}

/** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks (test names do). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c !== '"') field += c;
      else if (text.charAt(i + 1) === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text.charAt(i + 1) === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
