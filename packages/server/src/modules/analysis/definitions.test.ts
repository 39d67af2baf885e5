import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  type AnalysisOutcome,
  assertTimeZone,
  bestOutcome,
  bucketOf,
  bucketsBetween,
  coverageRank,
  currentResultSet,
  DEFAULT_OUTCOME_VALUES,
  display,
  inScope,
  isoWeek,
  isTested,
  overallOutcome,
  type ResultCandidate,
  ratio,
  stamp,
  startOfLocalDay,
  techniqueInScope,
} from './definitions';

describe('outcomes (spec 0.1)', () => {
  it.each<[AnalysisOutcome[], AnalysisOutcome | null]>([
    [[], null],
    [['not_detected'], 'not_detected'],
    [['logged', 'detected', 'not_detected'], 'detected'],
    [['logged', 'prevented', 'detected'], 'prevented'],
    [['logged', 'logged'], 'logged'],
  ])('the best of %j is %s', (outcomes, best) => {
    expect(bestOutcome(outcomes)).toBe(best);
  });

  it('takes blue’s explicit overall outcome over the tools, and the tools over an implicit one', () => {
    expect(overallOutcome({ outcome: 'logged', outcomeExplicit: true, toolOutcomes: ['prevented'] })).toBe(
      'logged',
    );
    expect(overallOutcome({ outcome: 'logged', outcomeExplicit: false, toolOutcomes: ['prevented'] })).toBe(
      'prevented',
    );
    expect(overallOutcome({ outcome: 'detected', outcomeExplicit: false, toolOutcomes: [] })).toBe(
      'detected',
    );
    expect(overallOutcome({ outcome: null, outcomeExplicit: false, toolOutcomes: [] })).toBeNull();
  });

  it('values outcomes as PurpleOps 3/2/1/0 over 3', () => {
    expect(Object.values(DEFAULT_OUTCOME_VALUES).map((v) => v * 3)).toEqual([3, 2, 1, 0]);
  });
});

describe('current result set CR(t) (spec 0.2)', () => {
  const at = (s: string | null) => (s ? new Date(s) : null);
  const test = (
    id: string,
    over: Partial<Omit<ResultCandidate, 'executionStartedAt' | 'validatedAt'>> & {
      started?: string | null;
      validated?: string | null;
    } = {},
  ): ResultCandidate => ({
    id,
    state: over.state ?? 'validated',
    templateId: over.templateId ?? null,
    chainRootId: over.chainRootId ?? null,
    platform: over.platform ?? 'Windows',
    executionStartedAt: at(over.started === undefined ? '2026-01-01T10:00:00Z' : over.started),
    validatedAt: at(over.validated === undefined ? '2026-01-02T10:00:00Z' : over.validated),
  });
  const ids = (tests: ResultCandidate[]) =>
    currentResultSet(tests)
      .map((t) => t.id)
      .sort();

  it.each<[string, ResultCandidate[], string[]]>([
    ['nothing validated: empty', [test('a', { state: 'in_review' }), test('b', { state: 'rejected' })], []],
    [
      'a newer run of the same template replaces the older one',
      [
        test('old', { templateId: 'T', started: '2026-01-01T10:00:00Z' }),
        test('new', { templateId: 'T', started: '2026-03-01T10:00:00Z' }),
      ],
      ['new'],
    ],
    [
      'the same template on another platform is another result',
      [test('win', { templateId: 'T' }), test('lin', { templateId: 'T', platform: 'Linux' })],
      ['lin', 'win'],
    ],
    [
      'platform names compare without case',
      [
        test('a', { templateId: 'T', platform: 'windows', started: '2026-01-01T10:00:00Z' }),
        test('b', { templateId: 'T', platform: 'Windows', started: '2026-02-01T10:00:00Z' }),
      ],
      ['b'],
    ],
    [
      'without a template, a re-test chain is one procedure',
      [
        test('root', { started: '2026-01-01T10:00:00Z' }),
        test('retest', { chainRootId: 'root', started: '2026-02-01T10:00:00Z' }),
        test('other'),
      ],
      ['other', 'retest'],
    ],
    [
      'an in-flight re-run does not hide the last validated one',
      [
        test('done', { templateId: 'T', started: '2026-01-01T10:00:00Z' }),
        test('running', { templateId: 'T', state: 'blue_evaluating', started: '2026-05-01T10:00:00Z' }),
      ],
      ['done'],
    ],
    [
      'same start: the later validation wins, then the larger id',
      [
        test('b', { templateId: 'T', validated: '2026-01-03T00:00:00Z' }),
        test('c', { templateId: 'T', validated: '2026-01-02T00:00:00Z' }),
        test('a', { templateId: 'U' }),
        test('z', { templateId: 'U' }),
      ],
      ['b', 'z'],
    ],
    [
      'a run with a start beats one without',
      [test('nostart', { templateId: 'T', started: null }), test('start', { templateId: 'T' })],
      ['start'],
    ],
  ])('%s', (_name, tests, expected) => {
    expect(ids(tests)).toEqual(expected);
  });
});

describe('scope (spec 0.4)', () => {
  it.each<[string[], readonly string[] | null, boolean]>([
    [['PRE'], null, false],
    [['PRE', 'Windows'], null, true],
    [['Linux'], null, true],
    [['Linux'], ['Windows', 'macOS'], false],
    [['windows'], ['Windows'], true],
    [['PRE'], ['PRE'], true],
    [[], null, false],
  ])('%j in scope %j: %s', (platforms, scope, expected) => {
    expect(inScope(platforms, scope)).toBe(expected);
  });

  it('on Enterprise 18.1, the default scope leaves out the 92 PRE-only techniques, and counts per platform match', () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const file = path.resolve(here, '../../../../../../shared/data/attack/enterprise-attack-18.1.json.gz');
    const bundle = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as {
      objects: Array<{
        type: string;
        revoked?: boolean;
        x_mitre_deprecated?: boolean;
        x_mitre_platforms?: string[];
      }>;
    };
    const active = bundle.objects
      .filter((o) => o.type === 'attack-pattern' && !o.revoked && !o.x_mitre_deprecated)
      .map((o) => ({ revoked: false, deprecated: false, platforms: o.x_mitre_platforms ?? [] }));
    const outOfScope = active.filter((t) => !techniqueInScope(t, null));
    expect(outOfScope).toHaveLength(92);
    expect(outOfScope.every((t) => t.platforms.join() === 'PRE')).toBe(true);
    const perPlatform = (p: string) => active.filter((t) => t.platforms.includes(p)).length;
    expect(
      Object.fromEntries(
        ['Windows', 'macOS', 'Linux', 'ESXi', 'PRE', 'Containers'].map((p) => [p, perPlatform(p)]),
      ),
    ).toEqual({ Windows: 472, macOS: 355, Linux: 354, ESXi: 118, PRE: 92, Containers: 48 });
    expect(active.filter((t) => techniqueInScope(t, ['Containers']))).toHaveLength(48);
  });
});

describe('coverage orderings (spec 0.5)', () => {
  it('ranks validated 2, partial 1, the rest 0; only untested is unknown', () => {
    expect(
      (['validated', 'partial', 'not_covered', 'in_progress', 'untested'] as const).map((s) => [
        coverageRank(s),
        isTested(s),
      ]),
    ).toEqual([
      [2, true],
      [1, true],
      [0, true],
      [0, true],
      [0, false],
    ]);
  });
});

describe('time buckets (spec 0.6)', () => {
  it.each<[number, number, number, string]>([
    [2026, 1, 1, '2026-W01'], // a Thursday: week 1
    [2025, 12, 29, '2026-W01'], // the Monday of that week
    [2027, 1, 1, '2026-W53'], // a Friday: still the last week of 2026
    [2024, 12, 30, '2025-W01'],
    [2021, 1, 3, '2020-W53'],
    [2026, 3, 29, '2026-W13'],
  ])('%i-%i-%i is in ISO week %s', (y, m, d, key) => {
    const [wy, w] = isoWeek(y, m, d);
    expect(`${wy}-W${String(w).padStart(2, '0')}`).toBe(key);
  });

  it('starts a week on local Monday midnight, half-open, across the March DST change in Madrid', () => {
    // 2026-03-29 02:00 CET → 03:00 CEST. 03:30 CEST that Sunday is 01:30 UTC.
    const b = bucketOf(new Date('2026-03-29T01:30:00Z'), 'week', 'Europe/Madrid');
    expect(b).toEqual({
      key: '2026-W13',
      start: new Date('2026-03-22T23:00:00Z'), // Monday 00:00 CET
      end: new Date('2026-03-29T22:00:00Z'), // Monday 00:00 CEST
    });
    expect((b.end.getTime() - b.start.getTime()) / 3_600_000).toBe(167);
    // The last instant of the week is in it; its end is the next week's start.
    expect(bucketOf(new Date(b.end.getTime() - 1), 'week', 'Europe/Madrid').key).toBe('2026-W13');
    expect(bucketOf(b.end, 'week', 'Europe/Madrid').key).toBe('2026-W14');
    // In UTC the same instant is still Sunday of week 13, but the week starts at 00:00Z.
    expect(bucketOf(new Date('2026-03-29T23:30:00Z'), 'week', 'UTC').key).toBe('2026-W13');
    expect(bucketOf(new Date('2026-03-29T23:30:00Z'), 'week', 'Europe/Madrid').key).toBe('2026-W14');
  });

  it('builds months and quarters from local midnights', () => {
    expect(bucketOf(new Date('2026-03-31T22:30:00Z'), 'month', 'Europe/Madrid')).toEqual({
      key: '2026-04',
      start: new Date('2026-03-31T22:00:00Z'),
      end: new Date('2026-04-30T22:00:00Z'),
    });
    expect(bucketOf(new Date('2026-12-31T23:30:00Z'), 'quarter', 'UTC')).toMatchObject({
      key: '2026-Q4',
      end: new Date('2027-01-01T00:00:00Z'),
    });
    expect(bucketOf(new Date('2026-02-10T12:00:00Z'), 'quarter', 'America/New_York')).toEqual({
      key: '2026-Q1',
      start: new Date('2026-01-01T05:00:00Z'),
      end: new Date('2026-04-01T04:00:00Z'),
    });
  });

  it('lists every bucket of a range, contiguous, neither losing nor doubling an instant', () => {
    const weeks = bucketsBetween(
      new Date('2026-03-01T00:00:00Z'),
      new Date('2026-04-15T00:00:00Z'),
      'week',
      'Europe/Madrid',
    );
    expect(weeks.map((w) => w.key)).toEqual([
      '2026-W09',
      '2026-W10',
      '2026-W11',
      '2026-W12',
      '2026-W13',
      '2026-W14',
      '2026-W15',
      '2026-W16',
    ]);
    for (let i = 1; i < weeks.length; i++) expect(weeks[i]?.start).toEqual(weeks[i - 1]?.end);
    // An hourly walk through the DST week lands every instant in exactly one bucket.
    for (let t = Date.parse('2026-03-28T00:00:00Z'); t < Date.parse('2026-03-31T00:00:00Z'); t += 3_600_000) {
      const holding = weeks.filter((w) => w.start.getTime() <= t && t < w.end.getTime());
      expect(holding).toHaveLength(1);
    }
    expect(bucketsBetween(new Date('2026-05-01'), new Date('2026-05-01'), 'month', 'UTC')).toEqual([]);
  });

  it('finds where a local day begins when midnight does not exist (Santiago, September 2026)', () => {
    // Chile moves its clocks from 00:00 to 01:00 on 2026-09-06: the day begins at 01:00 -03.
    expect(startOfLocalDay(2026, 9, 6, 'America/Santiago')).toEqual(new Date('2026-09-06T04:00:00Z'));
    expect(startOfLocalDay(2026, 9, 5, 'America/Santiago')).toEqual(new Date('2026-09-05T04:00:00Z'));
  });

  it('refuses a time zone the runtime does not know', () => {
    expect(() => assertTimeZone('Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => assertTimeZone('Europe/Madrid')).not.toThrow();
  });
});

describe('numbers (spec 0.7, 0.8)', () => {
  it.each<[number | null, number | null]>([
    [0.05, 0.1],
    [0.15, 0.2],
    [2.45, 2.5],
    [-0.05, -0.1],
    [-2.45, -2.5],
    [1.04, 1],
    [66.66666, 66.7],
    [100, 100],
    [0, 0],
    [-0.04, 0],
    [null, null],
    [Number.NaN, null],
  ])('displays %s as %s (one decimal, half away from zero)', (value, shown) => {
    expect(display(value)).toBe(shown);
  });

  it('gives null, not 0, for an empty denominator', () => {
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(0, 4)).toBe(0);
    expect(ratio(1, 4)).toBe(0.25);
  });

  it('stamps a response with its configuration version and computation time', () => {
    expect(stamp(3, new Date('2026-12-03T10:00:00Z'))).toEqual({
      configVersion: 3,
      computedAt: '2026-12-03T10:00:00.000Z',
    });
  });
});
