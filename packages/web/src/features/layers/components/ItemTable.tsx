import type { ClaimedItem } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { type Column, DataTable } from '../../../components/DataTable';
import { VirtualTable } from '../../../components/VirtualTable';
import { fileText, RESOLUTION_LABELS, resolutionSteps, tacticPhrase } from '../format';

const RESOLUTION_STYLES: Record<ClaimedItem['resolution'], string> = {
  active: 'border-emerald-300 bg-emerald-50 text-emerald-900',
  revoked: 'border-sky-300 bg-sky-50 text-sky-900',
  deprecated: 'border-amber-300 bg-amber-50 text-amber-900',
  unknown: 'border-red-300 bg-red-50 text-red-900',
};

const score = (n: number | null) => (n === null ? '—' : String(Math.round(n * 10) / 10));

/** One entry of a layer: where it came from in the file, where it landed, and whether it claims. */
const columns: Column<ClaimedItem>[] = [
  { header: '#', className: 'w-12 tabular-nums text-slate-600', cell: (i) => i.position + 1 },
  {
    header: 'Resolution',
    className: 'whitespace-nowrap',
    cell: (i) => (
      <span
        data-testid="item-resolution"
        className={`inline-block rounded-full border px-2 py-0.5 text-xs ${RESOLUTION_STYLES[i.resolution]}`}
      >
        {RESOLUTION_LABELS[i.resolution]}
      </span>
    ),
  },
  { header: 'Technique (file → resolved)', cell: (i) => <ResolvedId item={i} /> },
  { header: 'Tactic', className: 'text-xs text-slate-700', cell: (i) => tacticPhrase(i) },
  {
    header: 'Score (normalised)',
    className: 'whitespace-nowrap tabular-nums',
    cell: (i) => (
      <>
        {score(i.score)}
        {i.normalisedScore !== null && (
          <span className="text-xs text-slate-600"> ({score(i.normalisedScore)})</span>
        )}
      </>
    ),
  },
  {
    header: 'Colour',
    className: 'whitespace-nowrap text-xs',
    cell: (i) =>
      i.color ? (
        <span className="inline-flex items-center gap-1">
          <span
            aria-hidden="true"
            className="size-3 rounded-sm border border-slate-300"
            style={{ background: i.color }}
          />
          {i.color}
        </span>
      ) : (
        '—'
      ),
  },
  {
    header: 'Comment',
    className: 'max-w-xs text-xs text-slate-700',
    // Text from the file: rendered as text, never as HTML.
    cell: (i) => (
      <span data-testid="item-comment" className="line-clamp-3 break-words">
        {fileText(i.comment) || '—'}
      </span>
    ),
  },
  {
    header: 'Claimed',
    className: 'whitespace-nowrap text-xs',
    cell: (i) => (
      <span data-testid="item-claimed">
        {i.claimed ? 'Claimed' : 'Not claimed'}
        {!i.enabled && <span className="block text-slate-600">disabled in the file</span>}
      </span>
    ),
  },
  {
    header: 'Warnings',
    className: 'text-xs text-slate-700',
    cell: (i) => (i.warnings.length ? i.warnings.join(', ') : '—'),
  },
];

/** A layer's entries: a plain table for a handful (the preview), a virtualised one for a whole layer. */
export function ItemTable({
  items,
  label,
  virtual = false,
}: {
  items: readonly ClaimedItem[];
  label: string;
  virtual?: boolean;
}) {
  const rowKey = (i: ClaimedItem) => String(i.position);
  if (!virtual) return <DataTable columns={columns} rows={items} rowKey={rowKey} rowTestId="claimed-item" />;
  return (
    <VirtualTable
      label={label}
      columns={columns}
      rows={items}
      rowKey={rowKey}
      rowTestId="claimed-item"
      total={items.length}
      hasMore={false}
      loadingMore={false}
      loadMore={() => undefined}
    />
  );
}

/** The revocation chain as text, the id it landed on as a link to the technique. */
function ResolvedId({ item }: { item: ClaimedItem }) {
  const steps = resolutionSteps(item);
  const last = steps[steps.length - 1];
  return (
    <span className="font-mono text-xs" data-testid="item-chain">
      {steps.slice(0, -1).map((id) => `${id} → `)}
      {item.attackId && last === item.attackId ? (
        <Link to="/techniques/$id" params={{ id: item.attackId }} className="text-sky-700 hover:underline">
          {last}
        </Link>
      ) : (
        last
      )}
    </span>
  );
}
