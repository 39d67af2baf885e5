import { z } from 'zod';
import type { AdapterError, AdapterResult, SourceFile, TemplateVariant, TestTemplateItem } from '../types';
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
 * MITRE CALDERA abilities (https://github.com/mitre/stockpile, Apache-2.0): `abilities/<tactic>/<id>.yml`,
 * each a YAML list of abilities.
 *
 * One template per ability (sourceId = ability id), not one per platform × executor: an ability is one
 * behaviour, and its test cases and coverage belong to that behaviour whatever shell runs it. `platforms`
 * lists every platform, `executor`/`command`/`cleanupCommand` come from the first platform/executor in
 * the file, and `variants` keeps all of them so no command is lost.
 *
 * Two upstream layouts exist side by side: the hand-written one (`technique: {attack_id}`, `platforms:
 * {os: {executor: {command}}}`, keys like `linux,darwin` or `psh,pwsh` meaning several at once) and the
 * one CALDERA's UI exports (`technique_id`, `executors: [{platform, name, command}]`).
 */

const ABILITY_FILE = /(?:^|\/)abilities\/[^/]+\/[^/]+\.ya?ml$/;
const REPO_URL = 'https://github.com/mitre/stockpile/blob/master/data/';

/** CALDERA's executor names → the vocabulary Atomic Red Team uses for the same shells. */
const EXECUTORS: Record<string, string> = { psh: 'powershell', cmd: 'command_prompt' };
/** `darwin` is CALDERA's (Go's) name; ATT&CK and Atomic Red Team say `macos`. */
const PLATFORMS: Record<string, string> = { darwin: 'macos' };

const cleanupSchema = z
  .union([z.string(), z.array(z.string())])
  .nullish()
  .transform((c) => (Array.isArray(c) ? c.join('\n') : c) || null);

const legacyExecutorSchema = z
  .object({
    command: z.string().nullish(),
    cleanup: cleanupSchema,
    payloads: z.array(z.string()).nullish(),
  })
  .nullable();

const commonSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string().nullish(),
  tactic: z.string().min(1),
  privilege: z.string().nullish(),
});

const legacyAbilitySchema = commonSchema.extend({
  technique: z.object({ attack_id: attackIdSchema, name: z.string().optional() }),
  platforms: z.record(z.string(), z.record(z.string(), legacyExecutorSchema)),
});

const exportedAbilitySchema = commonSchema.extend({
  technique_id: attackIdSchema,
  technique_name: z.string().optional(),
  executors: z
    .array(
      z.object({
        name: z.string().min(1),
        platform: z.string().min(1),
        command: z.string().nullish(),
        cleanup: cleanupSchema,
        payloads: z.array(z.string()).nullish(),
      }),
    )
    .min(1),
});

/** One platform × executor pair, whichever layout it came from. */
interface Run {
  platform: string;
  executor: string;
  command: string | null;
  cleanup: string | null;
  payloads: string[];
}

export function parseCaldera(files: SourceFile[]): AdapterResult<TestTemplateItem> {
  const items: TestTemplateItem[] = [];
  const errors: AdapterError[] = [];
  const ids = new SourceIds();

  for (const file of files) {
    if (!ABILITY_FILE.test(file.path)) continue;
    const yaml = parseYaml(file);
    if (!yaml.ok) {
      errors.push(yaml.error);
      continue;
    }
    const abilities = yaml.documents.length === 1 ? yaml.documents[0] : undefined;
    if (!Array.isArray(abilities)) {
      errors.push({ path: file.path, message: 'expected one YAML document holding a list of abilities' });
      continue;
    }

    abilities.forEach((raw, index) => {
      const item = toItem(raw, file.path, String(index));
      if ('message' in item) {
        errors.push(item);
        return;
      }
      const duplicate = ids.claim(item.sourceId, file.path);
      if (duplicate) errors.push(duplicate);
      else items.push(item);
    });
  }

  return { items, errors, attackIds: uniqueSorted(items.flatMap((i) => i.attackIds)) };
}

function toItem(raw: unknown, path: string, where: string): TestTemplateItem | AdapterError {
  const exported = typeof raw === 'object' && raw !== null && 'executors' in raw;
  let ability: z.infer<typeof commonSchema>;
  let attackId: string;
  let runs: Run[];
  if (exported) {
    const parsed = exportedAbilitySchema.safeParse(raw);
    if (!parsed.success) return schemaError(path, parsed.error, where);
    ability = parsed.data;
    attackId = parsed.data.technique_id;
    runs = parsed.data.executors.map((e) => ({
      platform: e.platform,
      executor: e.name,
      command: e.command ?? null,
      cleanup: e.cleanup,
      payloads: e.payloads ?? [],
    }));
  } else {
    const parsed = legacyAbilitySchema.safeParse(raw);
    if (!parsed.success) return schemaError(path, parsed.error, where);
    ability = parsed.data;
    attackId = parsed.data.technique.attack_id;
    runs = Object.entries(parsed.data.platforms).flatMap(([platformKey, executors]) =>
      Object.entries(executors).flatMap(([executorKey, body]) =>
        splitKey(platformKey).flatMap((platform) =>
          splitKey(executorKey).map((executor) => ({
            platform,
            executor,
            command: body?.command ?? null,
            cleanup: body?.cleanup ?? null,
            payloads: body?.payloads ?? [],
          })),
        ),
      ),
    );
  }

  const first = runs[0];
  if (!first) return { path, message: `${where}: ability ${ability.id} has no platform or executor` };
  const variants: TemplateVariant[] = runs.map((r) => ({
    label: `${platformName(r.platform)}/${executorName(r.executor)}`,
    platforms: [platformName(r.platform)],
    executor: executorName(r.executor),
    command: r.command?.trimEnd() ?? null,
    cleanupCommand: r.cleanup?.trimEnd() ?? null,
  }));
  const texts = runs.flatMap((r) => [r.command ?? '', r.cleanup ?? '']);

  return {
    source: 'caldera',
    sourceId: ability.id,
    name: ability.name,
    description: (ability.description ?? '').trimEnd(),
    attackIds: [attackId],
    tactics: [ability.tactic],
    platforms: uniqueSorted(runs.map((r) => platformName(r.platform))),
    executor: executorName(first.executor),
    command: first.command?.trimEnd() ?? null,
    cleanupCommand: first.cleanup?.trimEnd() ?? null,
    // CALDERA fills `#{fact.name}` from its fact sources at run time; they are the ability's inputs.
    inputArguments: factNames(texts).map((name) => ({
      name,
      description: 'CALDERA fact, filled in at run time',
      type: 'fact',
      default: null,
    })),
    dependencies: uniqueSorted(runs.flatMap((r) => r.payloads)).map((payload) => ({
      description: `Payload ${payload} (served by the CALDERA server)`,
      prereqCommand: null,
      getPrereqCommand: null,
    })),
    elevationRequired: ability.privilege === 'Elevated',
    ...(hasDistinctRuns(variants) ? { variants } : {}),
    path,
    url: REPO_URL + fromFolder(path, 'abilities'),
    contentHash: contentHash(raw),
  };
}

const splitKey = (key: string) =>
  key
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');

const platformName = (p: string) => PLATFORMS[p] ?? p;
const executorName = (e: string) => EXECUTORS[e] ?? e;

const FACT = /#\{([^{}\s]+)\}/g;
const factNames = (texts: string[]) => [
  ...new Set(texts.flatMap((t) => [...t.matchAll(FACT)].map((m) => m[1] ?? ''))),
];

/** Variants are only worth keeping when the runs differ in more than the platform they are listed under. */
const hasDistinctRuns = (variants: TemplateVariant[]) =>
  new Set(variants.map((v) => `${v.executor}\0${v.command}\0${v.cleanupCommand}`)).size > 1;
