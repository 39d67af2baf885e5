import type { CreateTestTemplate, Outcome, TestTemplate, UpdateTestTemplate } from '@aegis/contracts';
import type { TechniqueChoice } from '../attack/components/TechniquePicker';

/**
 * The custom-template form as the user edits it (every text a string, rows with stable keys), and
 * the way to and from the API's shapes. The limits mirror `CreateTestTemplate` in contracts so the
 * form can explain a problem in words before the server would answer with a terser 400.
 */
export interface ArgumentDraft {
  key: string;
  name: string;
  type: string;
  description: string;
  default: string;
}

export interface DependencyDraft {
  key: string;
  description: string;
  prereqCommand: string;
  getPrereqCommand: string;
}

export interface TemplateDraft {
  name: string;
  description: string;
  techniques: TechniqueChoice[];
  tactics: string[];
  platforms: string[];
  executor: string;
  command: string;
  cleanupCommand: string;
  inputArguments: ArgumentDraft[];
  dependencies: DependencyDraft[];
  elevationRequired: boolean;
  /** `''`: none declared. */
  expectedOutcome: Outcome | '';
}

/** Field name (as the server's issue paths say it, `inputArguments.0.name`) → message. */
export type DraftErrors = Record<string, string>;

export const LIMITS = {
  name: 300,
  description: 20_000,
  techniques: 50,
  tactics: 20,
  platforms: 20,
  executor: 64,
  command: 50_000,
  inputArguments: 100,
  argumentName: 200,
  argumentType: 100,
  argumentDescription: 5000,
  argumentDefault: 20_000,
  dependencies: 50,
  dependencyDescription: 5000,
} as const;

let nextKey = 0;
const rowKey = (kind: string) => `${kind}-${++nextKey}`;

export const newArgument = (): ArgumentDraft => ({
  key: rowKey('argument'),
  name: '',
  type: 'string',
  description: '',
  default: '',
});

export const newDependency = (): DependencyDraft => ({
  key: rowKey('dependency'),
  description: '',
  prereqCommand: '',
  getPrereqCommand: '',
});

export function emptyDraft(technique?: string): TemplateDraft {
  return {
    name: '',
    description: '',
    techniques: technique ? [{ attackId: technique }] : [],
    tactics: [],
    platforms: [],
    executor: '',
    command: '',
    cleanupCommand: '',
    inputArguments: [],
    dependencies: [],
    elevationRequired: false,
    expectedOutcome: '',
  };
}

/** The form filled from a stored template (to edit it, or to start a custom copy of a synced one). */
export function draftFrom(t: TestTemplate): TemplateDraft {
  return {
    name: t.name,
    description: t.description,
    techniques: t.techniques
      .filter((ref) => ref.attackId !== null)
      .map((ref) => ({ attackId: ref.attackId as string, name: ref.name })),
    // The tactics the author (or upstream) wrote; the stored `tactics` follow the ATT&CK release.
    tactics: [...t.sourceTactics],
    platforms: [...t.platforms],
    executor: t.executor ?? '',
    command: t.command ?? '',
    cleanupCommand: t.cleanupCommand ?? '',
    inputArguments: t.inputArguments.map((a) => ({
      key: rowKey('argument'),
      name: a.name,
      type: a.type,
      description: a.description,
      default: a.default ?? '',
    })),
    dependencies: t.dependencies.map((d) => ({
      key: rowKey('dependency'),
      description: d.description,
      prereqCommand: d.prereqCommand ?? '',
      getPrereqCommand: d.getPrereqCommand ?? '',
    })),
    elevationRequired: t.elevationRequired,
    expectedOutcome: t.expectedOutcome ?? '',
  };
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text);

/** The request body: trimmed names, empty texts as `null`, techniques as their ATT&CK ids. */
export function toCreateBody(d: TemplateDraft): CreateTestTemplate {
  return {
    name: d.name.trim(),
    description: d.description,
    techniques: d.techniques.map((t) => t.attackId),
    tactics: d.tactics,
    platforms: d.platforms,
    executor: orNull(d.executor.trim()),
    command: orNull(d.command),
    cleanupCommand: orNull(d.cleanupCommand),
    inputArguments: d.inputArguments.map((a) => ({
      name: a.name.trim(),
      type: a.type.trim() || 'string',
      description: a.description,
      default: a.default === '' ? null : a.default,
    })),
    dependencies: d.dependencies.map((x) => ({
      description: x.description,
      prereqCommand: orNull(x.prereqCommand),
      getPrereqCommand: orNull(x.getPrereqCommand),
    })),
    elevationRequired: d.elevationRequired,
    expectedOutcome: d.expectedOutcome || null,
  };
}

/** Only the fields that differ from the stored template (`null` when nothing changed). */
export function toUpdateBody(original: TestTemplate, d: TemplateDraft): UpdateTestTemplate | null {
  const before = toCreateBody(draftFrom(original));
  const after = toCreateBody(d);
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof CreateTestTemplate)[])
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) patch[key] = after[key];
  return Object.keys(patch).length > 0 ? (patch as UpdateTestTemplate) : null;
}

const tooLong = (text: string, max: number) =>
  text.length > max
    ? `At most ${max.toLocaleString('en')} characters (this has ${text.length.toLocaleString('en')}).`
    : undefined;

/** Problems in words, keyed like the server's issue paths; empty when the draft may be sent. */
export function validateDraft(d: TemplateDraft): DraftErrors {
  const errors: DraftErrors = {};
  const put = (field: string, message: string | undefined) => {
    if (message && !errors[field]) errors[field] = message;
  };

  put('name', d.name.trim() === '' ? 'Give the template a name.' : tooLong(d.name.trim(), LIMITS.name));
  put('description', tooLong(d.description, LIMITS.description));
  if (d.techniques.length === 0) put('techniques', 'Choose at least one ATT&CK technique.');
  if (d.techniques.length > LIMITS.techniques)
    put('techniques', `At most ${LIMITS.techniques} techniques (this has ${d.techniques.length}).`);
  if (d.tactics.length > LIMITS.tactics) put('tactics', `At most ${LIMITS.tactics} tactics.`);
  if (d.platforms.length > LIMITS.platforms) put('platforms', `At most ${LIMITS.platforms} platforms.`);
  put('executor', tooLong(d.executor.trim(), LIMITS.executor));
  put('command', tooLong(d.command, LIMITS.command));
  put('cleanupCommand', tooLong(d.cleanupCommand, LIMITS.command));

  if (d.inputArguments.length > LIMITS.inputArguments)
    put('inputArguments', `At most ${LIMITS.inputArguments} input arguments.`);
  const seen = new Set<string>();
  d.inputArguments.forEach((a, i) => {
    const name = a.name.trim();
    const at = `inputArguments.${i}`;
    if (name === '') put(`${at}.name`, 'Name the argument (or remove it).');
    else if (seen.has(name)) put(`${at}.name`, `Another argument is already called ${name}.`);
    else put(`${at}.name`, tooLong(name, LIMITS.argumentName));
    seen.add(name);
    put(`${at}.type`, tooLong(a.type.trim(), LIMITS.argumentType));
    put(`${at}.description`, tooLong(a.description, LIMITS.argumentDescription));
    put(`${at}.default`, tooLong(a.default, LIMITS.argumentDefault));
  });

  if (d.dependencies.length > LIMITS.dependencies)
    put('dependencies', `At most ${LIMITS.dependencies} dependencies.`);
  d.dependencies.forEach((x, i) => {
    const at = `dependencies.${i}`;
    if (!x.description.trim() && !x.prereqCommand.trim() && !x.getPrereqCommand.trim())
      put(`${at}.description`, 'Describe the dependency or give its commands (or remove it).');
    put(`${at}.description`, tooLong(x.description, LIMITS.dependencyDescription));
    put(`${at}.prereqCommand`, tooLong(x.prereqCommand, LIMITS.command));
    put(`${at}.getPrereqCommand`, tooLong(x.getPrereqCommand, LIMITS.command));
  });
  return errors;
}

/** The form's fields in screen order, to move focus to the first one with a problem. */
export function firstInvalidField(errors: DraftErrors, d: TemplateDraft): string | undefined {
  const order = [
    'name',
    'techniques',
    'description',
    'platforms',
    'tactics',
    'executor',
    'command',
    'cleanupCommand',
    'inputArguments',
    ...d.inputArguments.flatMap((_, i) =>
      ['name', 'type', 'default', 'description'].map((f) => `inputArguments.${i}.${f}`),
    ),
    'dependencies',
    ...d.dependencies.flatMap((_, i) =>
      ['description', 'prereqCommand', 'getPrereqCommand'].map((f) => `dependencies.${i}.${f}`),
    ),
    'elevationRequired',
    'expectedOutcome',
  ];
  return order.find((f) => errors[f]) ?? Object.keys(errors)[0];
}
