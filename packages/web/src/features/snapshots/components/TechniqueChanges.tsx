import type { Classification, ComparedTechnique } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import { CoverageBadge } from '../../../components/coverage';
import { type Column, DataTable } from '../../../components/DataTable';
import { EmptyState } from '../../../components/Feedback';
import { NONE, oneDecimal } from '../../metrics/format';
import { CLASSIFICATION_LABELS, signed } from '../format';
import { CLASSIFICATION_STYLES, deltaTone } from './ComparisonSummary';

const linkClass = 'font-mono text-sky-700 hover:underline';

function AttackIds({ t }: { t: ComparedTechnique }) {
  const link = (attackId: string | null, stixId: string) =>
    attackId ? (
      <Link to="/techniques/$id" params={{ id: attackId }} className={linkClass}>
        {attackId}
      </Link>
    ) : (
      <span className="font-mono text-slate-600" title={stixId}>
        {NONE}
      </span>
    );
  return (
    <span className="whitespace-nowrap">
      {link(t.attackId, t.stixId)}
      {t.movedTo && (
        <>
          {' → '}
          {link(t.movedTo.attackId, t.movedTo.stixId)}
        </>
      )}
    </span>
  );
}

const side = (s: ComparedTechnique['from']) => (s ? <CoverageBadge status={s.status} /> : NONE);
const score = (s: ComparedTechnique['from']) =>
  s?.score === null || s === null ? NONE : oneDecimal(s.score);

const columns: Column<ComparedTechnique>[] = [
  { header: 'ATT&CK', className: 'w-44', cell: (t) => <AttackIds t={t} /> },
  {
    header: 'Technique',
    cell: (t) => (
      <>
        {t.name}
        {t.movedTo && t.movedTo.name !== t.name && (
          <span className="block text-xs text-slate-600">now {t.movedTo.name}</span>
        )}
      </>
    ),
  },
  {
    header: 'Change',
    className: 'w-32',
    cell: (t) => (
      <span
        data-testid="classification"
        className={`inline-block rounded-full border px-2 py-0.5 text-xs ${CLASSIFICATION_STYLES[t.classification]}`}
      >
        {CLASSIFICATION_LABELS[t.classification]}
      </span>
    ),
  },
  {
    header: 'Status',
    className: 'whitespace-nowrap',
    cell: (t) => (
      <span data-testid="status-move" className="inline-flex items-center gap-1.5">
        {side(t.from)}
        <span aria-hidden="true">→</span>
        <span className="sr-only">to</span>
        {side(t.to)}
      </span>
    ),
  },
  {
    header: 'Score',
    className: 'whitespace-nowrap tabular-nums',
    cell: (t) => (
      <span data-testid="score-move">
        {score(t.from)} <span aria-hidden="true">→</span>
        <span className="sr-only">to</span> {score(t.to)}
      </span>
    ),
  },
  {
    header: 'Δ',
    className: 'text-right tabular-nums',
    cell: (t) => (
      <span data-testid="technique-delta" className={deltaTone(t.delta)}>
        {signed(t.delta)}
      </span>
    ),
  },
];

/** The compared techniques, what got worse first, optionally only those of one classification. */
export function TechniqueChanges({
  techniques,
  show,
  includesUnchanged,
}: {
  techniques: readonly ComparedTechnique[];
  show: Classification | undefined;
  includesUnchanged: boolean;
}) {
  const rows = show ? techniques.filter((t) => t.classification === show) : techniques;
  if (rows.length === 0)
    return (
      <EmptyState>
        {show === 'unchanged' && !includesUnchanged
          ? 'Unchanged techniques are listed when “Include unchanged techniques” is ticked.'
          : show
            ? `No technique is ${CLASSIFICATION_LABELS[show].toLowerCase()} between these two.`
            : 'Nothing changed between these two.'}
      </EmptyState>
    );
  return (
    <DataTable
      columns={columns}
      rows={rows}
      rowKey={(t) => `${t.stixId}:${t.movedTo?.stixId ?? ''}`}
      rowTestId="compared-technique"
    />
  );
}
