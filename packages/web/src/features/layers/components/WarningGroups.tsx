import type { ClaimedLayerDetail } from '@aegis/contracts';
import { groupWarnings, resolutionChain, tacticPhrase } from '../format';

/**
 * A layer's warnings grouped by code, each naming the entry it is about: its position, how its id
 * resolved (the revocation chain) and where its tactic went. Messages come from the server; entry
 * text comes from the file and is rendered as text.
 */
export function WarningGroups({
  layer,
  headingLevel = 3,
}: {
  layer: Pick<ClaimedLayerDetail, 'warnings' | 'items'>;
  headingLevel?: 3 | 4 | 5;
}) {
  const groups = groupWarnings(layer);
  if (groups.length === 0)
    return <p className="text-sm text-slate-600">No warnings: every entry read cleanly.</p>;
  const Heading = `h${headingLevel}` as const;
  return (
    <div className="flex flex-col gap-3">
      {groups.map((group) => (
        <section
          key={group.code}
          data-testid="warning-group"
          data-code={group.code}
          aria-label={`${group.title}: ${group.warnings.length}`}
          className="rounded-md border border-amber-200 bg-amber-50/60 px-3 py-2"
        >
          <Heading className="text-sm font-semibold text-amber-950">
            {group.title}{' '}
            <span className="font-normal tabular-nums text-amber-900">({group.warnings.length})</span>
            <code className="ml-2 text-xs font-normal text-amber-900">{group.code}</code>
          </Heading>
          <ul className="mt-1 flex flex-col gap-1 text-sm text-slate-800">
            {group.warnings.map(({ warning, item }, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: warnings have no id; their order is the server's.
              <li key={i} data-testid="warning-entry" className="flex flex-wrap items-baseline gap-x-2">
                {item ? (
                  <>
                    <span className="text-xs tabular-nums text-slate-600">#{item.position + 1}</span>
                    <span className="font-mono text-xs font-medium" data-testid="warning-chain">
                      {resolutionChain(item)}
                    </span>
                    <span className="text-xs text-slate-600">{tacticPhrase(item)}</span>
                  </>
                ) : (
                  <span className="text-xs text-slate-600">Layer</span>
                )}
                <span className="text-slate-700">— {warning.message}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
