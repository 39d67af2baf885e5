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
 * LOLBAS (https://github.com/LOLBAS-Project/LOLBAS, GPL-3.0): `yml/<kind>/<Name>.yml`, one Windows binary,
 * library or script per file with the ways it can be abused under `Commands`. One template per command,
 * `lolbas:<Name>:<index>` with the index of the command in the upstream list (kept even when a sibling
 * is invalid, so ids do not shift).
 */

const ENTRY_FILE = /(?:^|\/)yml\/.+\.ya?ml$/;
/** The upstream schema template sits beside the entries and documents fields with placeholder values. */
const TEMPLATE_FILE = /(?:^|\/)YML-Template\.ya?ml$/;
const REPO_URL = 'https://github.com/LOLBAS-Project/LOLBAS/blob/master/';

const commandSchema = z.object({
  Command: z.string().min(1),
  Description: z.string(),
  Usecase: z.string(),
  Category: z.string(),
  Privileges: z.string(),
  MitreID: attackIdSchema,
  OperatingSystem: z.string(),
});

const entrySchema = z.object({
  Name: z.string().min(1),
  Description: z.string(),
  Commands: z.array(z.unknown()).min(1),
});

/**
 * Upstream writes free text here (`User`, `Administrator`, `Local Admin`, `SYSTEM`, `Any`, `Low privileges`,
 * `User, Administrator in Windows 8`…): only the ones a normal user holds run without elevation.
 */
const UNPRIVILEGED = /^(user\b|any$|low privileges$)/i;

/** `{PATH:.exe}`, `{REMOTEURL}`, `{CMD:args}`: what the operator must fill in before running the command. */
const PLACEHOLDER = /\{([A-Z][A-Z_]*)(?::([^{}\s]+))?\}/g;

export function parseLolbas(files: SourceFile[]): AdapterResult<TestTemplateItem> {
  const items: TestTemplateItem[] = [];
  const errors: AdapterError[] = [];
  const ids = new SourceIds();

  for (const file of files) {
    if (!ENTRY_FILE.test(file.path) || TEMPLATE_FILE.test(file.path)) continue;
    const yaml = parseYaml(file);
    if (!yaml.ok) {
      errors.push(yaml.error);
      continue;
    }
    if (yaml.documents.length !== 1) {
      errors.push({ path: file.path, message: `expected one YAML document, found ${yaml.documents.length}` });
      continue;
    }
    const parsedEntry = entrySchema.safeParse(yaml.documents[0]);
    if (!parsedEntry.success) {
      errors.push(schemaError(file.path, parsedEntry.error));
      continue;
    }
    const entry = parsedEntry.data;

    entry.Commands.forEach((raw, index) => {
      const parsed = commandSchema.safeParse(raw);
      if (!parsed.success) {
        errors.push(schemaError(file.path, parsed.error, `Commands.${index}`));
        return;
      }
      const cmd = parsed.data;
      const sourceId = `lolbas:${entry.Name}:${index}`;
      const duplicate = ids.claim(sourceId, file.path);
      if (duplicate) {
        errors.push(duplicate);
        return;
      }
      items.push({
        source: 'lolbas',
        sourceId,
        name: `${entry.Name}: ${cmd.Usecase}`,
        description: [
          cmd.Description.trimEnd(),
          `${entry.Name}: ${entry.Description.trimEnd()}`,
          `Category: ${cmd.Category}. Privileges: ${cmd.Privileges}. Operating systems: ${cmd.OperatingSystem}.`,
        ].join('\n\n'),
        attackIds: [cmd.MitreID],
        tactics: [],
        // One entry also names macOS (devtunnels); the rest are Windows only.
        platforms: /\bmac\s?os\b/i.test(cmd.OperatingSystem) ? ['windows', 'macos'] : ['windows'],
        executor: 'command_prompt',
        command: cmd.Command.trimEnd(),
        cleanupCommand: null,
        inputArguments: placeholders(cmd.Command),
        dependencies: [],
        elevationRequired: !UNPRIVILEGED.test(cmd.Privileges.trim()),
        path: file.path,
        url: REPO_URL + fromFolder(file.path, 'yml'),
        // The entry's name and description feed every item, so they are hashed with the command.
        contentHash: contentHash({ Name: entry.Name, Description: entry.Description, command: raw }),
      });
    });
  }

  return { items, errors, attackIds: uniqueSorted(items.flatMap((i) => i.attackIds)) };
}

function placeholders(command: string): TestTemplateItem['inputArguments'] {
  const seen = new Map<string, TestTemplateItem['inputArguments'][number]>();
  for (const m of command.matchAll(PLACEHOLDER)) {
    const [whole, kind = '', qualifier] = m;
    const name = whole.slice(1, -1);
    if (seen.has(name)) continue;
    seen.set(name, {
      name,
      description: qualifier ? `${kind} (${qualifier})` : kind,
      type: kind.toLowerCase(),
      default: null,
    });
  }
  return [...seen.values()];
}
