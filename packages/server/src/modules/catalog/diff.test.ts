import { describe, expect, it } from 'vitest';
import { isDue } from './data-sources.service';
import { planSync } from './diff';

const row = (key: string, contentHash: string, removed = false, unresolvedAttackIds: string[] = []) => ({
  key,
  contentHash,
  removed,
  unresolvedAttackIds,
});
const item = (key: string, contentHash: string, unresolvedAttackIds: string[] = []) => ({
  key,
  contentHash,
  unresolvedAttackIds,
});

describe('planSync', () => {
  it('sorts items into added, updated, unchanged and removed', () => {
    const plan = planSync(
      [row('a', '1'), row('b', '1'), row('c', '1'), row('gone-before', '1', true)],
      [item('a', '1'), item('b', '2'), item('d', '1')],
    );
    expect(plan.added.map((i) => i.key)).toEqual(['d']);
    expect(plan.updated.map((i) => i.key)).toEqual(['b']);
    expect(plan.unchanged).toBe(1);
    // Already-removed rows are not removed twice.
    expect(plan.removed).toEqual(['c']);
  });

  it('restores a removed row that upstream brought back, as an update', () => {
    const plan = planSync([row('a', '1', true)], [item('a', '1')]);
    expect(plan.updated.map((i) => i.key)).toEqual(['a']);
    expect(plan.unchanged).toBe(0);
  });

  it('updates a row whose ATT&CK ids resolve differently now, even with the same upstream text', () => {
    const plan = planSync([row('a', '1', false, ['T1999'])], [item('a', '1', [])]);
    expect(plan.updated).toHaveLength(1);
  });

  it('keeps the first of two items claiming one key and reports the other', () => {
    const plan = planSync([], [item('a', '1'), item('a', '2')]);
    expect(plan.added).toEqual([item('a', '1')]);
    expect(plan.duplicates).toEqual([item('a', '2')]);
  });
});

describe('isDue', () => {
  const now = new Date('2026-03-10T12:30:00Z');
  it('is due when the schedule fired since the last sync', () => {
    expect(isDue('0 12 * * *', new Date('2026-03-10T11:00:00Z'), now, 'UTC')).toBe(true);
    expect(isDue('0 12 * * *', new Date('2026-03-10T12:05:00Z'), now, 'UTC')).toBe(false);
  });
  it('is due at once for a source never synced', () => {
    expect(isDue('0 3 * * 1', null, now, 'UTC')).toBe(true);
  });
  it('reads the schedule in the configured time zone', () => {
    // 12:00 in Paris is 11:00 UTC (winter time), fired since 10:30 UTC; 14:00 Paris (13:00 UTC) is still to come.
    expect(isDue('0 12 * * *', new Date('2026-03-10T10:30:00Z'), now, 'Europe/Paris')).toBe(true);
    expect(isDue('0 14 * * *', new Date('2026-03-10T10:30:00Z'), now, 'Europe/Paris')).toBe(false);
  });
});
