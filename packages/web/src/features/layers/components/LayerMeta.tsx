import type { ClaimedLayerSummary } from '@aegis/contracts';
import type { ReactNode } from 'react';
import { formatDateTime } from '../../test-cases/components/ui';
import { fileText } from '../format';

const who = (u: ClaimedLayerSummary['importedBy']) => (u ? u.displayName || u.username : '—');

/**
 * What a layer says about itself and how it was read: file, domain, declared versions, the release
 * it resolved against, its gradient and claim rule. Names and descriptions come from the file and
 * are rendered as text.
 */
export function LayerMeta({ layer, full = false }: { layer: ClaimedLayerSummary; full?: boolean }) {
  const rows: [string, ReactNode][] = [
    ['File', `${layer.sourceFilename}${layer.sourceIndex > 0 ? ` (layer ${layer.sourceIndex + 1})` : ''}`],
    ['Domain', layer.domain],
    ['Layer format', layer.layerVersion ?? '—'],
    ['ATT&CK declared', layer.attackVersion ?? '—'],
    ['Resolved against', layer.resolvedRelease ? `ATT&CK ${layer.resolvedRelease}` : '—'],
    ['Gradient', `${layer.gradient.min}–${layer.gradient.max}`],
    ['Claims when', `enabled, and no score or a score above ${layer.claimThreshold}`],
  ];
  if (full)
    rows.push(
      ['Imported', `${formatDateTime(layer.importedAt)} by ${who(layer.importedBy)}`],
      ['Resolved', formatDateTime(layer.resolvedAt)],
      [
        'SHA-256',
        <code key="sha" className="break-all text-xs">
          {layer.sha256}
        </code>,
      ],
    );
  return (
    <div className="flex flex-col gap-2">
      {layer.description && (
        <p data-testid="layer-description" className="whitespace-pre-line text-sm text-slate-700">
          {fileText(layer.description)}
        </p>
      )}
      <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr_max-content_1fr]">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd className="text-slate-900">{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
