import type {
  Classification,
  CompareFullQuery,
  CreateSnapshot,
  OrganizationScore,
  SnapshotComparison,
  SnapshotCounts,
  SnapshotDetail,
  SnapshotKind,
  SnapshotList,
  SnapshotListQuery,
  SnapshotSummary,
  SnapshotTrend,
} from '@aegis/contracts';
import type { Config } from '../../infra/config';
import type { Db, Tx } from '../../infra/db';
import { errors } from '../../infra/http';
import { figure, localDate } from '../analysis';
import { type AuditActor, recordAudit, SYSTEM_ACTOR } from '../audit-logs';
import { compareRows } from './compare';
import {
  applyRetention,
  type ComparedRow,
  currentTechniqueRows,
  deleteSnapshot,
  findSnapshot,
  insertSnapshot,
  listSnapshots,
  revocations,
  type SnapshotRow,
  snapshotPoints,
  snapshotTacticRows,
  snapshotTechniqueRows,
} from './snapshots.queries';

export const SNAPSHOTS_TAKE_JOB = 'snapshots.take';

export interface SnapshotRetention {
  /** Keep every scheduled snapshot of the last `days` days … */
  days: number;
  /** … then the last of each ISO week for `weeks` weeks … */
  weeks: number;
  /** … and the last of each month for `months` months (0: forever). */
  months: number;
}

export interface SnapshotsDeps {
  db: Db;
  config: Pick<Config, 'timezone'> & {
    attack: Pick<Config['attack'], 'platformScope'>;
    snapshots: { retention: SnapshotRetention };
  };
  /** The organisation and tactic scores as stored, read on the given connection. */
  organization: (conn: Db | Tx) => Promise<OrganizationScore>;
  /** Brings the stored scores up to date before a snapshot (unchanged rows are skipped). */
  recomputeScores: () => Promise<unknown>;
  configVersion: (conn: Db | Tx) => Promise<number>;
  /** The Enterprise release loaded, read on the given connection. */
  attackRelease: (conn: Db | Tx) => Promise<string | null>;
  clock?: () => Date;
}

const EMPTY_COUNTS: SnapshotCounts = {
  validated: 0,
  partial: 0,
  not_covered: 0,
  in_progress: 0,
  untested: 0,
};
const iso = (v: Date | string) => new Date(v).toISOString();
const numOrNull = (v: number | string | null) => (v === null ? null : Number(v));

function summaryOf(r: SnapshotRow): SnapshotSummary {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    note: r.note,
    takenAt: iso(r.taken_at),
    takenBy:
      r.taken_by && r.taken_by_username
        ? { id: r.taken_by, username: r.taken_by_username, displayName: r.taken_by_display_name ?? '' }
        : null,
    attackRelease: r.attack_release,
    scoreConfigVersion: r.score_config_version,
    periodKey: r.period_key,
    organizationScore: figure(numOrNull(r.org_score)),
    organizationThreatScore: figure(numOrNull(r.org_score_threat)),
    techniqueCount: Number(r.technique_count),
    inScopeCount: Number(r.in_scope_count),
    counts: { ...EMPTY_COUNTS, ...r.counts },
  };
}

export function createSnapshotsService(deps: SnapshotsDeps) {
  const { db } = deps;
  const now = deps.clock ?? (() => new Date());
  const scope = deps.config.attack.platformScope;

  /** Takes a snapshot inside `tx` from what is stored now; null when its period already has one. */
  async function takeIn(
    tx: Tx,
    s: { kind: SnapshotKind; name: string; note: string; actor: AuditActor; periodKey: string | null },
  ): Promise<string | null> {
    const [org, version, release] = await Promise.all([
      deps.organization(tx),
      deps.configVersion(tx),
      deps.attackRelease(tx),
    ]);
    const id = await insertSnapshot(
      tx,
      {
        kind: s.kind,
        name: s.name,
        note: s.note,
        takenAt: now(),
        takenBy: s.actor.userId,
        attackRelease: release,
        scoreConfigVersion: version,
        periodKey: s.periodKey,
        orgScore: org.score.value,
        orgScoreThreat: org.threatScore.value,
        tactics: org.tactics.map((t, i) => ({
          shortname: t.shortname ?? t.attackId ?? t.id,
          name: t.name,
          matrixOrder: i,
          score: t.score.value,
          threatScore: t.threatScore.value,
          techniqueCount: t.techniqueCount,
        })),
      },
      scope,
    );
    if (id)
      await recordAudit(tx, s.actor, {
        action: 'snapshot.create',
        entityType: 'snapshot',
        entityId: id,
        summary: { name: s.name, kind: s.kind, release, periodKey: s.periodKey },
      });
    return id;
  }

  async function detail(id: string): Promise<SnapshotDetail> {
    const row = await findSnapshot(db, id);
    if (!row) throw errors.notFound('Snapshot', id);
    const tactics = await snapshotTacticRows(db, id);
    return {
      ...summaryOf(row),
      tactics: tactics.map((t) => ({
        shortname: t.shortname,
        name: t.name,
        score: figure(numOrNull(t.score)),
        threatScore: figure(numOrNull(t.threat_score)),
        techniqueCount: Number(t.technique_count),
      })),
    };
  }

  /** One end of a comparison: a snapshot's rows and head, or the knowledge base now. */
  async function end(ref: string): Promise<{
    head: SnapshotComparison['from'];
    rows: ComparedRow[];
    tactics: Map<string, { name: string; score: number | null }>;
  }> {
    if (ref === 'now') {
      const [rows, org] = await Promise.all([currentTechniqueRows(db, scope), deps.organization(db)]);
      const counts = { ...EMPTY_COUNTS };
      for (const r of rows) if (r.in_scope) counts[r.status as keyof SnapshotCounts] += 1;
      return {
        head: {
          kind: 'now',
          id: null,
          name: 'Now',
          takenAt: now().toISOString(),
          attackRelease: await deps.attackRelease(db),
          organizationScore: org.score,
          organizationThreatScore: org.threatScore,
          counts,
        },
        rows,
        tactics: new Map(
          org.tactics.map((t) => [t.shortname ?? t.id, { name: t.name, score: t.score.value }]),
        ),
      };
    }
    const [row, rows, tactics] = await Promise.all([
      findSnapshot(db, ref),
      snapshotTechniqueRows(db, ref),
      snapshotTacticRows(db, ref),
    ]);
    if (!row) throw errors.notFound('Snapshot', ref);
    const s = summaryOf(row);
    return {
      head: {
        kind: 'snapshot',
        id: s.id,
        name: s.name,
        takenAt: s.takenAt,
        attackRelease: s.attackRelease,
        organizationScore: s.organizationScore,
        organizationThreatScore: s.organizationThreatScore,
        counts: s.counts,
      },
      rows,
      tactics: new Map(tactics.map((t) => [t.shortname, { name: t.name, score: numOrNull(t.score) }])),
    };
  }

  const delta = (a: number | null, b: number | null) => figure(a === null || b === null ? null : b - a);

  return {
    /** A manual snapshot (leads and admin): scores brought up to date first, then frozen. */
    async take(actor: AuditActor, body: CreateSnapshot): Promise<SnapshotDetail> {
      await deps.recomputeScores();
      const id = await db.transaction((tx) =>
        takeIn(tx, { kind: 'manual', name: body.name, note: body.note, actor, periodKey: null }),
      );
      if (!id) throw new Error('a manual snapshot was not written');
      return detail(id);
    },

    /**
     * The scheduled snapshot of the local date (AEGIS_TIMEZONE), then the retention. Idempotent: a
     * retried or overlapping run finds the date's snapshot and adds none.
     */
    async takeScheduled(): Promise<{ id: string | null; periodKey: string; deleted: number }> {
      const at = now();
      const periodKey = localDate(at, deps.config.timezone);
      await deps.recomputeScores();
      return db.transaction(async (tx) => {
        const id = await takeIn(tx, {
          kind: 'scheduled',
          name: `Daily ${periodKey}`,
          note: '',
          actor: SYSTEM_ACTOR,
          periodKey,
        });
        const deleted = await applyRetention(tx, periodKey, deps.config.snapshots.retention);
        return { id, periodKey, deleted };
      });
    },

    /**
     * Before an ATT&CK Enterprise release is applied, inside the import's transaction: what the
     * organisation had on the old release. Skipped for a first import (nothing to keep).
     */
    async beforeRelease(
      tx: Tx,
      release: { domain: string; release: string | null },
    ): Promise<{ what: string; counts: Record<string, number> }> {
      const current = await deps.attackRelease(tx);
      if (release.domain !== 'enterprise-attack' || current === null || current === release.release)
        return { what: 'snapshots', counts: { taken: 0 } };
      const id = await takeIn(tx, {
        kind: 'pre-upgrade',
        name: `Before ATT&CK ${release.release ?? 'update'}`,
        note: `Taken automatically before ATT&CK ${current} was replaced by ${release.release ?? 'a new release'}.`,
        actor: SYSTEM_ACTOR,
        periodKey: null,
      });
      return { what: 'snapshots', counts: { taken: id ? 1 : 0 } };
    },

    async list(q: SnapshotListQuery): Promise<SnapshotList> {
      const { rows, total } = await listSnapshots(db, q);
      return { items: rows.map(summaryOf), total, limit: q.limit, offset: q.offset };
    },

    detail,

    /** A snapshot's name and technique rows (the heatmap's snapshot layer); 404 when there is none. */
    async techniques(id: string): Promise<{ name: string; rows: ComparedRow[] }> {
      const [row, rows] = await Promise.all([findSnapshot(db, id), snapshotTechniqueRows(db, id)]);
      if (!row) throw errors.notFound('Snapshot', id);
      return { name: row.name, rows };
    },

    /** Admin only; scheduled snapshots leave through the retention only. */
    async remove(actor: AuditActor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const row = await findSnapshot(tx, id);
        if (!row) throw errors.notFound('Snapshot', id);
        if (row.kind === 'scheduled')
          throw errors.conflict('Scheduled snapshots are removed by the retention only', { kind: row.kind });
        await deleteSnapshot(tx, id);
        await recordAudit(tx, actor, {
          action: 'snapshot.delete',
          entityType: 'snapshot',
          entityId: id,
          summary: { name: row.name, kind: row.kind },
        });
      });
    },

    /** Two snapshots (or one and now) technique by technique, with totals, tactics and the organisation. */
    async compare(q: CompareFullQuery): Promise<SnapshotComparison> {
      if (q.from === q.to && q.from !== 'now')
        throw errors.validation([
          { path: 'query.to', message: 'compare a snapshot with another one or with "now"' },
        ]);
      const [a, b, revokedInto] = await Promise.all([end(q.from), end(q.to), revocations(db)]);
      const techniques = compareRows(a.rows, b.rows, revokedInto, q.threshold);
      const totals = Object.fromEntries(
        (['added', 'removed', 'moved', 'regressed', 'improved', 'newly_tested', 'unchanged'] as const).map(
          (c) => [c, 0],
        ),
      ) as Record<Classification, number>;
      for (const t of techniques) totals[t.classification] += 1;
      const shortnames = [...new Set([...b.tactics.keys(), ...a.tactics.keys()])];
      return {
        from: a.head,
        to: b.head,
        threshold: q.threshold,
        totals,
        organizationDelta: delta(a.head.organizationScore.value, b.head.organizationScore.value),
        organizationThreatDelta: delta(
          a.head.organizationThreatScore.value,
          b.head.organizationThreatScore.value,
        ),
        tactics: shortnames.map((k) => {
          const x = a.tactics.get(k);
          const y = b.tactics.get(k);
          return {
            shortname: k,
            name: y?.name ?? x?.name ?? k,
            scoreFrom: figure(x?.score ?? null),
            scoreTo: figure(y?.score ?? null),
            delta: delta(x?.score ?? null, y?.score ?? null),
          };
        }),
        techniques: q.all ? techniques : techniques.filter((t) => t.classification !== 'unchanged'),
        computedAt: now().toISOString(),
      };
    },

    async trend(q: { from?: string; to?: string; kind?: SnapshotKind }): Promise<SnapshotTrend> {
      const from = q.from ? new Date(q.from) : undefined;
      const to = q.to ? new Date(q.to) : undefined;
      if (from && to && from >= to)
        throw errors.validation([{ path: 'query.from', message: 'from must be before to' }]);
      const rows = await snapshotPoints(db, {
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(q.kind ? { kind: q.kind } : {}),
      });
      return {
        points: rows.map((r) => {
          const s = summaryOf(r);
          return {
            id: s.id,
            kind: s.kind,
            takenAt: s.takenAt,
            organizationScore: s.organizationScore,
            organizationThreatScore: s.organizationThreatScore,
            counts: s.counts,
          };
        }),
      };
    },
  };
}
export type SnapshotsService = ReturnType<typeof createSnapshotsService>;
