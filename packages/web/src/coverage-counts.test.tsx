import { describe, expect, it } from 'vitest';

/**
 * Coverage counts come from the server (`GET /api/v1/coverage`, ADR 20): the web shows them and
 * computes none. This reads the web's sources (tests aside) for a count of techniques by coverage
 * status: a counter indexed by a `coverageStatus`, a Map keyed by one, a `byStatus` tally, or the
 * length of a list filtered on one. Reading a status (a badge, a colour, a filter, a sort) stays allowed.
 */
const sources = import.meta.glob<string>(['./**/*.{ts,tsx}', '!./**/*.test.{ts,tsx}'], {
  query: '?raw',
  import: 'default',
  eager: true,
});

const status = String.raw`[\w.?!]*\bcoverageStatus\b`;
const countPatterns = [
  // counts[t.coverageStatus] += 1, ++, or = (… ?? 0) + 1
  new RegExp(String.raw`\[\s*${status}\s*\]\s*(?:\+\+|\+=|-=|=(?!=))`, 'g'),
  // byStatus.set(t.coverageStatus, …)
  new RegExp(String.raw`\.set\(\s*${status}\s*,`, 'g'),
  // a tally named for it
  /\bbyStatus\b/g,
  // techniques.filter((t) => t.coverageStatus === 'validated').length
  new RegExp(String.raw`\.filter\([^;{}]*${status}[^;{}]*\)\s*\.length\b`, 'g'),
];

/** The places one source text counts coverage statuses: `line: text`. */
export function statusCounts(text: string): string[] {
  return countPatterns
    .flatMap((p) => [...text.matchAll(p)])
    .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
    .map((m) => `${text.slice(0, m.index).split('\n').length}: ${m[0].replace(/\s+/g, ' ')}`);
}

describe('coverage counts', () => {
  it('no web source counts techniques by coverage status (ask GET /coverage)', () => {
    const found = Object.entries(sources).flatMap(([file, text]) =>
      statusCounts(text).map((line) => `${file}:${line}`),
    );
    expect(found).toEqual([]);
  });

  it('reads the web sources it is meant to guard', () => {
    const files = Object.keys(sources);
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain('./features/dashboard/pages/DashboardPage.tsx');
    expect(files.filter((f) => f.endsWith('.test.tsx'))).toEqual([]);
  });

  it('catches the counts the web used to make', () => {
    // The dashboard's status overview and its tactic chart, the control and defense pages, the
    // threat actor's filters.
    expect(
      statusCounts(
        [
          'const byStatus = new Map<string, number>();',
          'for (const t of techniques.data ?? [])',
          '  byStatus.set(t.coverageStatus, (byStatus.get(t.coverageStatus) ?? 0) + 1);',
        ].join('\n'),
      ),
    ).toEqual(['1: byStatus', '3: byStatus', '3: .set(t.coverageStatus,', '3: byStatus']);
    expect(statusCounts('      row[technique.coverageStatus] += 1;')).toEqual([
      '1: [technique.coverageStatus] +=',
    ]);
    expect(statusCounts('for (const t of techniques) counts[t.coverageStatus] += 1;')).toHaveLength(1);
    expect(
      statusCounts('for (const t of techniques) out[t.coverageStatus] = (out[t.coverageStatus] ?? 0) + 1;'),
    ).toEqual(['1: [t.coverageStatus] =']);
    expect(statusCounts('tally[sub.coverageStatus]++;')).toHaveLength(1);
    expect(
      statusCounts("const validated = techniques.filter((t) => t.coverageStatus === 'validated').length;"),
    ).toHaveLength(1);
  });

  it('leaves alone reading a status: badges, colours, filters, sorts', () => {
    expect(
      statusCounts(
        [
          '<CoverageBadge status={t.coverageStatus} />',
          'const style = coverageStyles[technique.coverageStatus];',
          'className={coverageStyles[sub.coverageStatus].cell}',
          'data-status={technique.coverageStatus}',
          'if (filters.status && technique.coverageStatus !== filters.status) return false;',
          'const rows = techniques.filter((t) => !status || t.coverageStatus === status).sort(compare[sort.key]);',
          'coverageOrder.indexOf(a.coverageStatus) - coverageOrder.indexOf(b.coverageStatus)',
          'if (coverageStyles[t.coverageStatus] === undefined) return;',
          '<td>{group.counts[s]}</td>',
        ].join('\n'),
      ),
    ).toEqual([]);
  });
});
