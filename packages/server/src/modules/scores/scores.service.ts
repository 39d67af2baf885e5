import { createHash } from 'node:crypto';
import {
  type ActorScore,
  type ActorScoreSummary,
  type ListEnvelope,
  type ListTechniqueScoresQuery,
  type OrganizationScore,
  SCORING_CONFIG_FIELDS,
  type ScoreWeighting,
  type ScoringConfigField,
  type ScoringConfigRecord,
  type ScoringConfigSource,
  type ScoringConfigValues,
  type TacticScore,
  type TacticScoreSummary,
  type TechniqueScore,
  type TechniqueScoreSummary,
} from '@aegis/contracts';
import type { Config } from '../../infra/config';
import type { Db, Tx } from '../../infra/db';
import { errors } from '../../infra/http';
import { figure, procedureKey, techniqueInScope } from '../analysis';
import { type AuditActor, recordAudit } from '../audit-logs';
import { currentResultDigests, currentResults } from '../coverage';
import { seedScoringConfig } from './config-seed';
import {
  attackPlatformName,
  type TechniqueScore as ModelScore,
  type RuleGroup,
  type ScoredResult,
  type ScoringConfig,
  techniqueScore,
} from './model';
import { actorScore, aggregateScore, organizationScore, tacticScore } from './rollup';
import {
  actorScoreSummaries,
  actorsByTechnique,
  actorTechniques,
  asDate,
  type ConfigRow,
  d3fendCounts,
  findTechniqueScore,
  holdConfig,
  inputsFingerprint,
  insertConfigVersion,
  latestConfig,
  listTechniqueScores,
  ruleGroups,
  type ScoreRowValues,
  saveScores,
  storedScores,
  subtechniqueScores,
  type TacticMemberRow,
  type TechniqueScoreRow,
  tacticMembers,
  techniqueExists,
  techniquesInScope,
  testsOfBreakdown,
} from './scores.queries';

type CountedResultOut = TechniqueScore['components']['tests']['results'][number];

export const SCORES_RECOMPUTE_JOB = 'scores.recompute';
export const SCORES_REFRESH_JOB = 'scores.refresh';

export interface RecomputeResult {
  configVersion: number;
  techniques: number;
  written: number;
  removed: number;
  ms: number;
  /** Where the time went: the reads, the model in memory, the upsert. */
  phases: { readMs: number; modelMs: number; writeMs: number };
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
const iso = (v: string | Date | null) => asDate(v)?.toISOString() ?? null;

/** The organisation's date at an instant, shifted back 15 minutes: the daily refresh falls at 00:15. */
function scoringDay(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(now.getTime() - 15 * 60_000));
}

/** JSON with object keys sorted (jsonb does not keep key order). */
const canonical = (v: unknown): string =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b)))
      : x,
  );

/** Which values differ between two configurations, by the config page's fields. */
function changedFields(a: ScoringConfig, b: ScoringConfig): ScoringConfigField[] {
  const pick = (c: ScoringConfig, f: ScoringConfigField): unknown =>
    f.startsWith('weights.')
      ? c.weights[f.slice(8) as keyof ScoringConfig['weights']]
      : c[f as keyof ScoringConfig];
  return SCORING_CONFIG_FIELDS.filter((f) => canonical(pick(a, f)) !== canonical(pick(b, f)));
}

const scoreStamp = (
  version: number | null,
  at: string | Date | null,
  fallback: { version: number; at: Date },
) => ({
  configVersion: version ?? fallback.version,
  computedAt: iso(at) ?? fallback.at.toISOString(),
});

export interface ScoresDeps {
  db: Db;
  config: Pick<Config, 'scoring' | 'timezone'> & { attack: Pick<Config['attack'], 'platformScope'> };
  /** Enqueues a job run (the scheduler's trigger); null when one is already queued. */
  trigger?: (name: string, data: Record<string, unknown>) => Promise<string | null>;
  clock?: () => Date;
}

export function createScoresService(deps: ScoresDeps) {
  const { db } = deps;
  const scope = deps.config.attack.platformScope;
  const now = deps.clock ?? (() => new Date());
  let lastFingerprint: string | null = null;

  /** The configuration in force; version 1 (env and defaults) is written on first use. */
  async function currentConfig(conn: Db | Tx = db): Promise<ConfigRow> {
    const found = await latestConfig(conn);
    if (found) return found;
    const seed = seedScoringConfig(deps.config.scoring);
    await insertConfigVersion(conn, {
      version: 1,
      values: seed.values,
      sources: seed.sources,
      createdBy: null,
    });
    const seeded = await latestConfig(conn);
    if (!seeded) throw new Error('the scoring configuration could not be seeded');
    return seeded;
  }

  /**
   * Every in-scope technique's scores, set-wise (spec §1.5): five reads (techniques, CR(t) in one
   * window query, rule counts and D3FEND counts by `group by`, actors), the model in memory, one
   * multi-row upsert that skips rows whose inputs did not change. In the caller's transaction.
   */
  async function recomputeIn(tx: Tx, at: Date): Promise<RecomputeResult> {
    const started = performance.now();
    await holdConfig(tx);
    const config = await currentConfig(tx);
    const values = config.values;
    // One after another: a transaction is one connection.
    const techniques = await techniquesInScope(tx, scope);
    const digests = await currentResultDigests(tx);
    const rules = await ruleGroups(tx);
    const d3fend = await d3fendCounts(tx);
    const actors = await actorsByTechnique(tx);
    const stored = await storedScores(tx);
    const day = scoringDay(at, deps.config.timezone);
    const rulesOf = new Map<string, RuleGroup[]>();
    for (const { techniqueId, ...g } of rules) {
      const list = rulesOf.get(techniqueId) ?? [];
      list.push(g);
      rulesOf.set(techniqueId, list);
    }
    const inputsOf = (id: string) => ({
      rules: rulesOf.get(id) ?? [],
      d3fend: {
        ...(d3fend.byTechnique.get(id) ?? { mapped: 0, implemented: 0, partial: 0 }),
        inventoryAssessed: d3fend.assessed,
      },
    });
    const subsOf = new Map<string, typeof techniques>();
    for (const t of techniques)
      if (t.isSubtechnique && t.parentStixId) {
        const key = `${t.domain}|${t.parentStixId}`;
        subsOf.set(key, [...(subsOf.get(key) ?? []), t]);
      }
    const subsOfTechnique = (t: (typeof techniques)[number]) =>
      t.isSubtechnique ? [] : (subsOf.get(`${t.domain}|${t.stixId}`) ?? []);

    // 1. Every technique's input hash (config, scope, day, platforms, rules, D3FEND, the digest of its
    //    CR(t)) and its row's (its own, its sub-techniques', its actors): no result moved yet.
    const ownHash = new Map(
      techniques.map((t) => [
        t.id,
        sha1(
          JSON.stringify([config.version, scope, day, t.platforms, inputsOf(t.id), digests.get(t.id) ?? '']),
        ),
      ]),
    );
    const plan = techniques.map((t) => {
      const subs = subsOfTechnique(t);
      const groups = new Set(actors.get(t.id) ?? []);
      for (const sub of subs) for (const g of actors.get(sub.id) ?? []) groups.add(g);
      const rowHash = sha1(
        [ownHash.get(t.id), ...subs.map((sub) => ownHash.get(sub.id)).sort(), groups.size].join('|'),
      );
      return { t, subs, nActors: groups.size, rowHash, changed: stored.get(t.id)?.hash !== rowHash };
    });
    // 2. The model runs for the rows that change (a parent whose sub-technique changed included),
    //    on their CR(t) only; an unchanged row's own score is the stored one.
    const modelFor = new Set(plan.filter((p) => p.changed).map((p) => p.t.id));
    const all = modelFor.size === techniques.length;
    const results = modelFor.size === 0 ? [] : await currentResults(tx, all ? null : [...modelFor]);
    const read = performance.now();
    const resultsOf = new Map<string, ScoredResult[]>();
    for (const r of results) {
      const list = resultsOf.get(r.techniqueId) ?? [];
      list.push({
        id: r.testId,
        techniqueId: r.techniqueId,
        state: 'validated',
        outcome: r.outcome,
        templateId: r.templateId,
        chainRootId: r.chainRootId,
        platform: r.platform,
        executionStartedAt: r.executionStartedAt,
        validatedAt: r.validatedAt,
      });
      resultsOf.set(r.techniqueId, list);
    }
    const modelled = new Map<string, ModelScore>();
    const byId = new Map(techniques.map((t) => [t.id, t]));
    for (const id of modelFor) {
      const t = byId.get(id);
      if (!t) continue;
      modelled.set(
        id,
        techniqueScore(
          { techniqueId: id, platforms: t.platforms, results: resultsOf.get(id) ?? [], ...inputsOf(id) },
          values,
          at,
          scope,
        ),
      );
    }
    const ownScoreOf = (id: string) => modelled.get(id)?.own ?? stored.get(id)?.ownScore ?? 0;
    const changed: ScoreRowValues[] = plan
      .filter((p) => p.changed)
      .map(({ t, subs, nActors, rowHash }) => {
        const score = modelled.get(t.id) as ModelScore;
        const components = score.components;
        return {
          techniqueId: t.id,
          ownScore: score.own,
          aggregateScore: aggregateScore(
            score.own,
            subs.map((sub) => ownScoreOf(sub.id)),
            values.rollup,
          ),
          applicableWeight: score.applicableWeight,
          nActors,
          breakdown: {
            // The CR tests by id and value: their title, platform and dates are read with the
            // breakdown (a validated test does not change), which keeps a full write small.
            components: {
              ...components,
              tests: {
                ...components.tests,
                results: components.tests.results.map((r) => ({ id: r.id, value: r.value })),
              },
            },
            warnings: score.warnings,
          },
          configVersion: config.version,
          inputsHash: rowHash,
        };
      });
    const computed = performance.now();
    const saved = await saveScores(
      tx,
      changed,
      techniques.map((t) => t.id),
      at,
    );
    const done = performance.now();
    const round = (x: number) => Math.round(x * 10) / 10;
    return {
      configVersion: config.version,
      techniques: techniques.length,
      ...saved,
      ms: round(done - started),
      phases: {
        readMs: round(read - started),
        modelMs: round(computed - read),
        writeMs: round(done - computed),
      },
    };
  }

  const recompute = (at: Date = now()) => db.transaction((tx) => recomputeIn(tx, at));

  /** The config as the API shows it. */
  const configRecord = (c: ConfigRow): ScoringConfigRecord => ({
    version: c.version,
    values: c.values as ScoringConfigValues,
    sources: c.sources,
    updatedAt: c.createdAt.toISOString(),
    updatedBy: c.createdBy,
  });

  const summaryOf = (r: TechniqueScoreRow): TechniqueScoreSummary => ({
    id: r.id,
    attackId: r.attack_id,
    name: r.name,
    isSubtechnique: r.is_subtechnique,
    parent: r.parent_id ? { id: r.parent_id, attackId: r.parent_attack_id, name: r.parent_name ?? '' } : null,
    tactics: r.tactics,
    platforms: r.platforms,
    coverageStatus: r.coverage_status,
    ownScore: figure(Number(r.own_score)),
    aggregateScore: figure(Number(r.aggregate_score)),
    configVersion: Number(r.config_version),
    computedAt: iso(r.computed_at) ?? '',
  });

  /** Tactic roll-ups from one member read: equal and threat-weighted (ω = 1 + n_actors). */
  function tacticsFrom(rows: TacticMemberRow[], fallback: { version: number; at: Date }): TacticScore[] {
    const byTactic = new Map<string, TacticMemberRow[]>();
    for (const r of rows) byTactic.set(r.tactic_id, [...(byTactic.get(r.tactic_id) ?? []), r]);
    return [...byTactic.values()].map((list) => {
      const head = list[0] as TacticMemberRow;
      const members = list.filter((m) => m.id !== null);
      const weighted = members.map((m) => ({
        aggregate: Number(m.aggregate_score),
        nActors: Number(m.n_actors),
      }));
      const versions = members.map((m) => Number(m.config_version));
      const times = members.map((m) => asDate(m.computed_at)?.getTime() ?? 0);
      return {
        id: head.tactic_id,
        attackId: head.tactic_attack_id,
        name: head.tactic_name,
        shortname: head.shortname,
        score: figure(tacticScore(weighted, 'equal')),
        threatScore: figure(tacticScore(weighted, 'threat')),
        techniqueCount: members.length,
        ...scoreStamp(
          versions.length ? Math.max(...versions) : null,
          times.length ? new Date(Math.max(...times)) : null,
          fallback,
        ),
        members: members.map((m) => ({
          id: m.id as string,
          attackId: m.attack_id,
          name: m.name ?? '',
          coverageStatus: m.coverage_status ?? 'untested',
          aggregateScore: figure(Number(m.aggregate_score)),
          nActors: Number(m.n_actors),
        })),
      };
    });
  }

  const fallbackStamp = async (conn: Db | Tx = db) => ({
    version: (await currentConfig(conn)).version,
    at: now(),
  });

  return {
    recompute,
    currentConfig,

    /** The scheduled check: recompute when any input (or the day) changed since this instance last looked. */
    async refreshIfChanged(): Promise<RecomputeResult | null> {
      const at = now();
      const fingerprint = `${await inputsFingerprint(db)}|${scoringDay(at, deps.config.timezone)}`;
      if (fingerprint === lastFingerprint) return null;
      const result = await recompute(at);
      lastFingerprint = fingerprint;
      return result;
    },

    /**
     * Something scores read has changed (a test validated, an ATT&CK release imported): queue a
     * recompute. The queue holds one at a time, so a burst of changes costs one run; without a
     * scheduler the five-minute refresh catches it.
     */
    async inputsChanged(): Promise<void> {
      await deps.trigger?.(SCORES_RECOMPUTE_JOB, { reason: 'inputs changed' }).catch(() => null);
    },

    /** `POST /scores/recompute`: queued as a job (202); run here at once when no scheduler is wired. */
    async requestRecompute(actor: AuditActor): Promise<{ jobId: string | null; queued: boolean }> {
      const jobId = await deps
        .trigger?.(SCORES_RECOMPUTE_JOB, { requestedBy: actor.userId })
        .catch(() => undefined);
      if (jobId !== undefined) return { jobId, queued: jobId !== null };
      // No scheduler here (an enqueue-only or stopped one): recompute in this request.
      await recompute();
      return { jobId: null, queued: false };
    },

    /** The version of the configuration in force (metrics stamp it on their answers, spec §0.7). */
    async configVersion(): Promise<number> {
      return (await currentConfig()).version;
    },

    async getConfig(): Promise<ScoringConfigRecord> {
      return configRecord(await currentConfig());
    },

    /**
     * A new configuration version (admin), audited, and every score recomputed with it in the same
     * transaction: a reader sees the old scores or the new ones, never a mix.
     */
    async putConfig(actor: AuditActor, values: ScoringConfigValues): Promise<ScoringConfigRecord> {
      await db.transaction(async (tx) => {
        await holdConfig(tx);
        const current = await currentConfig(tx);
        const next = values as ScoringConfig;
        const changed = changedFields(current.values, next);
        if (changed.length === 0) return;
        const sources = { ...current.sources } as Record<ScoringConfigField, ScoringConfigSource>;
        for (const f of changed) sources[f] = 'api';
        await insertConfigVersion(tx, {
          version: current.version + 1,
          values: next,
          sources,
          createdBy: actor.userId,
        });
        await recordAudit(tx, actor, {
          action: 'scoring.config.update',
          entityType: 'scoring_config',
          entityId: String(current.version + 1),
          summary: { from: current.version, to: current.version + 1, changed },
        });
        await recomputeIn(tx, now());
      });
      return configRecord(await currentConfig());
    },

    async listTechniques(
      q: ListTechniqueScoresQuery & { domain?: string },
    ): Promise<ListEnvelope<TechniqueScoreSummary>> {
      const { rows, total } = await listTechniqueScores(db, {
        ...q,
        domain: q.domain ?? 'enterprise-attack',
      });
      return { items: rows.map(summaryOf), total, limit: q.limit, offset: q.offset };
    },

    async getTechnique(idOrAttackId: string, domain = 'enterprise-attack'): Promise<TechniqueScore> {
      const row = await findTechniqueScore(db, idOrAttackId, domain);
      if (!row) {
        const known = await techniqueExists(db, idOrAttackId);
        if (known && !techniqueInScope(known, scope))
          throw errors.notFound(
            `Score of ${known.attack_id ?? idOrAttackId}: it is outside the organisation's platform scope or not active, so it is not scored; technique`,
          );
        throw errors.notFound('Technique', idOrAttackId);
      }
      const config = await currentConfig();
      const breakdown = row.breakdown as {
        components: Omit<ModelScore['components'], 'tests'> & {
          tests: Omit<ModelScore['components']['tests'], 'results'> & {
            results: Array<{ id: string; value: number }>;
          };
        };
        warnings: ModelScore['warnings'];
      };
      const tests = await testsOfBreakdown(
        db,
        breakdown.components.tests.results.map((r) => r.id),
      );
      const counted = breakdown.components.tests.results.map((r) => {
        const t = tests.get(r.id);
        const platform = t?.platform ?? null;
        return {
          id: r.id,
          value: r.value,
          title: t?.title ?? '',
          procedureKey: procedureKey({
            id: r.id,
            templateId: t?.template_id ?? null,
            chainRootId: t?.chain_root_id ?? null,
          }),
          platform,
          attackPlatform: attackPlatformName(platform),
          outcome: (t?.outcome ?? null) as CountedResultOut['outcome'],
          executionStartedAt: iso(t?.execution_started_at ?? null),
          validatedAt: iso(t?.validated_at ?? null),
        };
      });
      const withPoints = Object.fromEntries(
        Object.entries({
          ...breakdown.components,
          tests: { ...breakdown.components.tests, results: counted },
        }).map(([name, part]) => [
          name,
          { ...part, points: figure((part as { points: number | null }).points) },
        ]),
      ) as unknown as TechniqueScore['components'];
      const subs = row.is_subtechnique ? [] : await subtechniqueScores(db, row.domain, row.stix_id);
      return {
        ...summaryOf(row),
        applicableWeight: Number(row.applicable_weight),
        components: withPoints,
        warnings: breakdown.warnings as TechniqueScore['warnings'],
        rollup: config.values.rollup,
        subtechniques: subs.map((s) => ({
          id: s.id,
          attackId: s.attack_id,
          name: s.name,
          ownScore: figure(Number(s.own_score)),
        })),
      };
    },

    async listTactics(domain = 'enterprise-attack'): Promise<{ items: TacticScoreSummary[] }> {
      const tactics = tacticsFrom(await tacticMembers(db, domain), await fallbackStamp());
      return { items: tactics.map(({ members: _m, ...t }) => t) };
    },

    async getTactic(shortname: string, domain = 'enterprise-attack'): Promise<TacticScore> {
      const [tactic] = tacticsFrom(await tacticMembers(db, domain, shortname), await fallbackStamp());
      if (!tactic) throw errors.notFound('Tactic', shortname);
      return tactic;
    },

    async listActors(q: {
      domain?: string;
      q?: string;
      limit: number;
      offset: number;
    }): Promise<ListEnvelope<ActorScoreSummary>> {
      const config = await currentConfig();
      const fallback = { version: config.version, at: now() };
      const { rows, total } = await actorScoreSummaries(db, {
        domain: q.domain ?? 'enterprise-attack',
        ...(q.q ? { q: q.q } : {}),
        limit: q.limit,
        offset: q.offset,
        viaSoftware: config.values.actorIncludeSoftware,
      });
      return {
        items: rows.map((r) => {
          const n = Number(r.technique_count);
          // The mean of its techniques' scores, summed in SQL: Score(a) of spec §1.3.
          const score = n === 0 ? null : Number(r.score_sum) / n;
          return {
            id: r.id,
            attackId: r.attack_id,
            name: r.name,
            score: figure(score),
            coveragePercent: figure(n === 0 ? null : (100 * Number(r.validated_count)) / n),
            techniqueCount: n,
            validatedCount: Number(r.validated_count),
            ...scoreStamp(
              r.config_version === null ? null : Number(r.config_version),
              r.computed_at,
              fallback,
            ),
          };
        }),
        total,
        limit: q.limit,
        offset: q.offset,
      };
    },

    async getActor(id: string, domain = 'enterprise-attack'): Promise<ActorScore> {
      const config = await currentConfig();
      const viaSoftware = config.values.actorIncludeSoftware;
      const { rows } = await actorScoreSummaries(db, { domain, ids: [id], limit: 1, offset: 0, viaSoftware });
      const head = rows[0];
      if (!head) throw errors.notFound('Threat actor', id);
      const techniques = await actorTechniques(db, head.id, viaSoftware);
      const scored = techniques.filter((t) => t.scored);
      const validated = scored.filter((t) => t.coverage_status === 'validated').length;
      const a = actorScore(
        scored.map((t) => t.score as number),
        validated,
      );
      return {
        id: head.id,
        attackId: head.attack_id,
        name: head.name,
        score: figure(a.score),
        coveragePercent: figure(a.coverage === null ? null : 100 * a.coverage),
        techniqueCount: scored.length,
        validatedCount: validated,
        ...scoreStamp(head.config_version === null ? null : Number(head.config_version), head.computed_at, {
          version: config.version,
          at: now(),
        }),
        includesSoftware: viaSoftware,
        techniques: scored.map((t) => ({
          id: t.id,
          attackId: t.attack_id,
          name: t.name,
          isSubtechnique: t.is_subtechnique,
          coverageStatus: t.coverage_status,
          score: figure(t.score),
          via: t.via,
        })),
        outOfScope: techniques
          .filter((t) => !t.scored && t.live)
          .map((t) => ({ id: t.id, attackId: t.attack_id, name: t.name })),
      };
    },

    /** The organisation score and its tactics; `conn` lets a caller read them inside its transaction. */
    async organization(domain = 'enterprise-attack', conn: Db | Tx = db): Promise<OrganizationScore> {
      const fallback = await fallbackStamp(conn);
      const rows = await tacticMembers(conn, domain);
      const tactics = tacticsFrom(rows, fallback);
      // Every in-scope parent once, whatever the number of its tactics.
      const parents = new Map<string, { aggregate: number; nActors: number }>();
      for (const r of rows)
        if (r.id !== null)
          parents.set(r.id, { aggregate: Number(r.aggregate_score), nActors: Number(r.n_actors) });
      const members = [...parents.values()];
      const versions = rows.filter((r) => r.config_version !== null).map((r) => Number(r.config_version));
      const times = rows.map((r) => asDate(r.computed_at)?.getTime() ?? 0);
      const weighted = (w: ScoreWeighting) => figure(organizationScore(members, w));
      return {
        score: weighted('equal'),
        threatScore: weighted('threat'),
        techniqueCount: members.length,
        tactics: tactics.map(({ members: _m, ...t }) => t),
        ...scoreStamp(
          versions.length ? Math.max(...versions) : null,
          times.length ? new Date(Math.max(...times)) : null,
          fallback,
        ),
      };
    },
  };
}
export type ScoresService = ReturnType<typeof createScoresService>;
