import { SCORE_COMPONENTS, ScoringConfigValues } from '@aegis/contracts';
import { describe, expect, it } from 'vitest';
import { type AnalysisOutcome, ENTERPRISE_PLATFORMS, OUTCOME_ORDER, type PlatformScope } from '../analysis';
import {
  attackPlatformName,
  DEFAULT_SCORING_CONFIG,
  freshnessValue,
  type RuleGroup,
  type ScoredResult,
  type ScoringConfig,
  type TechniqueScoreInput,
  techniqueScore,
} from './model';
import { actorScore, aggregateScore } from './rollup';

const NOW = new Date('2026-03-01T12:00:00Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);

let ids = 0;
/** A validated test of technique `t` (override anything). */
function buildResult(over: Partial<ScoredResult> & { daysAgo?: number } = {}): ScoredResult {
  const { daysAgo: age = 10, ...rest } = over;
  const id = `test-${String(++ids).padStart(4, '0')}`;
  return {
    id,
    techniqueId: 't',
    state: 'validated',
    templateId: `template-${id}`,
    chainRootId: null,
    platform: 'windows',
    outcome: 'detected',
    executionStartedAt: daysAgo(age),
    validatedAt: daysAgo(Math.max(0, age - 2)),
    ...rest,
  };
}

function buildInput(over: Partial<TechniqueScoreInput> = {}): TechniqueScoreInput {
  return {
    techniqueId: 't',
    platforms: ['Windows'],
    results: [],
    rules: [],
    d3fend: { mapped: 0, implemented: 0, partial: 0, inventoryAssessed: false },
    ...over,
  };
}

const score = (input: TechniqueScoreInput, config: ScoringConfig = DEFAULT_SCORING_CONFIG) =>
  techniqueScore(input, config, NOW, null);

const catalog = (source: string, status: string, count: number): RuleGroup => ({
  source,
  status,
  deployed: false,
  count,
});

/** The catalog rules the spec quotes for a technique: Sigma by status, Elastic production rules. */
const quoted = (sigma: { stable: number; test: number; experimental: number }, elastic: number) => [
  catalog('sigma', 'stable', sigma.stable),
  catalog('sigma', 'test', sigma.test),
  catalog('sigma', 'experimental', sigma.experimental),
  catalog('elastic', 'production', elastic),
];

describe('the default configuration', () => {
  it('is the seed’s, and passes the API’s validation unchanged', () => {
    expect(DEFAULT_SCORING_CONFIG.weights).toEqual({
      tests: 40,
      rules: 20,
      d3fend: 15,
      freshness: 15,
      platform: 10,
    });
    const checked: ScoringConfig = ScoringConfigValues.parse(DEFAULT_SCORING_CONFIG);
    expect(checked).toEqual(DEFAULT_SCORING_CONFIG);
  });
});

describe('worked examples (spec §1.4)', () => {
  it('Ex. 1 — T1059.001 PowerShell scores 72.5', () => {
    const s = score(
      buildInput({
        platforms: ['Windows'],
        results: [
          buildResult({ outcome: 'detected', daysAgo: 40 }),
          buildResult({ outcome: 'prevented', daysAgo: 200 }),
          buildResult({ outcome: 'logged', daysAgo: 10 }),
        ],
        rules: [
          { source: 'sigma', status: 'stable', deployed: true, count: 2 },
          ...quoted({ stable: 4, test: 173, experimental: 3 }, 20),
        ],
        d3fend: { mapped: 11, implemented: 1, partial: 1, inventoryAssessed: true },
      }),
    );
    const c = s.components;
    expect(c.tests.value).toBeCloseTo(2 / 3, 12);
    expect(c.rules.deployed).toBe(2);
    expect(c.rules.catalog).toBeCloseTo(128.7, 9);
    expect(c.rules.value).toBeCloseTo(2 / 3, 12);
    expect(c.d3fend.value).toBe(0.5);
    expect(c.freshness.ageDays).toBe(10);
    expect(c.freshness.value).toBe(1);
    expect(c.platform).toMatchObject({ value: 1, relevant: ['Windows'], covered: ['Windows'] });
    expect(s.applicableWeight).toBe(100);
    expect(Math.abs(s.own - 72.5)).toBeLessThan(1e-9);
    expect(s.warnings).toEqual([]);
  });

  it('Ex. 2 — T1566.001 Spearphishing Attachment scores 59.96 without a D3FEND inventory', () => {
    const s = score(
      buildInput({
        platforms: ['Linux', 'macOS', 'Windows'],
        results: [buildResult({ outcome: 'detected', daysAgo: 120 })],
        rules: quoted({ stable: 1, test: 16, experimental: 2 }, 5),
        d3fend: { mapped: 25, implemented: 0, partial: 0, inventoryAssessed: false },
      }),
    );
    const c = s.components;
    expect(c.rules.catalog).toBeCloseTo(16.2, 9);
    expect(c.rules.value).toBe(0.5);
    expect(c.d3fend).toMatchObject({ value: null, applicable: false, notAssessed: true, points: null });
    expect(c.freshness.value).toBeCloseTo(245 / 335, 12);
    expect(c.platform.value).toBeCloseTo(1 / 3, 12);
    expect(s.applicableWeight).toBe(85);
    const expected = ((40 * 2) / 3 + 20 * 0.5 + (15 * 245) / 335 + 10 / 3) / 85;
    expect(Math.abs(s.own - 100 * expected)).toBeLessThan(1e-9);
    expect(s.own).toBeCloseTo(59.96, 2);
  });

  it('Ex. 3 — T1486, never tested, scores 11.76 from catalog content alone', () => {
    const s = score(
      buildInput({
        platforms: ['ESXi', 'IaaS', 'Linux', 'macOS', 'Windows'],
        rules: [
          catalog('sigma', 'stable', 1),
          catalog('sigma', 'test', 8),
          catalog('sigma', 'experimental', 1),
        ],
        d3fend: { mapped: 0, implemented: 0, partial: 0, inventoryAssessed: true },
      }),
    );
    const c = s.components;
    expect(c.rules.catalog).toBeCloseTo(6.1, 9);
    expect([c.tests.value, c.rules.value, c.d3fend.value, c.freshness.value, c.platform.value]).toEqual([
      0,
      0.5,
      null,
      0,
      0,
    ]);
    expect(c.d3fend.notAssessed).toBe(false);
    expect(c.freshness.ageDays).toBeNull();
    expect(Math.abs(s.own - (20 * 0.5 * 100) / 85)).toBeLessThan(1e-9);
    expect(s.own).toBeCloseTo(11.76, 2);
  });

  it('Ex. 4 — T1059 with 13 sub-techniques aggregates to 18.21', () => {
    const subs = [72.5, 55, ...Array<number>(11).fill(10)];
    const aggregate = aggregateScore(17.5, subs, 'average');
    expect(Math.abs(aggregate - 255 / 14)).toBeLessThan(1e-9);
    expect(aggregate).toBeCloseTo(18.21, 2);
  });

  it('Ex. 5 — G0028 scores 36.25 with half of its techniques validated', () => {
    const a = actorScore([80, 55, 10, 0], 2);
    expect(Math.abs((a.score ?? Number.NaN) - 36.25)).toBeLessThan(1e-9);
    expect(a.coverage).toBe(0.5);
  });
});

describe('freshness (spec §1.2 sample curve, on fixed instants)', () => {
  it.each([
    [0, 1],
    [15, 1],
    [30, 1],
    [60, 0.91],
    [90, 0.821],
    [120, 0.731],
    [180, 0.552],
    [270, 0.284],
    [364, 0.003],
    [365, 0],
    [500, 0],
  ])('a success %i days old is worth %d', (age, worth) => {
    const s = score(buildInput({ results: [buildResult({ outcome: 'prevented', daysAgo: age })] }));
    expect(s.components.freshness.ageDays).toBe(age);
    expect(s.components.freshness.value).toBeCloseTo(worth, 3);
    expect(s.components.freshness.value).toBe(age <= 30 ? 1 : Math.max(0, (365 - age) / 335));
  });

  it('counts fractional days, and an execution after `now` as age 0', () => {
    expect(freshnessValue(30.5, 30, 365)).toBeCloseTo(334.5 / 335, 12);
    const half = score(buildInput({ results: [buildResult({ daysAgo: 30.5 })] }));
    expect(half.components.freshness.ageDays).toBe(30.5);
    const ahead = score(buildInput({ results: [buildResult({ daysAgo: -2 })] }));
    expect(ahead.components.freshness).toMatchObject({ ageDays: 0, value: 1 });
  });

  it('gives a fresh failure no credit: the newest *successful* execution counts', () => {
    const fail = buildResult({ outcome: 'not_detected', daysAgo: 1 });
    const success = buildResult({ outcome: 'logged', daysAgo: 100 });
    const s = score(buildInput({ results: [fail, success] }));
    expect(s.components.freshness).toMatchObject({
      ageDays: 100,
      newestSuccessId: success.id,
      newestSuccessAt: daysAgo(100).toISOString(),
    });
    expect(score(buildInput({ results: [fail] })).components.freshness).toMatchObject({
      ageDays: null,
      value: 0,
    });
  });

  it('follows the configured stale threshold and grace period', () => {
    const config = { ...DEFAULT_SCORING_CONFIG, graceDays: 10, staleDays: 110 };
    const s = score(buildInput({ results: [buildResult({ daysAgo: 60 })] }), config);
    expect(s.components.freshness).toMatchObject({ value: 0.5, graceDays: 10, staleDays: 110 });
  });
});

describe('the current result set', () => {
  it('counts the latest run of a procedure only, so a regression shows', () => {
    const first = buildResult({ templateId: 'art-1', outcome: 'prevented', daysAgo: 100 });
    const rerun = buildResult({ templateId: 'art-1', outcome: 'not_detected', daysAgo: 5 });
    const rejected = buildResult({ templateId: 'art-2', outcome: 'prevented', state: 'rejected' });
    const s = score(buildInput({ results: [first, rerun, rejected] }));
    expect(s.components.tests.results.map((r) => r.id)).toEqual([rerun.id]);
    expect(s.components.tests.value).toBe(0);
    expect(s.components.freshness.value).toBe(0);
    expect(s.components.platform.covered).toEqual([]);
  });

  it('uses the configured outcome values', () => {
    const config = {
      ...DEFAULT_SCORING_CONFIG,
      outcomeValues: { prevented: 1, detected: 0.5, logged: 0.25, not_detected: 0 },
    };
    const s = score(buildInput({ results: [buildResult({ outcome: 'detected' })] }), config);
    expect(s.components.tests.value).toBe(0.5);
    expect(s.components.tests.results[0]).toMatchObject({ outcome: 'detected', value: 0.5 });
  });
});

describe('detection rules', () => {
  const rulesOf = (rules: RuleGroup[]) => score(buildInput({ rules })).components.rules;

  it('gives deployed rules full credit at 3 and catalog content at most half', () => {
    expect(rulesOf([]).value).toBe(0);
    expect(rulesOf([{ source: 'custom', status: null, deployed: true, count: 1 }]).value).toBe(1 / 3);
    expect(rulesOf([{ source: 'custom', status: null, deployed: true, count: 7 }]).value).toBe(1);
    expect(rulesOf([catalog('sigma', 'stable', 2)]).value).toBe(0.2);
    expect(rulesOf([catalog('sigma', 'stable', 500)]).value).toBe(0.5);
  });

  it('weighs a catalog rule by its source and status, case-insensitively; unknown ones give nothing', () => {
    const r = rulesOf([
      catalog('Sigma', 'Stable', 1),
      catalog('elastic', 'development', 1),
      catalog('sigma', 'deprecated', 4),
      catalog('elastic', 'deprecated', 4),
      catalog('sigma', 'unsupported', 4),
      catalog('splunk', 'production', 9),
      catalog('sigma', 'nonsense', 9),
      { source: 'sigma', status: null, deployed: false, count: 9 },
    ]);
    expect(r.catalog).toBeCloseTo(1.3, 12);
    expect(r.groups.map((g) => g.weight)).toEqual([1, 0.3, 0, 0, 0, 0, 0, 0]);
  });

  it('counts a deployed rule whatever its status, and marks its weight as not applying', () => {
    const r = rulesOf([{ source: 'sigma', status: 'deprecated', deployed: true, count: 3 }]);
    expect(r).toMatchObject({ deployed: 3, catalog: 0, value: 1 });
    expect(r.groups[0]?.weight).toBeNull();
  });
});

describe('D3FEND', () => {
  const d3fendOf = (d: TechniqueScoreInput['d3fend'], mode: ScoringConfig['d3fendMode'] = 'inventory') =>
    score(buildInput({ d3fend: d }), { ...DEFAULT_SCORING_CONFIG, d3fendMode: mode }).components.d3fend;

  it('counts implemented countermeasures 1 and partial ones 0.5, up to 3', () => {
    expect(d3fendOf({ mapped: 9, implemented: 0, partial: 3, inventoryAssessed: true }).value).toBe(0.5);
    expect(d3fendOf({ mapped: 9, implemented: 5, partial: 0, inventoryAssessed: true }).value).toBe(1);
    expect(d3fendOf({ mapped: 9, implemented: 0, partial: 0, inventoryAssessed: true }).value).toBe(0);
  });

  it('leaves D3FEND out when nothing is mapped or the inventory is empty', () => {
    expect(d3fendOf({ mapped: 0, implemented: 0, partial: 0, inventoryAssessed: true })).toMatchObject({
      value: null,
      notAssessed: false,
    });
    expect(d3fendOf({ mapped: 7, implemented: 0, partial: 0, inventoryAssessed: false })).toMatchObject({
      value: null,
      notAssessed: true,
    });
  });

  it('in catalog mode counts the mappings up to 5, whatever the inventory says', () => {
    expect(
      d3fendOf({ mapped: 11, implemented: 0, partial: 0, inventoryAssessed: false }, 'catalog'),
    ).toMatchObject({ value: 1, mode: 'catalog', saturation: 5, notAssessed: false });
    expect(
      d3fendOf({ mapped: 3, implemented: 3, partial: 0, inventoryAssessed: true }, 'catalog').value,
    ).toBe(0.6);
    expect(
      d3fendOf({ mapped: 0, implemented: 0, partial: 0, inventoryAssessed: true }, 'catalog').value,
    ).toBe(null);
  });
});

describe('platforms', () => {
  it.each([
    ['windows', 'Windows'],
    ['linux', 'Linux'],
    ['macos', 'macOS'],
    ['darwin', 'macOS'],
    ['iaas:aws', 'IaaS'],
    ['iaas:azure', 'IaaS'],
    ['iaas:gcp', 'IaaS'],
    ['azure-ad', 'Identity Provider'],
    ['office-365', 'Office Suite'],
    ['google-workspace', 'SaaS'],
    ['containers', 'Containers'],
    ['esxi', 'ESXi'],
    ['network-devices', 'Network Devices'],
    ['Identity Provider', 'Identity Provider'],
    [' WINDOWS ', 'Windows'],
    ['solaris', null],
    ['', null],
    [null, null],
  ])('%j is the ATT&CK platform %j', (given, attack) => {
    expect(attackPlatformName(given)).toBe(attack);
  });

  it('covers the platforms of successful tests among RP(t) = the technique’s platforms in scope', () => {
    const input = buildInput({
      platforms: ['Windows', 'Linux', 'macOS', 'PRE'],
      results: [
        buildResult({ platform: 'windows', outcome: 'logged' }),
        buildResult({ platform: 'Linux', outcome: 'not_detected' }),
      ],
    });
    expect(score(input).components.platform).toMatchObject({
      relevant: ['Windows', 'Linux', 'macOS'],
      covered: ['Windows'],
    });
    expect(score(input).components.platform.value).toBeCloseTo(1 / 3, 12);
    const scoped = techniqueScore(input, DEFAULT_SCORING_CONFIG, NOW, ['linux', 'Windows']);
    expect(scoped.components.platform).toMatchObject({ relevant: ['Windows', 'Linux'], value: 0.5 });
  });
});

describe('edge cases (spec §1.6)', () => {
  it('never counts a test of the parent for a sub-technique', () => {
    const parentTest = buildResult({ techniqueId: 'T1059', outcome: 'prevented' });
    const sub = score(buildInput({ techniqueId: 'T1059.001', results: [parentTest] }));
    expect(sub.components.tests).toMatchObject({ value: 0, results: [] });
    expect(sub.warnings).toEqual([
      expect.objectContaining({ code: 'other_technique', testId: parentTest.id }),
    ]);
    const parent = score(buildInput({ techniqueId: 'T1059', results: [parentTest] }));
    expect(parent.components.tests.value).toBe(1);
  });

  it('is c_T × 100 when every other component is left out (or weighs nothing)', () => {
    // c_R and c_F never are null (0 when there is nothing), so they are weighed out here.
    const config = {
      ...DEFAULT_SCORING_CONFIG,
      weights: { ...DEFAULT_SCORING_CONFIG.weights, rules: 0, freshness: 0 },
    };
    const s = score(
      buildInput({
        platforms: ['PRE'],
        results: [buildResult({ outcome: 'detected' }), buildResult({ outcome: 'logged' })],
        rules: [catalog('sigma', 'stable', 50)],
        d3fend: { mapped: 0, implemented: 0, partial: 0, inventoryAssessed: true },
      }),
      config,
    );
    expect(s.components.platform.value).toBeNull();
    expect(s.components.d3fend.value).toBeNull();
    expect(Math.abs(s.own - 50)).toBeLessThan(1e-9);
  });

  it('counts a Linux test of a Windows-only technique in c_T, not in c_P, and warns', () => {
    const linux = buildResult({ platform: 'linux', outcome: 'prevented' });
    const s = score(buildInput({ platforms: ['Windows'], results: [linux] }));
    expect(s.components.tests.value).toBe(1);
    expect(s.components.platform).toMatchObject({ value: 0, covered: [] });
    expect(s.warnings).toEqual([
      expect.objectContaining({ code: 'platform_outside_relevant', testId: linux.id, platform: 'Linux' }),
    ]);
  });

  it('warns about a test platform that names no ATT&CK platform', () => {
    const odd = buildResult({ platform: 'solaris' });
    const s = score(buildInput({ results: [odd] }));
    expect(s.warnings).toEqual([
      expect.objectContaining({ code: 'platform_unknown', testId: odd.id, platform: 'solaris' }),
    ]);
  });

  it('scores 0 with a warning when no applicable component has weight', () => {
    const config = {
      ...DEFAULT_SCORING_CONFIG,
      weights: { tests: 0, rules: 0, d3fend: 100, freshness: 0, platform: 0 },
    };
    const s = score(buildInput({ results: [buildResult({ outcome: 'prevented' })] }), config);
    expect(s.own).toBe(0);
    expect(s.applicableWeight).toBe(0);
    expect(s.warnings).toEqual([expect.objectContaining({ code: 'no_applicable_weight' })]);
  });
});

// ── Properties (spec §1.7), over many seeded random inputs ───────────────────────────────────────

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;
  const some = <T>(xs: readonly T[]) => xs.filter(() => next() < 0.4);
  return { next, int, pick, some };
}
type Rand = ReturnType<typeof prng>;

const TEST_PLATFORMS = [
  'windows',
  'Linux',
  'macos',
  'iaas:aws',
  'azure-ad',
  'esxi',
  'containers',
  'solaris',
  null,
];

function randomResult(r: Rand): ScoredResult {
  return buildResult({
    techniqueId: r.next() < 0.9 ? 't' : 'parent',
    state: r.next() < 0.85 ? 'validated' : r.pick(['rejected', 'blue_review', 'draft']),
    templateId: r.next() < 0.8 ? r.pick(['a', 'b', 'c', 'd']) : null,
    chainRootId: r.pick([null, 'chain-1', 'chain-2']),
    platform: r.pick(TEST_PLATFORMS),
    outcome: r.next() < 0.95 ? r.pick(OUTCOME_ORDER) : null,
    daysAgo: r.next() * 600 - 5,
    ...(r.next() < 0.05 ? { executionStartedAt: null } : {}),
  });
}

function randomCase(r: Rand): { input: TechniqueScoreInput; config: ScoringConfig; scope: PlatformScope } {
  const mapped = r.int(0, 20);
  const implemented = r.int(0, mapped);
  const outcomeValues = [r.next(), r.next(), r.next(), r.next()].sort((x, y) => y - x);
  const graceDays = r.int(0, 60);
  const weights = {
    tests: r.int(0, 100),
    rules: r.int(0, 100),
    d3fend: r.int(0, 100),
    freshness: r.int(0, 100),
    platform: r.int(0, 100),
  };
  if (Object.values(weights).every((w) => w === 0)) weights.tests = 1;
  return {
    scope: r.next() < 0.5 ? null : r.some(ENTERPRISE_PLATFORMS),
    config: {
      ...DEFAULT_SCORING_CONFIG,
      weights,
      outcomeValues: Object.fromEntries(OUTCOME_ORDER.map((o, i) => [o, outcomeValues[i]])) as Record<
        AnalysisOutcome,
        number
      >,
      ruleDeployedSat: 0.5 + r.next() * 10,
      ruleCatalogSat: 0.5 + r.next() * 10,
      d3fendSat: 0.5 + r.next() * 10,
      graceDays,
      staleDays: graceDays + r.int(1, 500),
      d3fendMode: r.pick(['inventory', 'catalog'] as const),
    },
    input: buildInput({
      platforms: [...new Set([r.pick(ENTERPRISE_PLATFORMS), ...r.some(ENTERPRISE_PLATFORMS)])],
      results: Array.from({ length: r.int(0, 7) }, () => randomResult(r)),
      rules: Array.from({ length: r.int(0, 5) }, () => ({
        source: r.pick(['sigma', 'elastic', 'custom']),
        status: r.pick(['stable', 'test', 'experimental', 'production', 'development', 'deprecated', null]),
        deployed: r.next() < 0.3,
        count: r.int(0, 60),
      })),
      d3fend: {
        mapped,
        implemented,
        partial: r.int(0, mapped - implemented),
        inventoryAssessed: r.next() < 0.7,
      },
    }),
  };
}

const CASES = 3000;
const forEachCase = (seed: number, check: (c: ReturnType<typeof randomCase>, r: Rand, i: number) => void) => {
  const r = prng(seed);
  for (let i = 0; i < CASES; i++) check(randomCase(r), r, i);
};

describe('properties (spec §1.7)', () => {
  it('a validated prevented result for a new procedure never lowers S_own', () => {
    forEachCase(1, ({ input, config, scope }, r, i) => {
      const before = techniqueScore(input, config, NOW, scope).own;
      const added = buildResult({
        templateId: `new-procedure-${i}`,
        outcome: 'prevented',
        platform: r.pick(TEST_PLATFORMS),
        daysAgo: r.next() * 600 - 5,
      });
      const after = techniqueScore({ ...input, results: [...input.results, added] }, config, NOW, scope).own;
      expect(after, `case ${i}`).toBeGreaterThanOrEqual(before - 1e-9);
    });
  });

  it('keeps every score in [0, 100] and every component in [0, 1], whatever the weights', () => {
    forEachCase(2, ({ input, config, scope }, _r, i) => {
      const s = techniqueScore(input, config, NOW, scope);
      expect(s.own, `case ${i}`).toBeGreaterThanOrEqual(0);
      expect(s.own, `case ${i}`).toBeLessThanOrEqual(100 + 1e-9);
      let points = 0;
      for (const name of SCORE_COMPONENTS) {
        const { value } = s.components[name];
        if (value === null) continue;
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        points += s.components[name].points ?? 0;
      }
      // The breakdown adds up: a user can recompute the score from its points.
      expect(Math.abs(points - s.own), `case ${i}`).toBeLessThan(1e-9);
    });
  });

  it('renormalising equals computing with the null components’ weights removed', () => {
    let checked = 0;
    forEachCase(3, ({ input, config, scope }, _r, i) => {
      const s = techniqueScore(input, config, NOW, scope);
      const left = SCORE_COMPONENTS.filter((name) => s.components[name].value === null);
      if (left.length === 0 || s.applicableWeight === 0) return;
      checked++;
      const weights = { ...config.weights };
      for (const name of left) weights[name] = 0;
      const removed = techniqueScore(input, { ...config, weights }, NOW, scope);
      expect(Math.abs(removed.own - s.own), `case ${i}`).toBeLessThan(1e-9);
      const manual =
        SCORE_COMPONENTS.reduce((sum, name) => sum + weights[name] * (s.components[name].value ?? 0), 0) /
        SCORE_COMPONENTS.reduce((sum, name) => sum + weights[name], 0);
      expect(Math.abs(100 * manual - s.own), `case ${i}`).toBeLessThan(1e-9);
    });
    expect(checked).toBeGreaterThan(CASES / 5);
  });
});
