import {
  type Classification,
  type Heatmap,
  type HeatmapExportQuery,
  type HeatmapLayerCatalog,
  type HeatmapQuery,
  type NavigatorLayer,
  ROLE_GROUPS,
  type Role,
} from '@aegis/contracts';
import type { SQL } from 'drizzle-orm';
import type { Db } from '../../infra/db';
import { errors } from '../../infra/http';
import { claimMarks } from '../claims';
import type { ScoreColumns } from '../scores';
import {
  actorMark,
  complianceMark,
  controlCount,
  domainCounts,
  domainPlatforms,
  domainTactics,
  findActor,
  heatmapRows,
  type TechniqueFilters,
} from './heatmap.queries';
import {
  LAYERS,
  type LayerContext,
  layerInfo,
  type ParsedLayer,
  parseLayer,
  type TechniqueRow,
  UnknownLayerError,
} from './layers';
import { toNavigatorLayer } from './navigator';

export interface HeatmapDeps {
  db: Db;
  config: { attack: { platformScope: readonly string[] | null } };
  configVersion: () => Promise<number>;
  /** The scoring configuration in force (the export's metadata names it). */
  scoreConfig: () => Promise<{ version: number; weights: Record<string, number> }>;
  /** Aegis' version, and AEGIS_PUBLIC_URL (exported layers link back to it when set). */
  version: string;
  publicUrl: string | undefined;
  release: (domain: string) => Promise<string | null>;
  /** Two snapshots (or one and now) compared: each technique's classification by STIX id, and the ends' names. */
  /** A snapshot's name and technique rows, by id (404 when none). */
  snapshotTechniques: (id: string) => Promise<{
    name: string;
    rows: Array<Pick<TechniqueRow, 'status' | keyof ScoreColumns> & { stix_id: string }>;
  }>;
  /** An imported layer's name, null when there is none with that id. */
  claimedLayerName: (id: string) => Promise<string | null>;
  compare: (
    from: string,
    to: string,
  ) => Promise<{
    fromName: string;
    toName: string;
    techniques: Array<{ stixId: string; classification: Classification; delta: number | null }>;
  }>;
  clock?: () => Date;
}

const layerError = (message: string) => errors.validation([{ path: 'query.layer', message }]);

export function createHeatmapService(deps: HeatmapDeps) {
  const { db } = deps;
  const now = deps.clock ?? (() => new Date());
  const scope = deps.config.attack.platformScope;

  /** The layer's name parsed, its arguments checked against the data, its title and what it needs. */
  async function prepare(
    q: HeatmapQuery,
    role: Role,
  ): Promise<{
    layer: ParsedLayer;
    title: string;
    marked: SQL | null;
    claims?: ReturnType<typeof claimMarks>;
    ctx: LayerContext;
  }> {
    let layer: ParsedLayer;
    try {
      layer = parseLayer(q.layer);
    } catch (err) {
      if (err instanceof UnknownLayerError) throw layerError(err.message);
      throw err;
    }
    const { provider, args } = layer;
    if (provider.prefix === 'actor') {
      const actor = await findActor(db, q.domain, args[0] as string);
      if (!actor) throw errors.notFound('Threat actor', args[0] as string);
      return {
        layer,
        title: `Threat actor ${actor.attack_id ?? ''} ${actor.name}`.replace(/\s+/g, ' ').trim(),
        marked: actorMark(actor.id),
        ctx: {},
      };
    }
    if (provider.prefix === 'compliance') {
      const [framework, control] = args as [string, string | undefined];
      if ((await controlCount(db, framework, control)) === 0)
        throw errors.notFound(control ? 'Compliance control' : 'Compliance framework', control ?? framework);
      return {
        layer,
        title: `Compliance: ${framework}${control ? ` ${control.toUpperCase()}` : ''}`,
        marked: complianceMark(framework, control),
        ctx: {},
      };
    }
    if (provider.prefix === 'snapshot-delta') {
      // Snapshots are read by leads and admin only (as their routes): so is their change layer.
      if (!ROLE_GROUPS.leads.includes(role))
        throw errors.forbidden('The snapshot-delta layer is for leads and admins');
      const [from, to] = args as [string, string];
      const compared = await deps.compare(from, to);
      return {
        layer,
        title: `Change: ${compared.fromName} → ${compared.toName}`,
        marked: null,
        ctx: {
          classifications: new Map(
            compared.techniques.map((t) => [t.stixId, { classification: t.classification, delta: t.delta }]),
          ),
        },
      };
    }
    if (provider.prefix === 'snapshot') {
      if (!ROLE_GROUPS.leads.includes(role))
        throw errors.forbidden('Snapshot layers are for leads and admins');
      const snap = await deps.snapshotTechniques(args[0] as string);
      return {
        layer,
        title: `Scores at ${snap.name}`,
        marked: null,
        ctx: {
          asOf: new Map(
            snap.rows.map((r) => [
              r.stix_id,
              {
                status: r.status,
                own_score: r.own_score,
                aggregate_score: r.aggregate_score,
                c_tests: r.c_tests,
                c_rules: r.c_rules,
                c_d3fend: r.c_d3fend,
                c_fresh: r.c_fresh,
                c_platform: r.c_platform,
                current_results: r.current_results,
              },
            ]),
          ),
        },
      };
    }
    if (provider.parameter === 'claimedLayer') {
      const id = args[0];
      if (id !== undefined) {
        const found = await deps.claimedLayerName(id);
        if (found === null) throw errors.notFound('Layer', id);
        return { layer, title: `${provider.title}: ${found}`, marked: null, claims: claimMarks(id), ctx: {} };
      }
      return { layer, title: provider.title, marked: null, claims: claimMarks(), ctx: {} };
    }
    return { layer, title: provider.title, marked: null, ctx: {} };
  }

  return {
    catalog(): HeatmapLayerCatalog {
      return {
        layers: LAYERS.map((l) => ({
          name: l.prefix,
          title: l.title,
          kind: l.kind,
          parameter: l.parameter,
          description: l.description,
        })),
      };
    },

    /** The whole matrix of a domain on one layer: one statement for the techniques, one each for tactics and counts. */
    async heatmap(q: HeatmapQuery, role: Role): Promise<Heatmap> {
      return (await build(q, role)).heatmap;
    },

    /**
     * Layers as ATT&CK Navigator 4.5 files (spec §3.3): one layer object for one name, an array for
     * several; the same filters on each.
     */
    async navigator(
      q: HeatmapExportQuery,
      role: Role,
    ): Promise<{ body: NavigatorLayer | NavigatorLayer[]; filename: string }> {
      const names = q.layers;
      const at = now();
      const [config, platforms] = await Promise.all([deps.scoreConfig(), domainPlatforms(db, q.domain)]);
      const scoped = platforms.filter((p) =>
        q.platform ? p.toLowerCase() === q.platform.toLowerCase() : scope ? scope.includes(p) : p !== 'PRE',
      );
      const filterWords =
        [
          q.platform && `platform ${q.platform}`,
          q.tactic && `tactic ${q.tactic}`,
          q.actor && `actor ${q.actor}`,
          q.hasTests !== undefined && `has tests ${q.hasTests}`,
          q.status && `status ${q.status}`,
        ]
          .filter(Boolean)
          .join(', ') || 'none';
      const layers: NavigatorLayer[] = [];
      for (const layer of names) {
        const { heatmap, rows } = await build({ ...q, layer }, role);
        layers.push(
          toNavigatorLayer(heatmap, new Map(rows.map((r) => [r.id, r])), {
            exportedBy: `Aegis ${deps.version}`,
            exportedAt: at,
            platforms: scoped,
            publicUrl: deps.publicUrl,
            scoreConfig: config,
            filters: filterWords,
          }),
        );
      }
      const day = at.toISOString().slice(0, 10).replace(/-/g, '');
      const label =
        names.length === 1 ? (names[0] as string).replace(/[^a-zA-Z0-9-]+/g, '-').slice(0, 60) : 'layers';
      return {
        body: layers.length === 1 ? (layers[0] as NavigatorLayer) : layers,
        filename: `aegis-${label}-${day}.json`,
      };
    },
  };

  /** The heatmap and the rows it was computed from (the Navigator export reads both). */
  async function build(q: HeatmapQuery, role: Role): Promise<{ heatmap: Heatmap; rows: TechniqueRow[] }> {
    const at = now();
    const { layer, title, marked, claims, ctx } = await prepare(q, role);
    const filters: TechniqueFilters = {
      platform: q.platform,
      tactic: q.tactic,
      hasTests: q.hasTests,
      status: q.status,
    };
    if (q.actor) {
      const actor = await findActor(db, q.domain, q.actor);
      if (!actor) throw errors.notFound('Threat actor', q.actor);
      filters.actorId = actor.id;
    }
    const [read, tactics, counts, release, version] = await Promise.all([
      heatmapRows(db, { domain: q.domain, platformScope: scope, filters, marked, claims: claims ?? null }),
      domainTactics(db, q.domain),
      domainCounts(db, q.domain, scope),
      deps.release(q.domain),
      deps.configVersion(),
    ]);
    // The snapshot layer reads each technique as the snapshot froze it (absent: added since).
    const asOf = ctx.asOf;
    const rows = asOf
      ? read.map((r) => {
          const then = asOf.get(r.stix_id);
          return then ? { ...r, ...then, marked: 1 } : { ...r, marked: 0 };
        })
      : read;
    const heatmap: Heatmap = {
      layer: layerInfo(layer, title),
      domain: q.domain,
      release,
      tactics: tactics
        .filter((t) => !q.tactic || t.shortname === q.tactic)
        .map((t) => ({ shortname: t.shortname, attackId: t.attack_id, name: t.name })),
      techniques: rows.map((r) => {
        const cell = r.in_scope
          ? layer.provider.cell(r, ctx)
          : {
              value: null,
              category: null,
              label: 'Out of scope',
              color: null,
              detail: 'Outside ORG_PLATFORM_SCOPE',
            };
        return {
          id: r.id,
          attackId: r.attack_id,
          name: r.name,
          isSubtechnique: r.is_subtechnique,
          parentId: r.parent_id,
          tactics: r.tactics,
          platforms: r.platforms,
          inScope: r.in_scope,
          coverageStatus: r.status as Heatmap['techniques'][number]['coverageStatus'],
          ...cell,
        };
      }),
      counts: { total: counts.total, shown: rows.length, outOfScope: counts.outOfScope },
      filters: {
        ...(q.platform ? { platform: q.platform } : {}),
        ...(q.tactic ? { tactic: q.tactic } : {}),
        ...(q.actor ? { actor: q.actor } : {}),
        ...(q.hasTests !== undefined ? { hasTests: q.hasTests } : {}),
        ...(q.status ? { status: q.status } : {}),
      },
      configVersion: version,
      computedAt: at.toISOString(),
    };
    return { heatmap, rows };
  }
}
export type HeatmapService = ReturnType<typeof createHeatmapService>;
