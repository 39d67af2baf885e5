import { Link } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { describeError, type Query } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { SearchField } from '../../../components/SearchField';
import { inputClass, secondaryButton } from '../../test-cases/components/ui';
import { TEMPLATE_EDITOR_ROLES, useBulkTemplates, useTemplateStats, useTemplates } from '../api';
import { ActiveBadge, Pager, TechniqueLinks, useDebounced } from '../components/ui';

const PAGE_SIZE = 50;

export function TemplatesPage() {
  const user = useUser();
  const canEdit = hasRole(user, TEMPLATE_EDITOR_ROLES);
  const [text, setText] = useState('');
  const q = useDebounced(text);
  const [source, setSource] = useState('');
  const [platform, setPlatform] = useState('');
  const [tactic, setTactic] = useState('');
  const [active, setActive] = useState<'' | 'true' | 'false'>('');
  const [offset, setOffset] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const ids = { q: useId(), source: useId(), platform: useId(), tactic: useId(), active: useId() };

  // biome-ignore lint/correctness/useExhaustiveDependencies: any filter change goes back to page 1.
  useEffect(() => {
    setOffset(0);
    setSelected(new Set());
  }, [q, source, platform, tactic, active]);

  const query: Query = {
    q: q || undefined,
    source: source || undefined,
    platform: platform || undefined,
    tactic: tactic || undefined,
    active: active || undefined,
    limit: PAGE_SIZE,
    offset,
  };
  const templates = useTemplates(query);
  const stats = useTemplateStats();
  const bulk = useBulkTemplates();
  const filtered = Boolean(q || source || platform || tactic || active);

  const pageIds = templates.data?.items.map((t) => t.id) ?? [];
  const allSelected = pageIds.length > 0 && pageIds.every((id) => selected.has(id));
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const applyBulk = (value: boolean) =>
    bulk.mutate({ ids: [...selected], active: value }, { onSuccess: () => setSelected(new Set()) });

  const bucketOptions = (buckets: { key: string; total: number }[] | undefined) =>
    (buckets ?? []).map((b) => (
      <option key={b.key} value={b.key}>
        {b.key} ({b.total})
      </option>
    ));

  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title="Test catalog">
        {stats.data && (
          <p className="text-sm text-slate-600">
            {stats.data.active} of {stats.data.total} templates active ·{' '}
            {stats.data.coverage.withActiveTemplate} of {stats.data.coverage.techniques} techniques have an
            active template
          </p>
        )}
      </PageHeader>
      <search className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <SearchField
          id={ids.q}
          placeholder="Name, description or technique"
          value={text}
          onChange={setText}
        />
        <label htmlFor={ids.source} className="text-sm font-medium text-slate-700">
          Source
          <select
            id={ids.source}
            className={`${inputClass} mt-1`}
            value={source}
            onChange={(e) => setSource(e.target.value)}
          >
            <option value="">Any source</option>
            {bucketOptions(stats.data?.bySource)}
          </select>
        </label>
        <label htmlFor={ids.platform} className="text-sm font-medium text-slate-700">
          Platform
          <select
            id={ids.platform}
            className={`${inputClass} mt-1`}
            value={platform}
            onChange={(e) => setPlatform(e.target.value)}
          >
            <option value="">Any platform</option>
            {bucketOptions(stats.data?.byPlatform)}
          </select>
        </label>
        <label htmlFor={ids.tactic} className="text-sm font-medium text-slate-700">
          Tactic
          <select
            id={ids.tactic}
            className={`${inputClass} mt-1`}
            value={tactic}
            onChange={(e) => setTactic(e.target.value)}
          >
            <option value="">Any tactic</option>
            {bucketOptions(stats.data?.byTactic)}
          </select>
        </label>
        <label htmlFor={ids.active} className="text-sm font-medium text-slate-700">
          Status
          <select
            id={ids.active}
            className={`${inputClass} mt-1`}
            value={active}
            onChange={(e) => setActive(e.target.value as '' | 'true' | 'false')}
          >
            <option value="">Active or not</option>
            <option value="true">Active</option>
            <option value="false">Inactive</option>
          </select>
        </label>
      </search>

      {canEdit && selected.size > 0 && (
        <div
          role="toolbar"
          aria-label="Bulk actions"
          className="mb-3 flex flex-wrap items-center gap-2 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-sm"
        >
          <span className="font-medium text-sky-900">{selected.size} selected</span>
          <button
            type="button"
            className={secondaryButton}
            disabled={bulk.isPending}
            onClick={() => applyBulk(true)}
          >
            Activate
          </button>
          <button
            type="button"
            className={secondaryButton}
            disabled={bulk.isPending}
            onClick={() => applyBulk(false)}
          >
            Deactivate
          </button>
          <button
            type="button"
            className="text-sky-800 hover:underline"
            onClick={() => setSelected(new Set())}
          >
            Clear selection
          </button>
          {bulk.isError && <span className="text-red-700">{describeError(bulk.error)}</span>}
        </div>
      )}
      {bulk.isSuccess && selected.size === 0 && (
        <p role="status" className="mb-3 text-sm text-emerald-800">
          {bulk.data.updated} template{bulk.data.updated === 1 ? '' : 's'} updated.
        </p>
      )}

      {templates.isPending ? (
        <Spinner label="Loading templates…" />
      ) : templates.isError ? (
        <ErrorMessage
          title="The templates could not be loaded."
          message={describeError(templates.error)}
          onRetry={() => void templates.refetch()}
        />
      ) : templates.data.items.length === 0 ? (
        <EmptyState>
          {filtered
            ? 'No template matches these filters.'
            : 'The catalog is empty: an admin can sync a data source (Atomic Red Team, LOLBAS, …).'}
        </EmptyState>
      ) : (
        <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm" aria-busy={templates.isFetching}>
            <thead className="bg-slate-50 text-xs text-slate-500">
              <tr>
                {canEdit && (
                  <th className="w-8 px-3 py-2">
                    <input
                      type="checkbox"
                      aria-label="Select every template on this page"
                      checked={allSelected}
                      onChange={() =>
                        setSelected(allSelected ? new Set() : new Set([...selected, ...pageIds]))
                      }
                    />
                  </th>
                )}
                <th className="px-3 py-2 font-medium">Name</th>
                <th className="px-3 py-2 font-medium">Source</th>
                <th className="px-3 py-2 font-medium">Techniques</th>
                <th className="px-3 py-2 font-medium">Platforms</th>
                <th className="px-3 py-2 font-medium">Status</th>
              </tr>
            </thead>
            <tbody>
              {templates.data.items.map((t) => (
                <tr
                  key={t.id}
                  data-testid="template-row"
                  className="border-t border-slate-100 align-top hover:bg-slate-50"
                >
                  {canEdit && (
                    <td className="px-3 py-2">
                      <input
                        type="checkbox"
                        aria-label={`Select ${t.name}`}
                        checked={selected.has(t.id)}
                        onChange={() => toggle(t.id)}
                      />
                    </td>
                  )}
                  <td className="px-3 py-2">
                    <Link
                      to="/catalog/$id"
                      params={{ id: t.id }}
                      className="font-medium text-sky-700 hover:underline"
                    >
                      {t.name}
                    </Link>
                    {t.isCustom && <span className="ml-1 text-xs text-slate-500">custom</span>}
                  </td>
                  <td className="px-3 py-2 text-slate-600">{t.source}</td>
                  <td className="px-3 py-2">
                    <TechniqueLinks techniques={t.techniques} />
                  </td>
                  <td className="px-3 py-2 text-slate-600">{t.platforms.join(', ') || '—'}</td>
                  <td className="px-3 py-2">
                    <ActiveBadge active={t.active} removed={t.removedAt !== null} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager offset={offset} pageSize={PAGE_SIZE} total={templates.data.total} onChange={setOffset} />
        </div>
      )}
    </div>
  );
}
