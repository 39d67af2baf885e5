import { describe, expect, it } from 'vitest';
import { summarizeImportRun } from './import-runs';

const counts = (byType: Record<string, object>, unchanged = false) => ({ byType, unchanged });

describe('import run summary', () => {
  it('says "No changes" when the release matched what was stored', () => {
    expect(
      summarizeImportRun({
        status: 'succeeded',
        errors: [],
        counts: counts({ 'attack-pattern': { added: 0, changed: 0, unchanged: 900, removed: 0 } }, true),
      }),
    ).toBe('No changes');
  });

  it('sums what changed over every STIX type', () => {
    expect(
      summarizeImportRun({
        status: 'succeeded',
        errors: ['bad object'],
        counts: counts({
          'attack-pattern': { added: 3, changed: 5, unchanged: 10, removed: 1 },
          relationship: { added: 7, changed: 0, unchanged: 2, removed: 0 },
        }),
      }),
    ).toBe('10 added, 5 changed, 1 removed, 1 invalid object skipped');
  });

  it('gives the error of a failed run and nothing for a moving one', () => {
    expect(summarizeImportRun({ status: 'failed', errors: ['Could not reach x'], counts: {} })).toBe(
      'Could not reach x',
    );
    expect(summarizeImportRun({ status: 'running', errors: [], counts: {} })).toBe('—');
  });
});
