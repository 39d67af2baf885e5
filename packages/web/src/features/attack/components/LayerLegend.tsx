import type { HeatmapLayerInfo } from '@aegis/contracts';
import { EMPTY_CELL, HATCH } from '../exports';

function Swatch({ background, label }: { background: string; label: string }) {
  return (
    <li className="flex items-center gap-1.5">
      <span aria-hidden="true" className="size-3 rounded-sm border border-black/20" style={{ background }} />
      {label}
    </li>
  );
}

/** The layer's legend: its categories, or its gradient with the ends' values; then empty and out of scope. */
export function LayerLegend({ layer }: { layer: HeatmapLayerInfo }) {
  const g = layer.gradient;
  return (
    <ul
      aria-label={`${layer.title} legend`}
      data-testid="layer-legend"
      className="flex flex-wrap items-center gap-3 text-xs text-slate-700"
    >
      <li className="font-semibold" title={layer.description}>
        {layer.title}
      </li>
      {layer.legend.map((l) => (
        <Swatch key={l.value} background={l.color} label={l.label} />
      ))}
      {g && (
        <li className="flex items-center gap-1.5">
          {g.minValue}
          <span
            role="img"
            aria-label={`Gradient from ${g.minValue} to ${g.maxValue}`}
            className="h-3 w-32 rounded-sm border border-black/20"
            style={{ background: `linear-gradient(to right, ${g.colors.join(', ')})` }}
          />
          {g.maxValue}
        </li>
      )}
      <Swatch background={EMPTY_CELL} label="Empty" />
      <Swatch background={HATCH} label="Out of scope" />
    </ul>
  );
}
