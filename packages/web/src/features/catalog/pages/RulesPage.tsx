import { Link } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { describeError, type Query } from '../../../app/api';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { SearchField } from '../../../components/SearchField';
import { inputClass } from '../../test-cases/components/ui';
import { useRules } from '../api';
import { Pager, TechniqueLinks, useDebounced } from '../components/ui';

const PAGE_SIZE = 50;
const sources = [
  { value: 'sigma', label: 'Sigma (core)' },
  { value: 'sigma-emerging-threats', label: 'Sigma (emerging threats)' },
  { value: 'sigma-threat-hunting', label: 'Sigma (threat hunting)' },
  { value: 'elastic', label: 'Elastic' },
];
const levels = ['informational', 'low', 'medium', 'high', 'critical'];
const statuses = ['stable', 'test', 'experimental', 'deprecated', 'unsupported', 'production', 'development'];

export const levelStyles: Record<string, string> = {
  critical: 'border-red-400 bg-red-50 text-red-900',
  high: 'border-orange-300 bg-orange-50 text-orange-900',
  medium: 'border-amber-300 bg-amber-50 text-amber-900',
  low: 'border-sky-300 bg-sky-50 text-sky-900',
};

export function LevelBadge({ level }: { level: string | null }) {
  if (!level) return <span className="text-slate-400">—</span>;
  return (
    <span
      className={`rounded-full border px-2 py-0.5 text-xs ${levelStyles[level] ?? 'border-slate-300 bg-slate-100 text-slate-700'}`}
    >
      {level}
    </span>
  );
}

export function RulesPage() {
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const [source, setSource] = useState('');
  const [level, setLevel] = useState('');
  const [status, setStatus] = useState('');
  const [offset, setOffset] = useState(0);
  const ids = { q: useId(), source: useId(), level: useId(), status: useId() };

  // biome-ignore lint/correctness/useExhaustiveDependencies: any filter change goes back to page 1.
  useEffect(() => setOffset(0), [q, source, level, status]);

  const query: Query = {
    q: q || undefined,
    source: source || undefined,
    level: level || undefined,
    status: status || undefined,
    limit: PAGE_SIZE,
    offset,
  };
  const rules = useRules(query);
  const filtered = Boolean(q || source || level || status);

  const select = (
    id: string,
    label: string,
    value: string,
    onChange: (v: string) => void,
    options: { value: string; label: string }[],
    anyLabel: string,
  ) => (
    <label htmlFor={id} className="text-sm font-medium text-slate-700">
      {label}
      <select
        id={id}
        className={`${inputClass} mt-1`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
  const plain = (values: string[]) => values.map((v) => ({ value: v, label: v }));

  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title="Detection rules" />
      <search className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <SearchField
          id={ids.q}
          placeholder="Title, description or technique"
          value={text}
          onChange={setText}
        />
        {select(ids.source, 'Source', source, setSource, sources, 'Any source')}
        {select(ids.level, 'Level', level, setLevel, plain(levels), 'Any level')}
        {select(ids.status, 'Status', status, setStatus, plain(statuses), 'Any status')}
      </search>

      {rules.isPending ? (
        <Spinner label="Loading rules…" />
      ) : rules.isError ? (
        <ErrorMessage
          title="The rules could not be loaded."
          message={describeError(rules.error)}
          onRetry={() => void rules.refetch()}
        />
      ) : rules.data.items.length === 0 ? (
        <EmptyState>
          {filtered
            ? 'No rule matches these filters.'
            : 'No detection rule yet: an admin can sync Sigma or Elastic rules.'}
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" aria-busy={rules.isFetching}>
            <thead className="bg-slate-50 text-xs text-slate-500">
              <tr>
                <th className="px-3 py-2 font-medium">Title</th>
                <th className="px-3 py-2 font-medium">Author</th>
                <th className="px-3 py-2 font-medium">Source</th>
                <th className="px-3 py-2 font-medium">Level</th>
                <th className="px-3 py-2 font-medium">Status</th>
                <th className="px-3 py-2 font-medium">Techniques</th>
                <th className="px-3 py-2 font-medium">Deployed</th>
              </tr>
            </thead>
            <tbody>
              {rules.data.items.map((r) => (
                <tr
                  key={r.id}
                  data-testid="rule-row"
                  className="border-t border-slate-100 align-top hover:bg-slate-50"
                >
                  <td className="px-3 py-2">
                    <Link
                      to="/detection-rules/$id"
                      params={{ id: r.id }}
                      className="font-medium text-sky-700 hover:underline"
                    >
                      {r.title}
                    </Link>
                  </td>
                  <td className="px-3 py-2 text-slate-700">{r.author ?? 'Unknown author'}</td>
                  <td className="px-3 py-2 text-slate-600">{r.source}</td>
                  <td className="px-3 py-2">
                    <LevelBadge level={r.level} />
                  </td>
                  <td className="px-3 py-2 text-slate-600">{r.status ?? '—'}</td>
                  <td className="px-3 py-2">
                    <TechniqueLinks techniques={r.techniques} />
                  </td>
                  <td className="px-3 py-2">{r.deployed ? 'Yes' : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} pageSize={PAGE_SIZE} total={rules.data.total} onChange={setOffset} />
        </div>
      )}
    </div>
  );
}
