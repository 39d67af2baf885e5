import type { TestTemplate } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import {
  draftFrom,
  emptyDraft,
  firstInvalidField,
  newArgument,
  newDependency,
  type TemplateDraft,
  toCreateBody,
  toUpdateBody,
  validateDraft,
} from './templateForm';

const stored: TestTemplate = {
  id: '10000000-0000-4000-8000-000000000001',
  source: 'custom',
  sourceId: '20000000-0000-4000-8000-000000000002',
  name: 'Encoded PowerShell',
  platforms: ['windows'],
  tactics: ['execution'],
  executor: 'powershell',
  techniques: [{ id: '30000000-0000-4000-8000-000000000003', attackId: 'T1059.001', name: 'PowerShell' }],
  active: true,
  isCustom: true,
  removedAt: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
  description: 'Runs an encoded command.',
  command: 'powershell -enc #{payload}',
  cleanupCommand: null,
  inputArguments: [{ name: 'payload', description: 'Base64 text', type: 'string', default: 'SQBFAFgA' }],
  dependencies: [],
  variants: null,
  sourceTactics: ['execution'],
  elevationRequired: false,
  expectedOutcome: 'detected',
  path: null,
  url: null,
  unresolvedAttackIds: [],
  createdBy: null,
  createdAt: '2026-01-01T00:00:00.000Z',
};

const valid = (): TemplateDraft => ({
  ...emptyDraft(),
  name: '  Whoami discovery  ',
  techniques: [{ attackId: 'T1033', name: 'System Owner/User Discovery' }],
});

describe('template form: validation', () => {
  it('explains a blank name and a missing technique in words', () => {
    expect(validateDraft(emptyDraft())).toEqual({
      name: 'Give the template a name.',
      techniques: 'Choose at least one ATT&CK technique.',
    });
    expect(validateDraft({ ...emptyDraft(), name: '   ' }).name).toBe('Give the template a name.');
    expect(validateDraft(valid())).toEqual({});
  });

  it('applies the API limits with the count in the message', () => {
    const errors = validateDraft({
      ...valid(),
      name: 'x'.repeat(301),
      techniques: Array.from({ length: 51 }, (_, i) => ({ attackId: `T${1000 + i}` })),
      command: 'y'.repeat(50_001),
    });
    expect(errors.name).toBe('At most 300 characters (this has 301).');
    expect(errors.techniques).toBe('At most 50 techniques (this has 51).');
    expect(errors.command).toBe('At most 50,000 characters (this has 50,001).');
  });

  it('keys row problems like the server paths and flags duplicate argument names', () => {
    const draft = {
      ...valid(),
      inputArguments: [
        { ...newArgument(), name: 'path' },
        { ...newArgument(), name: ' path ' },
        { ...newArgument(), name: '' },
      ],
      dependencies: [newDependency()],
    };
    const errors = validateDraft(draft);
    expect(errors).toEqual({
      'inputArguments.1.name': 'Another argument is already called path.',
      'inputArguments.2.name': 'Name the argument (or remove it).',
      'dependencies.0.description': 'Describe the dependency or give its commands (or remove it).',
    });
    expect(firstInvalidField(errors, draft)).toBe('inputArguments.1.name');
  });

  it('finds the first problem in screen order', () => {
    const d = { ...emptyDraft(), inputArguments: [newArgument()] };
    expect(firstInvalidField(validateDraft(d), d)).toBe('name');
  });
});

describe('template form: serialisation', () => {
  it('sends trimmed names, nulls for empty texts and techniques as ATT&CK ids', () => {
    const body = toCreateBody({
      ...valid(),
      executor: ' sh ',
      command: 'whoami',
      cleanupCommand: '   ',
      inputArguments: [{ ...newArgument(), name: ' user ', type: '', default: '' }],
      dependencies: [{ ...newDependency(), description: 'A shell', prereqCommand: 'which sh' }],
    });
    expect(body).toEqual({
      name: 'Whoami discovery',
      description: '',
      techniques: ['T1033'],
      tactics: [],
      platforms: [],
      executor: 'sh',
      command: 'whoami',
      cleanupCommand: null,
      inputArguments: [{ name: 'user', type: 'string', description: '', default: null }],
      dependencies: [{ description: 'A shell', prereqCommand: 'which sh', getPrereqCommand: null }],
      elevationRequired: false,
      expectedOutcome: null,
    });
  });

  it('starts from a technique given in the URL', () => {
    expect(emptyDraft('T1105').techniques).toEqual([{ attackId: 'T1105' }]);
  });

  it('round-trips a stored template unchanged, so an untouched edit sends nothing', () => {
    const draft = draftFrom(stored);
    expect(draft.techniques).toEqual([{ attackId: 'T1059.001', name: 'PowerShell' }]);
    expect(draft.inputArguments[0]?.default).toBe('SQBFAFgA');
    expect(draft.cleanupCommand).toBe('');
    expect(draft.expectedOutcome).toBe('detected');
    expect(toUpdateBody(stored, draft)).toBeNull();
  });

  it('sends the expected outcome, and null to clear it', () => {
    expect(toUpdateBody(stored, { ...draftFrom(stored), expectedOutcome: 'prevented' })).toEqual({
      expectedOutcome: 'prevented',
    });
    expect(toUpdateBody(stored, { ...draftFrom(stored), expectedOutcome: '' })).toEqual({
      expectedOutcome: null,
    });
  });

  it('patches only the fields that changed', () => {
    const draft = draftFrom(stored);
    const patch = toUpdateBody(stored, {
      ...draft,
      name: 'Encoded PowerShell v2',
      techniques: [...draft.techniques, { attackId: 'T1027' }],
      inputArguments: draft.inputArguments.map((a) => ({ ...a, default: 'ZQBjAGgAbwA=' })),
    });
    expect(patch).toEqual({
      name: 'Encoded PowerShell v2',
      techniques: ['T1059.001', 'T1027'],
      inputArguments: [
        { name: 'payload', type: 'string', description: 'Base64 text', default: 'ZQBjAGgAbwA=' },
      ],
    });
  });
});
