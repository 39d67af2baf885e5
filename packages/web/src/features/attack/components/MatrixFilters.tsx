import { useState } from 'react';
import { coverageOrder, coverageStyles } from '../../../components/coverage';
import { MATRIX_DOMAINS, type MatrixDomain, type MatrixSearch } from '../search';
import { field } from './LayerSwitcher';

export const DOMAIN_NAMES: Record<MatrixDomain, string> = {
  'enterprise-attack': 'Enterprise',
  'mobile-attack': 'Mobile',
  'ics-attack': 'ICS',
};

interface Props {
  search: MatrixSearch;
  tactics: { shortname: string; name: string }[];
  platforms: string[];
  onChange: (patch: Partial<MatrixSearch>) => void;
}

/** The domain switch and the server-side filters (platform, tactic, actor, tests, status), all in the URL. */
export function MatrixFilters({ search, tactics, platforms, onChange }: Props) {
  const domain = search.domain ?? 'enterprise-attack';
  const [actor, setActor] = useState(search.actor ?? '');
  const filtered = Boolean(
    search.platform || search.tactic || search.actor || search.hasTests !== undefined || search.status,
  );
  return (
    <div className="flex flex-wrap items-center gap-2">
      <fieldset className="flex rounded-md border border-slate-300 bg-white p-0.5 shadow-sm">
        <legend className="sr-only">ATT&CK domain</legend>
        {MATRIX_DOMAINS.map((d) => (
          <button
            key={d}
            type="button"
            aria-pressed={d === domain}
            onClick={() =>
              onChange({
                domain: d === 'enterprise-attack' ? undefined : d,
                tactic: undefined,
                platform: undefined,
              })
            }
            className={`rounded px-2.5 py-1 text-sm ${d === domain ? 'bg-slate-800 text-white' : 'text-slate-700 hover:bg-slate-100'}`}
          >
            {DOMAIN_NAMES[d]}
          </button>
        ))}
      </fieldset>
      <select
        aria-label="Platform"
        value={search.platform ?? ''}
        onChange={(e) => onChange({ platform: e.target.value || undefined })}
        className={field}
      >
        <option value="">All platforms</option>
        {platforms.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <select
        aria-label="Tactic"
        value={search.tactic ?? ''}
        onChange={(e) => onChange({ tactic: e.target.value || undefined })}
        className={field}
      >
        <option value="">All tactics</option>
        {tactics.map((t) => (
          <option key={t.shortname} value={t.shortname}>
            {t.name}
          </option>
        ))}
      </select>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ actor: actor.trim() || undefined });
        }}
      >
        <input
          type="search"
          aria-label="Used by threat actor"
          placeholder="Used by actor (G0016)"
          value={actor}
          onChange={(e) => setActor(e.target.value)}
          onBlur={() =>
            actor.trim() !== (search.actor ?? '') && onChange({ actor: actor.trim() || undefined })
          }
          className={`${field} w-48`}
        />
      </form>
      <select
        aria-label="Tests"
        value={search.hasTests === undefined ? '' : String(search.hasTests)}
        onChange={(e) =>
          onChange({ hasTests: e.target.value === '' ? undefined : e.target.value === 'true' })
        }
        className={field}
      >
        <option value="">With or without tests</option>
        <option value="true">With tests</option>
        <option value="false">Without tests</option>
      </select>
      <select
        aria-label="Coverage status"
        value={search.status ?? ''}
        onChange={(e) => onChange({ status: (e.target.value || undefined) as MatrixSearch['status'] })}
        className={field}
      >
        <option value="">All statuses</option>
        {coverageOrder.map((s) => (
          <option key={s} value={s}>
            {coverageStyles[s].label}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={!filtered}
        onClick={() => {
          setActor('');
          onChange({
            platform: undefined,
            tactic: undefined,
            actor: undefined,
            hasTests: undefined,
            status: undefined,
          });
        }}
        className="rounded-md px-2 py-1.5 text-sm text-sky-700 hover:bg-sky-50 disabled:text-slate-500 disabled:hover:bg-transparent"
      >
        Clear filters
      </button>
    </div>
  );
}
