import type { Heatmap } from '@aegis/contracts';
import { withQuery } from '../../../app/api';
import { toCsv } from '../../../components/csv';
import { downloadText } from '../../../components/download';
import { buildSvg, csvRows } from '../exports';
import type { GridLayout } from '../grid';
import type { HeatmapParams } from '../search';

const button =
  'rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-700 shadow-sm hover:bg-slate-50';

/** The layer as a Navigator file (the server's export, same filters), and the cells shown as SVG or CSV. */
export function MatrixExports({
  heatmap,
  params,
  layout,
}: {
  heatmap: Heatmap;
  params: HeatmapParams;
  layout: GridLayout;
}) {
  const { layer, ...filters } = params;
  const base = `aegis-${heatmap.layer.name.replaceAll(':', '-')}-${heatmap.domain}`;
  return (
    <div className="flex items-center gap-1.5">
      <span className="text-sm text-slate-600">Export</span>
      <a
        href={withQuery('/api/v1/heatmap/export/navigator', { layers: layer, ...filters })}
        download
        className={button}
      >
        Navigator JSON
      </a>
      <button
        type="button"
        className={button}
        onClick={() =>
          downloadText(
            `${base}.svg`,
            buildSvg(
              layout.columns,
              heatmap.layer,
              `Aegis — ${heatmap.layer.title}, ATT&CK ${heatmap.release ?? ''}`,
            ),
            'image/svg+xml',
          )
        }
      >
        SVG
      </button>
      <button
        type="button"
        className={button}
        onClick={() => downloadText(`${base}.csv`, toCsv(csvRows(layout.shown)), 'text/csv;charset=utf-8')}
      >
        CSV
      </button>
    </div>
  );
}
