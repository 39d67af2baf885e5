import { describe, expect, it } from 'vitest';
import { tokenState } from '../pages/ApiTokensPage';
import { dayBoundary } from '../pages/AuditLogPage';
import { shownCounts } from '../pages/DataSourcesPage';
import { describeDiffEntry } from '../pages/ImportRunPage';
import { compactJson, formatDuration } from './ui';

describe('system helpers', () => {
  it('describes each kind of ATT&CK diff entry in words', () => {
    const t = { stixId: 'attack-pattern--1', attackId: 'T1001', name: 'New name' };
    expect(describeDiffEntry('added', t)).toBe('T1001 New name');
    expect(describeDiffEntry('renamed', { ...t, from: 'Old name', fromAttackId: 'T0999' })).toBe(
      'T1001 New name (was T0999 Old name)',
    );
    expect(describeDiffEntry('moved', { ...t, from: ['execution'], to: ['stealth', 'persistence'] })).toBe(
      'T1001 New name: execution → stealth, persistence',
    );
    expect(describeDiffEntry('revoked', { ...t, by: { attackId: 'T2000', name: 'Successor' } })).toBe(
      'T1001 New name → T2000 Successor',
    );
  });

  it('turns date inputs into an inclusive day range', () => {
    expect(dayBoundary('', false)).toBeUndefined();
    const from = new Date(dayBoundary('2026-03-01', false) ?? '');
    const to = new Date(dayBoundary('2026-03-01', true) ?? '');
    expect(to.getTime() - from.getTime()).toBeGreaterThanOrEqual(23 * 3600_000);
    expect(from.getDate()).toBe(1);
  });

  it('tells active, expired and revoked tokens apart', () => {
    const base = {
      id: '00000000-0000-4000-8000-000000000001',
      name: 'x',
      prefix: 'aegis_pat_ab',
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-02-01T00:00:00.000Z',
      lastUsedAt: null,
      revokedAt: null,
    };
    const now = Date.parse('2026-01-15T00:00:00.000Z');
    expect(tokenState(base, now)).toBe('active');
    expect(tokenState(base, Date.parse('2026-03-01T00:00:00.000Z'))).toBe('expired');
    expect(tokenState({ ...base, revokedAt: '2026-01-10T00:00:00.000Z' }, now)).toBe('revoked');
  });

  it('formats JSON compactly and durations for people', () => {
    expect(compactJson({ a: 1, b: ['x'] })).toBe('{"a":1,"b":["x"]}');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(420)).toBe('420 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });

  it("shows a source's live items and only the counts that are not zero", () => {
    expect(shownCounts({ added: 3, items: 3, errors: 0, removed: 0, unresolved: 1 })).toEqual([
      ['added', 3],
      ['items', 3],
      ['unresolved', 1],
    ]);
    expect(shownCounts({ items: 0, unchanged: 0 })).toEqual([['items', 0]]);
  });
});
