import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api';
import {
  countsPhrase,
  describeImportError,
  fileText,
  filterItems,
  groupWarnings,
  resolutionChain,
  tacticPhrase,
  unresolvedItems,
} from './format';
import { buildItem, buildLayer, twoStepRevoked } from './layer-fixtures';

const twoStep = twoStepRevoked(3);
const deprecated = buildItem({
  position: 5,
  originalTechniqueId: 'T1062',
  attackId: null,
  techniqueId: null,
  resolution: 'deprecated',
  tactic: null,
  originalTactic: 'privilege-escalation',
  claimed: false,
  warnings: ['TECHNIQUE_DEPRECATED'],
});
const layer = buildLayer({
  items: [buildItem({ position: 0 }), twoStep, deprecated],
  // In the server's order: the layer's own warning after entry warnings, codes interleaved.
  warnings: [
    { code: 'TACTIC_NOT_APPLICABLE', message: 'T1574.001 is not in defense-evasion', entry: 3 },
    { code: 'TECHNIQUE_DEPRECATED', message: 'T1062 is deprecated in ATT&CK 18.1', entry: 5 },
    { code: 'SOMETHING_NEW', message: 'a code this page does not know' },
    { code: 'LAYER_VERSION_UNKNOWN', message: 'layer format 2.2 is not one this reads' },
  ],
});

describe('the preview of a layer', () => {
  it('writes a revocation chain step by step, and a plain id as itself', () => {
    expect(resolutionChain(twoStep)).toBe('T1073 → T1574.002 → T1574.001');
    expect(resolutionChain(buildItem({ position: 0, originalTechniqueId: 'T1059' }))).toBe('T1059');
    expect(resolutionChain(deprecated)).toBe('T1062');
  });

  it('says where a dropped tactic went, and keeps a tactic that applies', () => {
    expect(tacticPhrase(twoStep)).toBe('defense-evasion → all tactics');
    expect(tacticPhrase(buildItem({ position: 0 }))).toBe('execution');
    expect(tacticPhrase(buildItem({ position: 0, originalTactic: null, tactic: null }))).toBe('all tactics');
  });

  it('groups warnings by code in a fixed order, each with the entry it names', () => {
    const groups = groupWarnings(layer);
    expect(groups.map((g) => g.code)).toEqual([
      'LAYER_VERSION_UNKNOWN',
      'TECHNIQUE_DEPRECATED',
      'TACTIC_NOT_APPLICABLE',
      'SOMETHING_NEW',
    ]);
    expect(groups[0]?.warnings[0]?.item).toBeNull();
    expect(groups[2]?.title).toBe('Tactic dropped (applied to every tactic of the technique)');
    expect(groups[2]?.warnings[0]?.item?.originalTechniqueId).toBe('T1073');
    // An unknown code is still shown, under its own name.
    expect(groups[3]?.title).toBe('SOMETHING_NEW');
  });

  it('reads the vertical tabs of the Navigator samples as line breaks, and drops other control characters', () => {
    expect(fileText('least likely\u000b ATT&CK technique\u0007 <b>')).toBe(
      'least likely\n ATT&CK technique <b>',
    );
  });

  it('lists deprecated and unknown entries as unresolved', () => {
    expect(unresolvedItems(layer.items).map((i) => i.originalTechniqueId)).toEqual(['T1062']);
  });

  it('reads the counts out in the order of the import', () => {
    const counts = {
      ...layer.counts,
      entries: 24,
      active: 13,
      revoked: 10,
      deprecated: 1,
      tacticDropped: 2,
      collisions: 1,
      claimed: 23,
    };
    expect(countsPhrase(counts)).toBe(
      '24 entries, 13 active, 10 revoked → resolved, 1 deprecated, 0 unknown, 2 tactic dropped, 1 collision, 23 claimed',
    );
  });

  it('filters the entries by resolution and claim', () => {
    expect(filterItems(layer.items, {}).length).toBe(3);
    expect(filterItems(layer.items, { resolution: 'revoked' })).toEqual([twoStep]);
    expect(filterItems(layer.items, { claimed: false })).toEqual([deprecated]);
  });
});

describe('an import refused', () => {
  const validation = (path: string, message: string) =>
    new ApiError(400, 'validation_error', `Invalid request: ${path}: ${message}`, {
      issues: [{ path, message }],
    });

  it('names the field the server named, in a sentence', () => {
    expect(
      describeImportError(validation('body.file[1].name', 'file[1].name is required: a layer has a name')),
    ).toBe('file[1].name is required: a layer has a name.');
    expect(describeImportError(validation('body.file', 'the file is not JSON (Unexpected token h)'))).toBe(
      'The file is not JSON (Unexpected token h)',
    );
  });

  it('explains a file over the limit', () => {
    expect(describeImportError(new ApiError(413, 'payload_too_large', 'Request body is too large'))).toMatch(
      /10 MB/,
    );
  });
});
