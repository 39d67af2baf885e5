import type { HeatmapLayerInfo } from '@aegis/contracts';
import { readableText } from '../../components/contrast';
import type { GridColumn, GridItem } from './grid';

export const EMPTY_CELL = '#f8fafc';
export const OUT_OF_SCOPE_CELL = '#e2e8f0';
/** Out-of-scope cells are hatched (their text is read against OUT_OF_SCOPE_CELL, the darker stripe). */
export const HATCH = `repeating-linear-gradient(135deg, ${OUT_OF_SCOPE_CELL} 0 4px, #f1f5f9 4px 8px)`;

/** The cells as shown: one row per (technique, tactic) with the layer's value, label and colour. */
export function csvRows(items: readonly GridItem[]): (string | number)[][] {
  return [
    ['attackId', 'name', 'tactic', 'value', 'label', 'colour'],
    ...items.map((i) => [
      i.cell.attackId ?? '',
      i.cell.name,
      i.tactic,
      i.cell.value ?? '',
      i.cell.label,
      i.cell.color ?? '',
    ]),
  ];
}

const escapeXml = (text: string) =>
  text.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

const COL = 120;
const ROW = 22;
const HEAD = 40;
const GAP = 4;

/** The legend's entries: the categories, or the gradient's ends and middle. */
export function legendEntries(layer: HeatmapLayerInfo): { label: string; color: string }[] {
  if (layer.legend.length > 0) return layer.legend.map((l) => ({ label: l.label, color: l.color }));
  const g = layer.gradient;
  if (!g) return [];
  const last = g.colors.length - 1;
  return g.colors.map((color, i) => ({
    label: String(g.minValue + ((g.maxValue - g.minValue) * i) / last),
    color,
  }));
}

/**
 * The matrix as drawn, as a standalone SVG: a header per tactic, one rect per cell in the cell's
 * colour with its id and a `<title>` (name, tactic, label, detail), and the legend underneath.
 */
export function buildSvg(columns: readonly GridColumn[], layer: HeatmapLayerInfo, caption: string): string {
  const rows = Math.max(1, ...columns.map((c) => c.items.length));
  const width = Math.max(columns.length * (COL + GAP) + GAP, 480);
  const gridBottom = HEAD + rows * (ROW + 2) + 8;
  const legend = legendEntries(layer);
  const height = gridBottom + 60;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="10">`,
    `<title>${escapeXml(caption)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ];
  columns.forEach((column, c) => {
    const x = GAP + c * (COL + GAP);
    out.push(
      `<rect x="${x}" y="4" width="${COL}" height="${HEAD - 8}" rx="3" fill="#1e293b"/>`,
      `<text x="${x + 4}" y="22" fill="#ffffff" font-weight="600">${escapeXml(column.name)}</text>`,
    );
    column.items.forEach((item, r) => {
      const y = HEAD + r * (ROW + 2);
      const indent = item.cell.isSubtechnique ? 8 : 0;
      const fill = item.cell.color ?? (item.cell.inScope ? EMPTY_CELL : OUT_OF_SCOPE_CELL);
      const title = `${item.cell.attackId ?? ''} ${item.cell.name} — ${column.name}: ${item.cell.label}. ${item.cell.detail}`;
      out.push(
        `<g><title>${escapeXml(title)}</title>`,
        `<rect x="${x + indent}" y="${y}" width="${COL - indent}" height="${ROW}" rx="2" fill="${fill}" stroke="#94a3b8" stroke-width="0.5"${item.cell.inScope ? '' : ' stroke-dasharray="3 2"'}/>`,
        `<text x="${x + indent + 4}" y="${y + 14}" fill="${readableText(fill)}">${escapeXml(`${item.cell.attackId ?? ''} ${item.cell.name}`.slice(0, 24))}</text></g>`,
      );
    });
  });
  out.push(
    `<text x="${GAP}" y="${gridBottom + 4}" fill="#0f172a" font-weight="600">${escapeXml(layer.title)}</text>`,
  );
  legend.forEach((entry, i) => {
    const x = GAP + i * 130;
    out.push(
      `<rect x="${x}" y="${gridBottom + 14}" width="14" height="14" fill="${entry.color}" stroke="#94a3b8" stroke-width="0.5"/>`,
      `<text x="${x + 18}" y="${gridBottom + 25}" fill="#0f172a">${escapeXml(entry.label)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n');
}
