import { z } from 'zod';
import type { AdapterError, AdapterResult, SourceFile, TemplateVariant, TestTemplateItem } from '../types';
import { attackIdSchema, contentHash, parseYaml, SourceIds, schemaError, uniqueSorted } from './upstream';

/**
 * GTFOBins (https://github.com/GTFOBins/GTFOBins.github.io, GPL-3.0), in the layout upstream adopted in
 * December 2025: `_gtfobins/<binary>` (no extension) is one YAML document, either `alias: <other>` (skipped:
 * the other file carries the content) or `functions: {<function>: [examples]}`. One template per example,
 * `gtfobins:<binary>:<function>:<index>`.
 *
 * Examples rarely carry ATT&CK ids themselves; the function's default list in `_data/functions.yml` applies
 * then. `inherit` has no default: such an example gives access to another binary (`from: less`), so it
 * gets the techniques of that binary's functions, followed through aliases and further inherits.
 */

const ENTRY_FILE = /(?:^|\/)_gtfobins\/([^/]+)$/;
const FUNCTIONS_FILE = /(?:^|\/)_data\/functions\.ya?ml$/;
const SITE_URL = 'https://gtfobins.github.io/gtfobins/';

const contextSchema = z
  .object({
    code: z.string().optional(),
    comment: z.string().optional(),
    shell: z.boolean().optional(),
    list: z.array(z.string()).optional(),
  })
  .nullable();

/** What the attacker runs on their side: a key into the function's `extra`, or written out in place. */
const attackerSideSchema = z.union([
  z.string(),
  z.object({ code: z.string().optional(), comment: z.string().optional() }),
]);
const ATTACKER_SIDES = ['listener', 'connector', 'sender', 'receiver'] as const;
/** Flags whose meaning `functions.yml` spells out per value (`extra.tty.false: …`). */
const FLAGS = ['binary', 'blind', 'tty'] as const;

const exampleSchema = z.object({
  code: z.string().min(1),
  comment: z.string().optional(),
  contexts: z.record(z.string(), contextSchema).nullish(),
  mitre: z.union([attackIdSchema, z.array(attackIdSchema)]).optional(),
  from: z.string().optional(),
  version: z.string().optional(),
  listener: attackerSideSchema.optional(),
  connector: attackerSideSchema.optional(),
  sender: attackerSideSchema.optional(),
  receiver: attackerSideSchema.optional(),
  binary: z.boolean().optional(),
  blind: z.boolean().optional(),
  tty: z.boolean().optional(),
});
type Example = z.infer<typeof exampleSchema>;

const aliasSchema = z.object({ alias: z.string().min(1) });
const functionsEntrySchema = z.object({
  functions: z.record(z.string(), z.array(z.unknown())),
  comment: z.string().optional(),
});

const functionDefinitionSchema = z.object({
  label: z.string(),
  description: z.string(),
  mitre: z.array(attackIdSchema).optional(),
  // Per key either one text (`payload`) or texts and snippets per value (`tty: {false: …}`).
  extra: z.record(z.string(), z.union([z.string(), z.record(z.string(), z.unknown())])).optional(),
});
type FunctionDefinition = z.infer<typeof functionDefinitionSchema>;

const attackerSnippetSchema = z.object({ code: z.string().optional(), comment: z.string().optional() });

type Entry = { alias: string } | { functions: Record<string, unknown[]> };

export function parseGtfobins(files: SourceFile[]): AdapterResult<TestTemplateItem> {
  const items: TestTemplateItem[] = [];
  const errors: AdapterError[] = [];
  const ids = new SourceIds();

  const definitions = readFunctions(files, errors);

  // First every entry, so that `inherit` can look at the binary it inherits from.
  const entries = new Map<string, { path: string; entry: Entry }>();
  for (const file of files) {
    const name = ENTRY_FILE.exec(file.path)?.[1];
    if (name === undefined) continue;
    const entry = readEntry(file, errors);
    if (entry) entries.set(name, { path: file.path, entry });
  }
  const inherited = new InheritedTechniques(entries, definitions);

  for (const [binary, { path, entry }] of entries) {
    if ('alias' in entry) continue;
    for (const [fn, examples] of Object.entries(entry.functions)) {
      const definition = definitions.get(fn);
      examples.forEach((raw, index) => {
        const where = `functions.${fn}.${index}`;
        const parsed = exampleSchema.safeParse(raw);
        if (!parsed.success) {
          errors.push(schemaError(path, parsed.error, where));
          return;
        }
        const example = parsed.data;
        const attackIds = techniquesOf(example, definition, inherited);
        if (attackIds.length === 0) {
          errors.push({
            path,
            message: `${where}: no ATT&CK technique (none on the example or for "${fn}")`,
          });
          return;
        }
        const sourceId = `gtfobins:${binary}:${fn}:${index}`;
        const duplicate = ids.claim(sourceId, path);
        if (duplicate) {
          errors.push(duplicate);
          return;
        }
        const contexts = Object.entries(example.contexts ?? {});
        const code = example.code.trimEnd();
        const variants: TemplateVariant[] = contexts.map(([context, detail]) => ({
          label: context,
          platforms: ['linux'],
          executor: 'sh',
          command: detail?.code?.trimEnd() ?? code,
          cleanupCommand: null,
        }));
        items.push({
          source: 'gtfobins',
          sourceId,
          name: `${binary}: ${definition?.label ?? fn}${examples.length > 1 ? ` #${index + 1}` : ''}`,
          description: describe(example, definition),
          attackIds,
          tactics: [],
          // Upstream targets Unix-like systems and names no OS per example; Linux is what it is written for.
          platforms: ['linux'],
          executor: 'sh',
          command: code,
          cleanupCommand: null,
          inputArguments: [],
          dependencies: [],
          // Runs as an ordinary user only where upstream lists the `unprivileged` context.
          elevationRequired: contexts.length > 0 && !contexts.some(([context]) => context === 'unprivileged'),
          ...(new Set(variants.map((v) => v.command)).size > 1 ? { variants } : {}),
          path,
          url: `${SITE_URL}${encodeURIComponent(binary)}/`,
          // The function's definition (default techniques, texts) feeds the item as much as the example.
          contentHash: contentHash({
            binary,
            function: fn,
            example: raw,
            definition: definition ?? null,
            attackIds,
          }),
        });
      });
    }
  }

  return { items, errors, attackIds: uniqueSorted(items.flatMap((i) => i.attackIds)) };
}

function readFunctions(files: SourceFile[], errors: AdapterError[]): Map<string, FunctionDefinition> {
  const definitions = new Map<string, FunctionDefinition>();
  const file = files.find((f) => FUNCTIONS_FILE.test(f.path));
  if (!file) {
    errors.push({
      path: '_data/functions.yml',
      message: 'missing: examples without their own ATT&CK ids cannot be mapped',
    });
    return definitions;
  }
  // The one upstream file that uses anchors and aliases (shared `extra` texts); a handful, never nested deep.
  const yaml = parseYaml(file, 100);
  if (!yaml.ok) {
    errors.push(yaml.error);
    return definitions;
  }
  const parsed = z.record(z.string(), functionDefinitionSchema).safeParse(yaml.documents[0]);
  if (!parsed.success) {
    errors.push(schemaError(file.path, parsed.error));
    return definitions;
  }
  for (const [name, definition] of Object.entries(parsed.data)) definitions.set(name, definition);
  return definitions;
}

function readEntry(file: SourceFile, errors: AdapterError[]): Entry | null {
  const yaml = parseYaml(file);
  if (!yaml.ok) {
    errors.push(yaml.error);
    return null;
  }
  // A document marker pair (`---` … `...`) can leave an empty document behind.
  const documents = yaml.documents.filter((d) => d !== null && d !== undefined);
  if (documents.length !== 1) {
    errors.push({ path: file.path, message: `expected one YAML document, found ${documents.length}` });
    return null;
  }
  const doc = documents[0];
  const isAlias = typeof doc === 'object' && doc !== null && 'alias' in doc;
  const parsed = (isAlias ? aliasSchema : functionsEntrySchema).safeParse(doc);
  if (!parsed.success) {
    errors.push(schemaError(file.path, parsed.error));
    return null;
  }
  return parsed.data;
}

function techniquesOf(
  example: Example,
  definition: FunctionDefinition | undefined,
  inherited: InheritedTechniques,
): string[] {
  if (example.mitre !== undefined) return uniqueSorted([example.mitre].flat());
  if (definition?.mitre?.length) return uniqueSorted(definition.mitre);
  if (example.from !== undefined) return inherited.of(example.from);
  return [];
}

/** The techniques a binary's functions give, for `inherit` examples; memoised, safe against cycles. */
class InheritedTechniques {
  private readonly memo = new Map<string, string[]>();

  constructor(
    private readonly entries: Map<string, { entry: Entry }>,
    private readonly definitions: Map<string, FunctionDefinition>,
  ) {}

  of(binary: string, visiting = new Set<string>()): string[] {
    const known = this.memo.get(binary);
    if (known) return known;
    const entry = this.entries.get(binary)?.entry;
    if (!entry || visiting.has(binary)) return [];
    visiting.add(binary);
    let result: string[];
    if ('alias' in entry) result = this.of(entry.alias, visiting);
    else {
      const ids: string[] = [];
      for (const [fn, examples] of Object.entries(entry.functions)) {
        const defaults = this.definitions.get(fn)?.mitre;
        if (defaults?.length) ids.push(...defaults);
        for (const raw of examples) {
          const parsed = exampleSchema.safeParse(raw);
          if (!parsed.success) continue;
          if (parsed.data.mitre !== undefined) ids.push(...[parsed.data.mitre].flat());
          else if (!defaults?.length && parsed.data.from !== undefined)
            ids.push(...this.of(parsed.data.from, visiting));
        }
      }
      result = uniqueSorted(ids);
    }
    visiting.delete(binary);
    this.memo.set(binary, result);
    return result;
  }
}

/** The function's meaning, then what upstream says about this example, as the site shows it. */
function describe(example: Example, definition: FunctionDefinition | undefined): string {
  const parts: string[] = [];
  if (definition) parts.push(definition.description);
  if (example.from) parts.push(`It gives access to the functions of \`${example.from}\`.`);
  if (example.comment) parts.push(example.comment.trimEnd());
  if (example.version) parts.push(`Version: ${example.version.trimEnd()}`);
  for (const flag of FLAGS) {
    const value = example[flag];
    if (value === undefined) continue;
    const text = extra(definition, flag, String(value));
    if (typeof text === 'string') parts.push(text);
  }
  for (const side of ATTACKER_SIDES) {
    const value = example[side];
    if (value === undefined) continue;
    const { comment, code } = attackerSide(definition, side, value);
    const lines = [comment?.trimEnd(), code ? `\`\`\`\n${code.trimEnd()}\n\`\`\`` : undefined];
    parts.push(`Attacker side (${side}): ${lines.filter(Boolean).join('\n\n')}`);
  }
  for (const [context, detail] of Object.entries(example.contexts ?? {})) {
    const notes = [detail?.comment?.trimEnd(), detail?.list ? detail.list.join(', ') : undefined];
    const text = notes.filter(Boolean).join(' ');
    if (text) parts.push(`${context}: ${text}`);
  }
  const contexts = Object.keys(example.contexts ?? {});
  if (contexts.length > 0) parts.push(`Contexts: ${contexts.join(', ')}.`);
  return parts.join('\n\n');
}

/** A named snippet (`listener: tcp-server`) is looked up in `functions.yml`; unknown names are shown as they are. */
function attackerSide(
  definition: FunctionDefinition | undefined,
  side: string,
  value: z.infer<typeof attackerSideSchema>,
): { code?: string | undefined; comment?: string | undefined } {
  if (typeof value !== 'string') return value;
  const known = attackerSnippetSchema.safeParse(extra(definition, side, value));
  return known.success ? known.data : { comment: value };
}

/** `functions.yml` → `<function>.extra.<key>.<value>`, where upstream keeps shared texts and snippets. */
function extra(definition: FunctionDefinition | undefined, key: string, value: string): unknown {
  const group = definition?.extra?.[key];
  return typeof group === 'object' ? group[value] : undefined;
}
