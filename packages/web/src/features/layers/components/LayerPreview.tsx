import type { ClaimedLayerDetail } from '@aegis/contracts';
import { fileText, unresolvedItems } from '../format';
import { CountsList } from './CountsList';
import { ItemTable } from './ItemTable';
import { LayerMeta } from './LayerMeta';
import { WarningGroups } from './WarningGroups';

/** One layer of a dry run: how it was read, its counts, its warnings by code, what did not resolve. */
export function LayerPreview({ layer }: { layer: ClaimedLayerDetail }) {
  const unresolved = unresolvedItems(layer.items);
  const headingId = `preview-layer-${layer.sourceIndex}`;
  return (
    <article
      aria-labelledby={headingId}
      data-testid="layer-preview"
      className="flex flex-col gap-3 rounded-md border border-slate-200 p-3"
    >
      <h3 id={headingId} className="text-base font-semibold text-slate-900">
        {fileText(layer.name)}
      </h3>
      <LayerMeta layer={layer} />
      <CountsList counts={layer.counts} testId="preview-counts" />
      <section aria-label={`Warnings of ${layer.name}`} className="flex flex-col gap-2">
        <h4 className="text-sm font-semibold text-slate-800">Warnings ({layer.warnings.length})</h4>
        <WarningGroups layer={layer} headingLevel={5} />
      </section>
      <section aria-label={`Unresolved entries of ${layer.name}`} className="flex flex-col gap-2">
        <h4 className="text-sm font-semibold text-slate-800">Unresolved entries ({unresolved.length})</h4>
        {unresolved.length === 0 ? (
          <p className="text-sm text-slate-600">Every entry landed on an active technique.</p>
        ) : (
          <ItemTable items={unresolved} label={`Unresolved entries of ${layer.name}`} />
        )}
      </section>
    </article>
  );
}
