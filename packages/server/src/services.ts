import type { Config } from './infra/config';
import type { Db } from './infra/db';
import type { InterruptedRunReaper } from './infra/jobs';
import {
  createImportService,
  createKnowledgeService,
  loadedRelease,
  moveNotes,
  type ReleaseFollower,
  type ReleasePreparer,
  reapInterruptedImports,
  type TechniqueWorkMover,
  techniqueNamer,
} from './modules/attack';
import { type AuditEntityNamer, createAuditService } from './modules/audit-logs';
import { createAuthService } from './modules/auth';
import {
  catalogNamers,
  createCatalogService,
  followRelease,
  moveCatalogMappings,
  reapInterruptedSyncs,
} from './modules/catalog';
import { createClaimsService, reresolveClaims } from './modules/claims';
import { createCoverageService } from './modules/coverage';
import { createEvidenceService } from './modules/evidence';
import { createHeatmapService } from './modules/heatmap';
import { createMetricsService } from './modules/metrics';
import { createNotificationsService } from './modules/notifications';
import { createScoresService, type ScoresService } from './modules/scores';
import { createSnapshotsService } from './modules/snapshots';
import { createSystemService } from './modules/system';
import {
  createRemediationService,
  createTestCaseService,
  moveTests,
  type Notify,
  type Resolve,
  testCaseNamers,
} from './modules/test-cases';
import { createUsersService, userNamer } from './modules/users';
import type { Platform } from './platform';

/** Everything the organisation attaches to techniques, carried over when a release revokes one. */
export const TECHNIQUE_WORK_MOVERS: readonly TechniqueWorkMover[] = [
  moveNotes,
  moveTests,
  moveCatalogMappings,
];

/**
 * What follows each ATT&CK import, in its transaction: the catalog re-resolves ids and tactics (ADR 12),
 * claimed layers resolve their entries again.
 */
export const RELEASE_FOLLOWERS: readonly ReleaseFollower[] = [followRelease, reresolveClaims];

/** The snapshots service on a scores service (the HTTP app, jobs, and importers outside it share this). */
function snapshotsOn(db: Db, config: Config, scores: ScoresService) {
  return createSnapshotsService({
    db,
    config,
    organization: (conn) => scores.organization('enterprise-attack', conn),
    recomputeScores: () => scores.recompute(),
    configVersion: async (conn) => (await scores.currentConfig(conn)).version,
    attackRelease: async (conn) => (await loadedRelease(conn, 'enterprise-attack'))?.release ?? null,
  });
}

/**
 * What runs before a changed ATT&CK release is applied, in its transaction: a pre-upgrade snapshot
 * (spec §4.3). For importers outside the HTTP app (CLI, tests); the app's services use the same.
 */
export function releasePreparers(db: Db, config: Config): ReleasePreparer[] {
  const snapshots = snapshotsOn(db, config, createScoresService({ db, config }));
  return [(tx, release) => snapshots.beforeRelease(tx, release)];
}

/** Every kind of run an instance records as `running`, failed once its instance is known to be gone. */
export const INTERRUPTED_RUN_REAPERS: readonly InterruptedRunReaper[] = [
  reapInterruptedImports,
  reapInterruptedSyncs,
];

/** Who names which entity in the audit log: each module its own (the audit module reads no other's tables). */
export const AUDIT_ENTITY_NAMERS: readonly AuditEntityNamer[] = [
  userNamer,
  techniqueNamer,
  ...testCaseNamers,
  ...catalogNamers,
];

/** Every module's service, wired once per process (HTTP app, jobs and CLI share this). */
export function createServices(
  platform: Pick<
    Platform,
    'config' | 'database' | 'storage' | 'jobs' | 'logger' | 'secretKey' | 'version' | 'startedAt'
  >,
) {
  const db = platform.database.db;
  const auth = createAuthService({ db, config: platform.config, secretKey: platform.secretKey });
  const users = createUsersService({ db, revokeCredentials: auth.revokeCredentials });
  const system = createSystemService(platform);
  const audit = createAuditService({ db, namers: AUDIT_ENTITY_NAMERS });
  const knowledge = createKnowledgeService(db, { platformScope: platform.config.attack.platformScope });
  const coverage = createCoverageService(db, { platformScope: platform.config.attack.platformScope });
  const scores = createScoresService({
    db,
    config: platform.config,
    trigger: (name, data) => platform.jobs.trigger(name, data),
  });
  const snapshots = snapshotsOn(db, platform.config, scores);
  const metrics = createMetricsService({
    db,
    config: platform.config,
    configVersion: () => scores.configVersion(),
    organizationScore: () => scores.organization(),
    organizationTrend: async (span) =>
      (await snapshots.trend({ from: span.start.toISOString(), to: span.end.toISOString() })).points.map(
        (p) => ({
          snapshotId: p.id,
          kind: p.kind,
          takenAt: p.takenAt,
          score: p.organizationScore,
          threatScore: p.organizationThreatScore,
        }),
      ),
    coverageByTactic: () =>
      coverage.counts({
        by: 'tactic',
        domain: 'enterprise-attack',
        subtechniques: 'include',
        key: undefined,
      }),
  });
  const claims = createClaimsService({
    db,
    release: async (conn, domain) => (await loadedRelease(conn, domain))?.release ?? null,
  });
  const heatmap = createHeatmapService({
    db,
    config: platform.config,
    configVersion: () => scores.configVersion(),
    scoreConfig: async () => {
      const c = await scores.currentConfig();
      return { version: c.version, weights: { ...c.values.weights } };
    },
    version: platform.version,
    publicUrl: platform.config.http.publicUrl,
    release: async (domain) => (await loadedRelease(db, domain))?.release ?? null,
    snapshotTechniques: (id) => snapshots.techniques(id),
    claimedLayerName: (id) => claims.name(id),
    compare: async (from, to) => {
      const c = await snapshots.compare({ from, to, threshold: 1, all: true });
      return { fromName: c.from.name, toName: c.to.name, techniques: c.techniques };
    },
  });
  const imports = createImportService({
    db,
    storage: platform.storage,
    logger: platform.logger,
    movers: [...TECHNIQUE_WORK_MOVERS],
    followers: [...RELEASE_FOLLOWERS],
    preparers: [(tx, release) => snapshots.beforeRelease(tx, release)],
    config: platform.config,
    jobs: platform.jobs,
  });
  // Creating it has no side effects; platform start calls notifications.start() (the live listener).
  const notifications = createNotificationsService({ database: platform.database, logger: platform.logger });
  const notify: Notify = notifications.notify;
  const resolve: Resolve = notifications.resolve;
  const tests = createTestCaseService({
    db,
    notify,
    resolve,
    afterCoverageChange: () => scores.inputsChanged(),
  });
  const remediation = createRemediationService({
    db,
    notify,
    resolve,
    tests,
    maxRetestCount: platform.config.workflow.maxRetestCount,
  });
  const evidence = createEvidenceService({
    db,
    storage: platform.storage,
    logger: platform.logger,
    maxBytes: platform.config.workflow.evidenceMaxBytes,
  });
  const catalog = createCatalogService({
    db,
    storage: platform.storage,
    logger: platform.logger,
    jobs: platform.jobs,
    timezone: platform.config.timezone,
    tests,
  });
  return {
    auth,
    users,
    system,
    audit,
    knowledge,
    coverage,
    scores,
    metrics,
    snapshots,
    heatmap,
    claims,
    imports,
    tests,
    remediation,
    evidence,
    notifications,
    catalog,
  };
}
export type Services = ReturnType<typeof createServices>;
