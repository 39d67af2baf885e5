import { Link } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { describeError, type Query } from '../../../app/api';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { Pager, useDebounced } from '../../catalog/components/ui';
import { inputClass } from '../../test-cases/components/ui';
import { useThreatActors } from '../api';

const PAGE_SIZE = 50;

/** Validated techniques out of all the group's techniques, as a thin bar with the numbers beside it. */
export function ValidatedBar({ validated, total }: { validated: number; total: number }) {
  const percent = total === 0 ? 0 : Math.round((validated / total) * 100);
  return (
    <div className="flex items-center gap-2">
      <div
        role="img"
        aria-label={`${validated} of ${total} techniques validated`}
        className="h-2 w-28 overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full bg-emerald-500" style={{ width: `${percent}%` }} />
      </div>
      <span className="text-xs tabular-nums text-slate-600">
        {validated}/{total}
      </span>
    </div>
  );
}

export function ThreatActorsPage() {
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const [offset, setOffset] = useState(0);
  const searchId = useId();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new search goes back to page 1.
  useEffect(() => setOffset(0), [q]);

  const query: Query = { q: q || undefined, limit: PAGE_SIZE, offset };
  const actors = useThreatActors(query);

  return (
    <div className="mx-auto max-w-6xl">
      <PageHeader title="Threat actors" />
      <search className="mb-4 rounded-lg border border-slate-200 bg-white p-3">
        <label htmlFor={searchId} className="block text-sm font-medium text-slate-700">
          Search
          <input
            id={searchId}
            type="search"
            placeholder="Name, alias or ATT&CK id (G0016)"
            className={`${inputClass} mt-1`}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
      </search>
      {actors.isPending ? (
        <Spinner label="Loading threat actors…" />
      ) : actors.isError ? (
        <ErrorMessage
          title="The threat actors could not be loaded."
          message={describeError(actors.error)}
          onRetry={() => void actors.refetch()}
        />
      ) : actors.data.items.length === 0 ? (
        <EmptyState>
          {q ? 'No threat actor matches this search.' : 'No threat actor has been imported.'}
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" aria-busy={actors.isFetching}>
            <thead className="bg-slate-50 text-xs text-slate-500">
              <tr>
                <th className="px-3 py-2 font-medium">Group</th>
                <th className="px-3 py-2 font-medium">Aliases</th>
                <th className="px-3 py-2 font-medium">Validated techniques</th>
              </tr>
            </thead>
            <tbody>
              {actors.data.items.map((a) => (
                <tr
                  key={a.id}
                  data-testid="actor-row"
                  className="border-t border-slate-100 align-top hover:bg-slate-50"
                >
                  <td className="px-3 py-2">
                    <span className="mr-2 font-mono text-xs text-slate-500">{a.attackId}</span>
                    <Link
                      to="/threat-actors/$id"
                      params={{ id: a.attackId ?? a.id }}
                      className="font-medium text-sky-700 hover:underline"
                    >
                      {a.name}
                    </Link>
                  </td>
                  <td className="max-w-md px-3 py-2 text-slate-600">
                    {a.aliases.filter((alias) => alias !== a.name).join(', ') || '—'}
                  </td>
                  <td className="px-3 py-2">
                    <ValidatedBar validated={a.validatedCount} total={a.techniqueCount} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} pageSize={PAGE_SIZE} total={actors.data.total} onChange={setOffset} />
        </div>
      )}
    </div>
  );
}
