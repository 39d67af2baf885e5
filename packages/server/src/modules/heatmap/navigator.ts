import type { Heatmap, NavigatorLayer } from '@aegis/contracts';
import { breakdownLine, COVERAGE_LEGEND, SCORE_GRADIENT, type TechniqueRow } from './layers';

/**
 * A heatmap as an ATT&CK Navigator layer 4.5 (analysis spec §3.3). Pure: the heatmap and the rows it
 * was computed from in, the layer object out — one entry per (technique, tactic) with `tactic` always
 * set, only in-scope active techniques, metadata that is never empty, absolute links only.
 */

export interface ExportContext {
  /** "Aegis 0.1.0". */
  exportedBy: string;
  exportedAt: Date;
  /** The platforms of the export's scope, in the release's own names. */
  platforms: string[];
  /** AEGIS_PUBLIC_URL, if set: each entry links back to the technique's page. */
  publicUrl: string | undefined;
  scoreConfig: { version: number; weights: Record<string, number> };
  /** The heatmap's filters in words ("none" when none). */
  filters: string;
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const NAVIGATOR_VERSION = '5.1.0';

/** https://attack.mitre.org/techniques/T1059/001/ */
export const attackUrl = (attackId: string) =>
  `https://attack.mitre.org/techniques/${attackId.replace('.', '/')}/`;

const statusLabel = (status: string) => COVERAGE_LEGEND.find((l) => l.value === status)?.label ?? status;

function comment(row: TechniqueRow, cell: Heatmap['techniques'][number]): string {
  const parts = [
    `${statusLabel(row.status)}: ${row.current_results} current result${row.current_results === 1 ? '' : 's'}`,
    row.own_score === null ? 'not scored' : `own score ${round1(Number(row.own_score)).toFixed(1)}`,
    cell.detail,
  ];
  return parts
    .filter((p) => p !== '')
    .join(' · ')
    .slice(0, 500);
}

export function toNavigatorLayer(
  heatmap: Heatmap,
  rows: ReadonlyMap<string, TechniqueRow>,
  ctx: ExportContext,
): NavigatorLayer {
  const gradient = heatmap.layer.kind === 'gradient';
  const columns = new Set(heatmap.tactics.map((t) => t.shortname));
  const techniques: NavigatorLayer['techniques'] = [];
  for (const cell of heatmap.techniques) {
    const row = rows.get(cell.id);
    if (!row || !cell.inScope || !cell.attackId) continue;
    // Gradient layers: the own score (the Navigator computes the parents' aggregates itself, as
    // Aegis does: average, unscored counted). Categorical ones: the category's rank and its colour.
    const score = gradient
      ? cell.value === null
        ? undefined
        : row.own_score === null
          ? undefined
          : round1(Number(row.own_score))
      : (cell.value ?? undefined);
    const metadata: NavigatorLayer['techniques'][number]['metadata'] = [
      {
        name: 'Aegis score',
        value: row.own_score === null ? 'not scored' : round1(Number(row.own_score)).toFixed(1),
      },
      { name: 'Coverage status', value: statusLabel(row.status) },
      { name: 'Current results', value: String(row.current_results) },
      { name: 'Layer value', value: cell.label },
      { divider: true },
      { name: 'Breakdown', value: breakdownLine(row) },
    ];
    const links = [
      ...(ctx.publicUrl ? [{ label: 'Aegis', url: `${ctx.publicUrl}/techniques/${cell.attackId}` }] : []),
      { label: 'ATT&CK', url: attackUrl(cell.attackId) },
    ];
    for (const tactic of cell.tactics) {
      if (!columns.has(tactic)) continue;
      techniques.push({
        techniqueID: cell.attackId,
        tactic,
        ...(score === undefined ? {} : { score }),
        ...(!gradient && cell.color ? { color: cell.color } : {}),
        comment: comment(row, cell),
        enabled: true,
        metadata,
        links,
      });
    }
  }
  const weights = Object.entries(ctx.scoreConfig.weights)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return {
    name: `Aegis — ${heatmap.layer.title}`.slice(0, 100),
    versions: {
      attack: (heatmap.release ?? '').split('.')[0] || '18',
      navigator: NAVIGATOR_VERSION,
      layer: '4.5',
    },
    domain: heatmap.domain,
    description: `${heatmap.layer.description}; as of ${ctx.exportedAt.toISOString()}, scoring configuration v${ctx.scoreConfig.version}.`,
    filters: { platforms: ctx.platforms },
    sorting: gradient ? 3 : 0,
    layout: {
      layout: 'side',
      showID: true,
      showName: true,
      showAggregateScores: true,
      countUnscored: true,
      aggregateFunction: 'average',
      expandedSubtechniques: 'annotated',
    },
    hideDisabled: false,
    techniques,
    gradient: {
      colors: [...SCORE_GRADIENT],
      minValue: 0,
      maxValue: gradient ? 100 : Math.max(1, heatmap.layer.legend.length - 1),
    },
    legendItems: gradient ? [] : heatmap.layer.legend.map((l) => ({ label: l.label, color: l.color })),
    showTacticRowBackground: false,
    tacticRowBackground: '#dddddd',
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
    metadata: [
      { name: 'Exported by', value: ctx.exportedBy },
      { name: 'Exported at', value: ctx.exportedAt.toISOString() },
      { name: 'ATT&CK release', value: heatmap.release ?? 'unknown' },
      { name: 'Layer', value: heatmap.layer.name },
      { name: 'Score config', value: `v${ctx.scoreConfig.version}${weights ? ` (${weights})` : ''}` },
      { name: 'Filters', value: ctx.filters },
    ],
    links: [],
  };
}
