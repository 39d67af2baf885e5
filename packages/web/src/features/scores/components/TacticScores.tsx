import type { TacticScoreSummary } from '@aegis/contracts';
import { useId, useState } from 'react';
import { secondaryButton } from '../../../components/buttons';
import { csvHref } from '../../../components/csv';
import { EmptyState } from '../../../components/Feedback';
import { inputClass } from '../../../components/SearchField';
import { formatScore, tacticScoresCsv } from '../format';
import { type CompactColumn, CompactTable } from './CompactTable';
import { TacticMembers } from './TacticMembers';
import { ScoreLegend, TacticScoreChart } from './TacticScoreChart';

const columns: CompactColumn<TacticScoreSummary>[] = [
  { header: 'Tactic', cell: (t) => <span data-testid="table-tactic">{t.name}</span> },
  { header: 'Techniques in scope', align: 'right', cell: (t) => t.techniqueCount },
  {
    header: 'Score',
    align: 'right',
    cell: (t) => <span data-testid="table-score">{formatScore(t.score)}</span>,
  },
  {
    header: 'Threat-weighted',
    align: 'right',
    cell: (t) => <span data-testid="table-threat-score">{formatScore(t.threatScore)}</span>,
  },
];

/**
 * The tactics' scores: the bar chart, the same figures as a table and as a CSV file, and one tactic
 * taken apart into its techniques on request.
 */
export function TacticScores({ tactics }: { tactics: readonly TacticScoreSummary[] }) {
  const [member, setMember] = useState('');
  const selectId = useId();
  const scored = tactics.filter((t) => t.shortname);
  if (tactics.length === 0) return <EmptyState>No ATT&CK data has been imported yet.</EmptyState>;
  return (
    <div className="flex flex-col gap-3">
      <ScoreLegend />
      <div data-testid="tactic-score-chart" aria-hidden="true">
        <TacticScoreChart tactics={tactics} />
      </div>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <details className="min-w-0 flex-1 text-sm">
          <summary className="cursor-pointer text-slate-600">Show as a table</summary>
          <div data-testid="tactic-score-table" className="mt-2">
            <CompactTable
              caption="Score and threat-weighted score per tactic"
              columns={columns}
              rows={tactics}
              rowKey={(t) => t.id}
              rowTestId="tactic-score-row"
            />
          </div>
        </details>
        <a href={csvHref(tacticScoresCsv(tactics))} download="tactic-scores.csv" className={secondaryButton}>
          Download CSV
        </a>
      </div>
      <div className="border-t border-slate-100 pt-3">
        <label htmlFor={selectId} className="text-sm font-medium text-slate-700">
          Take a tactic apart
          <select
            id={selectId}
            className={`${inputClass} mt-1 max-w-xs`}
            value={member}
            onChange={(e) => setMember(e.target.value)}
          >
            <option value="">Choose a tactic…</option>
            {scored.map((t) => (
              <option key={t.id} value={t.shortname ?? ''}>
                {t.name} ({t.techniqueCount})
              </option>
            ))}
          </select>
        </label>
        {member && (
          <div className="mt-3">
            <TacticMembers shortname={member} />
          </div>
        )}
      </div>
    </div>
  );
}
