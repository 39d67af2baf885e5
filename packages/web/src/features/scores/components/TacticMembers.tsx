import type { TacticScore } from '@aegis/contracts';
import { type Column, DataTable } from '../../../components/DataTable';
import { QueryView } from '../../../components/QueryView';
import { useTacticScore } from '../api';
import { formatScore, formatValue } from '../format';
import { coverageColumn, techniqueColumn } from './CompactTable';

type Member = TacticScore['members'][number];

const columns: Column<Member>[] = [
  techniqueColumn(),
  coverageColumn(),
  {
    header: 'Aggregate score',
    className: 'w-28 text-right tabular-nums',
    cell: (m) => formatScore(m.aggregateScore),
  },
  { header: 'Groups using it', className: 'w-28 text-right tabular-nums', cell: (m) => m.nActors },
  {
    header: <span title="1 + the groups using it">Threat weight ω</span>,
    className: 'w-28 text-right tabular-nums',
    cell: (m) => 1 + m.nActors,
  },
];

/**
 * One tactic's score taken apart: its in-scope top-level techniques with their aggregate scores and
 * threat weights, and the two means they give.
 */
export function TacticMembers({ shortname }: { shortname: string }) {
  return (
    <QueryView
      query={useTacticScore(shortname)}
      loading="Loading the tactic’s techniques…"
      failed="The tactic’s techniques could not be loaded."
    >
      {(tactic) => <MembersView tactic={tactic} />}
    </QueryView>
  );
}

function MembersView({ tactic }: { tactic: TacticScore }) {
  const n = tactic.members.length;
  if (n === 0) return <p className="text-sm text-slate-500">No technique of {tactic.name} is in scope.</p>;
  let sum = 0;
  let weighted = 0;
  let weights = 0;
  for (const m of tactic.members) {
    const value = m.aggregateScore.value ?? 0;
    sum += value;
    weighted += (1 + m.nActors) * value;
    weights += 1 + m.nActors;
  }
  return (
    <div className="flex flex-col gap-2 text-sm text-slate-600">
      <p data-testid="tactic-formula">
        Score: {formatValue(sum, 1)} ÷ {n} ={' '}
        <span className="font-medium text-slate-900">{formatScore(tactic.score)}</span>. Threat-weighted: Σ ω
        × aggregate ÷ Σ ω = {formatValue(weighted, 1)} ÷ {weights} ={' '}
        <span className="font-medium text-slate-900">{formatScore(tactic.threatScore)}</span>.
      </p>
      <DataTable columns={columns} rows={tactic.members} rowKey={(m) => m.id} rowTestId="tactic-member" />
    </div>
  );
}
