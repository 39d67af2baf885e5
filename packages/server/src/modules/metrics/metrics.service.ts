import type {
  CoverageReport,
  DataIntegrity,
  DurationFigure,
  ExecutiveDashboard,
  Figure,
  MetricsFilters,
  MetricsPeriodQuery,
  MetricsSummary,
  MetricTrend,
  OperationalMetrics,
  PipelineMetrics,
  RatioFigure,
  Role,
  TacticMetrics,
  TeamActivity,
  TrendMetric,
  TrendPoint,
  TrendQuery,
  ValidationRates,
} from '@aegis/contracts';
import { ROLE_GROUPS, teamOf } from '@aegis/contracts';
import type { Db } from '../../infra/db';
import { errors } from '../../infra/http';
import { type BucketUnit, bucketsBetween, figure, ratio } from '../analysis';
import { coverageMovers, coverageMoves } from '../coverage';
import {
  activityByUser,
  alertFidelity,
  currentResultFigures,
  type DurationMetric,
  type DurationRow,
  durations,
  integrityIssues,
  metricsFingerprint,
  oldestOpenRemediation,
  openRemediation,
  outcomesByTactic,
  pipelineCohort,
  pipelineSnapshot,
  reviewDecisions,
  type Scope,
  type Span,
  undetectedShare,
  validatedIn,
  velocityTechniques,
} from './metrics.queries';

const DAY_SECONDS = 86_400;
/** A period defaults to the 90 days up to now; a trend or period spans at most ten years. */
const DEFAULT_DAYS = 90;
const MAX_SPAN_MS = 10 * 366 * DAY_SECONDS * 1000;
/** At most this many buckets in one trend: five years of weeks (two years of weeks is 105). */
const MAX_BUCKETS = 260;
const INTEGRITY_LIMIT = 500;
/** Answers kept per process (each until the data it read changes). */
const CACHE_ENTRIES = 200;

export interface MetricsDeps {
  db: Db;
  config: {
    timezone: string;
    attack: { platformScope: readonly string[] | null };
    metrics: { maxDetectDays: number; maxRemediationDays: number };
  };
  /** The analysis configuration's version (the scoring configuration: outcome values), stamped on answers. */
  configVersion: () => Promise<number>;
  /** The organisation's score now (scores) and its in-scope coverage by tactic (coverage): the executive view. */
  organizationScore: () => Promise<{ score: Figure; threatScore: Figure; techniqueCount: number }>;
  coverageByTactic: () => Promise<CoverageReport>;
  /** The organisation score at each snapshot of a span (snapshots), oldest first. */
  organizationTrend: (span: Span) => Promise<ExecutiveDashboard['organization']['trend']>;
  clock?: () => Date;
}

const UNIT: Record<DurationMetric, 'seconds' | 'days'> = {
  mttd: 'seconds',
  'mttd-tool': 'seconds',
  mttp: 'seconds',
  mttr: 'days',
  mttv: 'days',
};

export function createMetricsService(deps: MetricsDeps) {
  const { db } = deps;
  const now = deps.clock ?? (() => new Date());
  const maxSeconds: Record<DurationMetric, number> = {
    mttd: deps.config.metrics.maxDetectDays * DAY_SECONDS,
    'mttd-tool': deps.config.metrics.maxDetectDays * DAY_SECONDS,
    mttp: deps.config.metrics.maxDetectDays * DAY_SECONDS,
    mttr: deps.config.metrics.maxRemediationDays * DAY_SECONDS,
    mttv: deps.config.metrics.maxRemediationDays * DAY_SECONDS,
  };

  /**
   * A period: as asked, or the 90 days up to the end of the current hour (nothing lies in the future,
   * and the same default question asked within the hour is the same question: its answer is reused
   * until the data changes).
   */
  function period(q: MetricsPeriodQuery, at: Date): Span {
    const end = q.to ? new Date(q.to) : new Date(Math.ceil(at.getTime() / 3_600_000) * 3_600_000);
    const start = q.from ? new Date(q.from) : new Date(end.getTime() - DEFAULT_DAYS * DAY_SECONDS * 1000);
    if (start.getTime() >= end.getTime())
      throw errors.validation([{ path: 'from', message: 'must be before to' }]);
    if (end.getTime() - start.getTime() > MAX_SPAN_MS)
      throw errors.validation([{ path: 'from', message: 'the period spans at most ten years' }]);
    return { start, end };
  }

  const FILTERS = ['tactic', 'technique', 'platform', 'tool', 'campaign'] as const;
  const filtersOf = (q: MetricsFilters): MetricsFilters =>
    Object.fromEntries(FILTERS.filter((k) => q[k] !== undefined).map((k) => [k, q[k]]));
  const scopeOf = (filters: MetricsFilters): Scope => ({
    filters,
    platformScope: deps.config.attack.platformScope,
  });

  /** A duration row as the API shows it, in the metric's unit. */
  function duration(metric: DurationMetric, row: DurationRow | undefined): DurationFigure {
    const unit = UNIT[metric];
    const scale = unit === 'days' ? 1 / DAY_SECONDS : 1;
    const of = (v: number | null | undefined) => figure(v === null || v === undefined ? null : v * scale);
    return {
      unit,
      mean: of(row?.mean),
      median: of(row?.median),
      p90: of(row?.p90),
      n: row?.n ?? 0,
      excluded: {
        noTimestamp: row?.noTimestamp ?? 0,
        negative: row?.negative ?? 0,
        outlier: row?.outlier ?? 0,
      },
    };
  }
  const ratioFigure = (numerator: number, denominator: number): RatioFigure => ({
    value: figure(ratio(numerator, denominator)),
    numerator,
    denominator,
  });

  /**
   * Answers are reused until what they read changes: each request first reads the metrics'
   * fingerprint (the last change of tests, remediation, coverage, rules, imports: one statement of
   * index look-ups) and the configuration version; the same question with the same fingerprint gets
   * the answer computed for it (its `computedAt` says when). Concurrent identical questions share one
   * computation. Every figure is still one aggregate statement when computed (ADR 25).
   */
  const cache = new Map<string, { fingerprint: string; value: Promise<unknown> }>();
  async function reuse<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const [data, version] = await Promise.all([metricsFingerprint(db), deps.configVersion()]);
    const fingerprint = `${data}|${version}`;
    const hit = cache.get(key);
    if (hit && hit.fingerprint === fingerprint) {
      cache.delete(key);
      cache.set(key, hit); // most recently used last
      return hit.value as Promise<T>;
    }
    const value = compute();
    const entry = { fingerprint, value };
    cache.set(key, entry);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    value.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return value;
  }
  const keyOf = (kind: string, span: Span, rest: unknown) =>
    JSON.stringify([kind, span.start.toISOString(), span.end.toISOString(), rest]);

  /**
   * An answer about a period and its filters, reused until its data changes: `compute` gives the
   * figures; the period, the configuration version and the instant of computation are added here.
   */
  function answer<T extends object>(
    kind: string,
    q: MetricsPeriodQuery,
    compute: (span: Span, scope: Scope) => Promise<T>,
  ): Promise<T & { from: string; to: string; configVersion: number; computedAt: string }> {
    const span = period(q, now());
    const filters = filtersOf(q);
    return reuse(keyOf(kind, span, filters), async () => {
      const at = now();
      const [figures, configVersion] = await Promise.all([
        compute(span, scopeOf(filters)),
        deps.configVersion(),
      ]);
      return {
        ...figures,
        from: span.start.toISOString(),
        to: span.end.toISOString(),
        configVersion,
        computedAt: at.toISOString(),
      };
    });
  }

  return {
    /** Every operational figure of spec §2.3 for one period: one aggregate statement each. */
    async operational(q: MetricsPeriodQuery): Promise<OperationalMetrics> {
      const span = period(q, now());
      return reuse(keyOf('operational', span, filtersOf(q)), () => computeOperational(q, span));
    },

    /** One metric for every bucket of a range (empty buckets null), buckets in AEGIS_TIMEZONE: one statement. */
    async trend(metric: TrendMetric, q: TrendQuery): Promise<MetricTrend> {
      const span = period(q, now());
      return reuse(keyOf(`trend:${metric}:${q.bucket}:${q.timezone ?? ''}`, span, filtersOf(q)), () =>
        computeTrend(metric, q, span),
      );
    },

    /**
     * The executive view (leads and admin): the organisation's score and coverage now, the period's
     * figures beside the previous period's (the same length, just before), the techniques that moved
     * most and the oldest open remediation.
     */
    async executive(q: Pick<MetricsPeriodQuery, 'from' | 'to'>): Promise<ExecutiveDashboard> {
      const at = now();
      const span = period(q, at);
      const length = span.end.getTime() - span.start.getTime();
      const before = { start: new Date(span.start.getTime() - length), end: span.start };
      const scope = scopeOf({});
      const figures = async (p: Span) => {
        const m = await this.operational({ from: p.start.toISOString(), to: p.end.toISOString() });
        return {
          from: m.from,
          to: m.to,
          mttd: m.mttd,
          mttr: m.mttr,
          efficacy: m.efficacy,
          undetectedShare: m.undetectedShare,
          velocity: m.velocity,
        };
      };
      const [organization, trend, coverageByTactic, current, previous, moved, oldest, version] =
        await Promise.all([
          deps.organizationScore(),
          deps.organizationTrend(span),
          deps.coverageByTactic(),
          figures(span),
          figures(before),
          reuse(keyOf('movers', span, {}), () => coverageMovers(db, span, velocityTechniques(scope), 10)),
          reuse(keyOf('oldest', span, {}), () => oldestOpenRemediation(db, scope)),
          deps.configVersion(),
        ]);
      const move = (m: (typeof moved)[number]) => ({
        technique: { id: m.id, attackId: m.attackId, name: m.name },
        from: m.from,
        to: m.to,
        at: m.at.toISOString(),
      });
      return {
        timezone: deps.config.timezone,
        organization: {
          score: organization.score,
          threatScore: organization.threatScore,
          techniqueCount: organization.techniqueCount,
          trend,
        },
        coverageByTactic,
        current,
        previous,
        improvements: moved.filter((m) => m.direction === 'up').map(move),
        regressions: moved.filter((m) => m.direction === 'down').map(move),
        oldestOpenRemediation: oldest
          ? {
              testId: oldest.test_id,
              title: oldest.title,
              technique: { id: oldest.technique_id, attackId: oldest.attack_id, name: oldest.technique_name },
              openedAt: new Date(oldest.opened_at).toISOString(),
              ageDays: figure((at.getTime() - new Date(oldest.opened_at).getTime()) / (DAY_SECONDS * 1000)),
            }
          : null,
        configVersion: version,
        computedAt: at.toISOString(),
      };
    },

    /** The headline figures for everyone's dashboard: the operational ones, the pipeline now, validations. */
    async summary(q: MetricsPeriodQuery): Promise<MetricsSummary> {
      const span = period(q, now());
      const scope = scopeOf(filtersOf(q));
      const asked = { ...filtersOf(q), from: span.start.toISOString(), to: span.end.toISOString() };
      const [m, snapshot, validated] = await Promise.all([
        this.operational(asked),
        reuse(keyOf('snapshot', span, filtersOf(q)), () => pipelineSnapshot(db, scope)),
        reuse(keyOf('validated', span, filtersOf(q)), () => validatedIn(db, span, scope)),
      ]);
      const { split: _split, ...efficacy } = m.efficacy;
      const { open: _open, ...mttr } = m.mttr;
      return {
        from: m.from,
        to: m.to,
        testsByState: snapshot,
        validatedInPeriod: validated,
        efficacy,
        undetectedShare: m.undetectedShare,
        mttd: m.mttd,
        mttr,
        velocity: m.velocity,
        configVersion: m.configVersion,
        computedAt: m.computedAt,
      };
    },

    /** The period's current results per tactic, with each tactic's efficacy. */
    async byTactic(q: MetricsPeriodQuery): Promise<TacticMetrics> {
      return answer('by-tactic', q, async (span, scope) => ({
        items: (await outcomesByTactic(db, span, scope)).map((r) => ({
          ...r,
          efficacy: ratioFigure(
            r.prevented + r.detected,
            r.prevented + r.detected + r.logged + r.not_detected,
          ),
        })),
      }));
    },

    /** The pipeline now (tests per state) and the period's cohort: steps reached, time in each state. */
    async pipeline(q: MetricsPeriodQuery): Promise<PipelineMetrics> {
      return answer('pipeline', q, async (span, scope) => {
        const [snapshot, cohort] = await Promise.all([
          pipelineSnapshot(db, scope),
          pipelineCohort(db, span, scope),
        ]);
        const steps = ['red_executing', 'blue_evaluating', 'in_review', 'validated'] as const;
        return {
          snapshot,
          cohort: {
            created: cohort.created,
            steps: steps.map((state, i) => {
              const before = steps[i - 1];
              const previous = before === undefined ? cohort.created : cohort.reached[before];
              return {
                state,
                reached: cohort.reached[state],
                fromPrevious: figure(ratio(cohort.reached[state], previous)),
              };
            }),
            timeInState: snapshot.map(({ state }) => {
              const t = cohort.time[state] ?? { median: null, n: 0 };
              return { state, medianHours: figure(t.median === null ? null : t.median / 3600), n: t.n };
            }),
          },
        };
      });
    },

    /**
     * What each team did in the period (tests created, executions and evaluations recorded, votes,
     * evidence, remediation steps done); leads and admin also see it per person.
     */
    async teamActivity(q: Pick<MetricsPeriodQuery, 'from' | 'to'>, role: Role): Promise<TeamActivity> {
      const span = period(q, now());
      const people = await reuse(keyOf('activity', span, {}), async () => ({
        at: now(),
        rows: await activityByUser(db, span),
        version: await deps.configVersion(),
      }));
      const zero = {
        testsCreated: 0,
        executionsRecorded: 0,
        evaluationsRecorded: 0,
        votesCast: 0,
        evidenceUploaded: 0,
        remediationStepsCompleted: 0,
      };
      const teams = (['red', 'blue', 'other'] as const).map((team) => {
        const total = { team, ...zero };
        for (const row of people.rows)
          if ((teamOf(row.role as Role) ?? 'other') === team)
            for (const k of Object.keys(zero) as Array<keyof typeof zero>) total[k] += row[k];
        return total;
      });
      return {
        from: span.start.toISOString(),
        to: span.end.toISOString(),
        teams,
        users: ROLE_GROUPS.leads.includes(role)
          ? people.rows.map((row) => ({ ...row, role: row.role as Role }))
          : null,
        configVersion: people.version,
        computedAt: people.at.toISOString(),
      };
    },

    /** Review decisions in the period: the validation rate, the first-pass rate and lead agreement. */
    async validationRates(q: MetricsPeriodQuery): Promise<ValidationRates> {
      return answer('validation', q, async (span, scope) => {
        const d = await reviewDecisions(db, span, scope);
        return {
          validationRate: ratioFigure(d.validated, d.validated + d.rejected),
          firstPassRate: ratioFigure(d.firstPass, d.validated),
          leadAgreement: ratioFigure(d.agreed, d.bothVoted),
          decisionsWithOneVote: d.validated + d.rejected - d.bothVoted,
        };
      });
    },

    /** The records the time metrics left out in a period, and why: what a lead fixes in the data. */
    async integrity(q: MetricsPeriodQuery): Promise<DataIntegrity> {
      const span = period(q, now());
      return reuse(keyOf('integrity', span, filtersOf(q)), () => computeIntegrity(q, span));
    },
  };

  async function computeOperational(q: MetricsPeriodQuery, span: Span): Promise<OperationalMetrics> {
    const at = now();
    const filters = filtersOf(q);
    const scope = scopeOf(filters);
    const one = [span];
    const [mttd, byTool, mttp, mttr, mttv, open, undetected, results, fidelity, moves, version] =
      await Promise.all([
        durations(db, 'mttd', one, scope, maxSeconds.mttd),
        durations(db, 'mttd-tool', one, scope, maxSeconds['mttd-tool']),
        durations(db, 'mttp', one, scope, maxSeconds.mttp),
        durations(db, 'mttr', one, scope, maxSeconds.mttr),
        durations(db, 'mttv', one, scope, maxSeconds.mttv),
        openRemediation(db, scope, at),
        undetectedShare(db, one, scope),
        currentResultFigures(db, one, scope),
        alertFidelity(db, one, scope),
        coverageMoves(db, one, velocityTechniques(scope)),
        deps.configVersion(),
      ]);
    const r = results[0];
    const u = undetected[0];
    const f = fidelity[0];
    const v = moves[0] ?? { gross: 0, regressions: 0 };
    return {
      from: span.start.toISOString(),
      to: span.end.toISOString(),
      timezone: deps.config.timezone,
      filters,
      mttd: duration('mttd', mttd[0]),
      mttdByTool: byTool
        .filter((row) => row.tool !== null)
        .map((row) => ({ tool: row.tool as string, ...duration('mttd-tool', row) })),
      mttp: duration('mttp', mttp[0]),
      undetectedShare: ratioFigure(u?.numerator ?? 0, u?.denominator ?? 0),
      mttr: {
        ...duration('mttr', mttr[0]),
        open: {
          n: open.n,
          meanAgeDays: figure(open.meanAgeSeconds === null ? null : open.meanAgeSeconds / DAY_SECONDS),
        },
      },
      mttv: duration('mttv', mttv[0]),
      efficacy: {
        ...ratioFigure(r?.numerator ?? 0, r?.denominator ?? 0),
        split: {
          prevented: r?.prevented ?? 0,
          detected: r?.detected ?? 0,
          logged: r?.logged ?? 0,
          not_detected: r?.notDetected ?? 0,
        },
      },
      expectationMet: {
        ...ratioFigure(r?.met ?? 0, r?.withExpectation ?? 0),
        withoutExpectation: (r?.denominator ?? 0) - (r?.withExpectation ?? 0),
      },
      alertFidelity: ratioFigure(f?.numerator ?? 0, f?.denominator ?? 0),
      velocity: { gross: v.gross, regressions: v.regressions, net: v.gross - v.regressions },
      configVersion: version,
      computedAt: at.toISOString(),
    };
  }

  async function computeTrend(metric: TrendMetric, q: TrendQuery, span: Span): Promise<MetricTrend> {
    const at = now();
    const filters = filtersOf(q);
    const scope = scopeOf(filters);
    const timezone = q.timezone ?? deps.config.timezone;
    const buckets = bucketsBetween(span.start, span.end, q.bucket as BucketUnit, timezone);
    if (buckets.length > MAX_BUCKETS)
      throw errors.validation([
        {
          path: 'bucket',
          message: `${buckets.length} buckets: at most ${MAX_BUCKETS} (a coarser bucket or a shorter period)`,
        },
      ]);
    const base = (i: number): Pick<TrendPoint, 'bucket' | 'start' | 'end'> => {
      const b = buckets[i] as (typeof buckets)[number];
      return { bucket: b.key, start: b.start.toISOString(), end: b.end.toISOString() };
    };
    let unit: MetricTrend['unit'];
    let points: TrendPoint[];
    switch (metric) {
      case 'mttd':
      case 'mttp':
      case 'mttr':
      case 'mttv': {
        unit = UNIT[metric];
        const rows = await durations(db, metric, buckets, scope, maxSeconds[metric]);
        points = rows.map((row) => {
          const d = duration(metric, row);
          return { ...base(row.i), value: d.mean, n: d.n, excluded: d.excluded };
        });
        break;
      }
      case 'undetected-share':
      case 'alert-fidelity': {
        unit = 'ratio';
        const rows = await (metric === 'undetected-share' ? undetectedShare : alertFidelity)(
          db,
          buckets,
          scope,
        );
        points = rows.map((row) => ({
          ...base(row.i),
          value: figure(ratio(row.numerator, row.denominator)),
          n: row.denominator,
        }));
        break;
      }
      case 'efficacy':
      case 'expectation-met': {
        unit = 'ratio';
        const rows = await currentResultFigures(db, buckets, scope);
        points = rows.map((row) =>
          metric === 'efficacy'
            ? { ...base(row.i), value: figure(ratio(row.numerator, row.denominator)), n: row.denominator }
            : {
                ...base(row.i),
                value: figure(ratio(row.met, row.withExpectation)),
                n: row.withExpectation,
              },
        );
        break;
      }
      case 'velocity': {
        unit = 'techniques';
        const rows = await coverageMoves(db, buckets, velocityTechniques(scope));
        points = rows.map((row, i) => ({
          ...base(i),
          value: figure(row.gross - row.regressions),
          n: row.gross + row.regressions,
          gross: row.gross,
          regressions: row.regressions,
        }));
        break;
      }
    }
    return {
      metric,
      bucket: q.bucket,
      unit,
      timezone,
      from: span.start.toISOString(),
      to: span.end.toISOString(),
      filters,
      points,
      configVersion: await deps.configVersion(),
      computedAt: at.toISOString(),
    };
  }

  async function computeIntegrity(q: MetricsPeriodQuery, span: Span): Promise<DataIntegrity> {
    const at = now();
    const scope = scopeOf(filtersOf(q));
    const found = await integrityIssues(db, span, scope, maxSeconds, INTEGRITY_LIMIT);
    const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
    return {
      from: span.start.toISOString(),
      to: span.end.toISOString(),
      items: found.rows.slice(0, INTEGRITY_LIMIT).map((row) => ({
        metric: row.metric,
        reason: row.reason,
        testId: row.test_id,
        title: row.title,
        tool: row.tool,
        start: iso(row.start_at),
        end: iso(row.end_at),
        seconds: row.seconds === null ? null : Number(row.seconds),
      })),
      truncated: found.rows.length > INTEGRITY_LIMIT,
      counts: found.counts.map((c) => ({
        metric: c.metric,
        reason: c.reason as DataIntegrity['counts'][number]['reason'],
        n: c.n,
      })),
      configVersion: await deps.configVersion(),
      computedAt: at.toISOString(),
    };
  }
}
export type MetricsService = ReturnType<typeof createMetricsService>;
