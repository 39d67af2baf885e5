import type { TestTemplateSummary } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useId, useState } from 'react';
import { describeError } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { primaryButton, secondaryButton } from '../../../components/buttons';
import type { Column } from '../../../components/DataTable';
import { PageHeader } from '../../../components/Feedback';
import {
  ClearFilters,
  countedOptions,
  FilterBar,
  SelectField,
  yesNoOptions,
} from '../../../components/FilterBar';
import { PagedTable } from '../../../components/PagedTable';
import { SearchField } from '../../../components/SearchField';
import { useTacticNames } from '../../attack/api';
import { TechniqueFilter } from '../../attack/components/TechniqueFilter';
import { useBulkTemplates, useTemplateStats, useTemplates } from '../api';
import { ActiveBadge, TechniqueLinks, useUrlSearchText } from '../components/ui';
import { compact, type TemplatesSearch } from '../search';

const PAGE_SIZE = 50;

export function TemplatesPage() {
  const user = useUser();
  const canEdit = hasRole(user, ROLE_GROUPS.red);
  const search = useSearch({ from: '/app/catalog' });
  const navigate = useNavigate({ from: '/catalog' });
  const setFilters = (patch: Partial<TemplatesSearch>) =>
    void navigate({
      search: (prev: TemplatesSearch) => compact({ ...prev, page: undefined, ...patch }),
      replace: true,
    });
  const [text, setText] = useUrlSearchText(search.q, (q) => setFilters({ q }));
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const searchId = useId();

  const page = search.page ?? 1;
  const { page: _page, ...filters } = search;
  const filterKey = JSON.stringify(filters);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts a new selection.
  useEffect(() => setSelected(new Set()), [filterKey]);

  const templates = useTemplates({ ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const stats = useTemplateStats();
  const tacticName = useTacticNames();
  const bulk = useBulkTemplates();
  const filtered = Object.keys(filters).length > 0;

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

  const columns: Column<TestTemplateSummary>[] = [
    ...(canEdit
      ? [
          {
            header: (
              <input
                type="checkbox"
                aria-label="Select every template on this page"
                checked={allSelected}
                onChange={() => setSelected(allSelected ? new Set() : new Set([...selected, ...pageIds]))}
              />
            ),
            className: 'w-8',
            cell: (t: TestTemplateSummary) => (
              <input
                type="checkbox"
                aria-label={`Select ${t.name}`}
                checked={selected.has(t.id)}
                onChange={() => toggle(t.id)}
              />
            ),
          },
        ]
      : []),
    {
      header: 'Name',
      cell: (t) => (
        <>
          <Link to="/catalog/$id" params={{ id: t.id }} className="font-medium text-sky-700 hover:underline">
            {t.name}
          </Link>
          {t.isCustom && <span className="ml-1 text-xs text-slate-500">custom</span>}
        </>
      ),
    },
    { header: 'Source', cell: (t) => t.source, className: 'text-slate-600' },
    {
      header: 'Techniques',
      cell: (t) => <TechniqueLinks techniques={t.techniques} unresolved={t.unresolvedAttackIds} />,
    },
    { header: 'Platforms', cell: (t) => t.platforms.join(', ') || '—', className: 'text-slate-600' },
    { header: 'Status', cell: (t) => <ActiveBadge active={t.active} removed={t.removedAt !== null} /> },
  ];

  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title="Test catalog">
        <div className="flex flex-wrap items-center gap-3">
          {stats.data && (
            <p className="text-sm text-slate-600">
              {stats.data.active} of {stats.data.total} templates active ·{' '}
              {stats.data.coverage.withActiveTemplate} of {stats.data.coverage.techniques} techniques have an
              active template
            </p>
          )}
          {canEdit && (
            <Link to="/catalog/new" search={{ technique: search.technique }} className={primaryButton}>
              New template
            </Link>
          )}
        </div>
      </PageHeader>
      <FilterBar>
        <SearchField
          id={searchId}
          placeholder="Name, description or source id"
          value={text}
          onChange={setText}
        />
        <TechniqueFilter value={search.technique} onChange={(technique) => setFilters({ technique })} />
        <SelectField
          label="Source"
          value={search.source ?? ''}
          options={countedOptions('Any source', stats.data?.bySource, search.source)}
          onChange={(source) => setFilters({ source })}
        />
        <SelectField
          label="Platform"
          value={search.platform ?? ''}
          options={countedOptions('Any platform', stats.data?.byPlatform, search.platform)}
          onChange={(platform) => setFilters({ platform })}
        />
        <SelectField
          label="Tactic"
          value={search.tactic ?? ''}
          options={countedOptions('Any tactic', stats.data?.byTactic, search.tactic, tacticName)}
          onChange={(tactic) => setFilters({ tactic })}
        />
        <SelectField
          label="Status"
          value={search.active ?? ''}
          options={yesNoOptions('Active or not', 'Active', 'Inactive')}
          onChange={(active) => setFilters({ active: active || undefined })}
        />
        <ClearFilters filtered={filtered} onClear={() => void navigate({ search: {}, replace: true })} />
      </FilterBar>

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

      <PagedTable
        query={templates}
        loading="Loading templates…"
        failed="The templates could not be loaded."
        empty={
          filtered
            ? 'No template matches these filters.'
            : 'The catalog is empty: an admin can sync a data source (Atomic Red Team, LOLBAS, …).'
        }
        columns={columns}
        rowTestId="template-row"
        page={page}
        pageSize={PAGE_SIZE}
        onPage={(next) =>
          void navigate({ search: (prev: TemplatesSearch) => compact({ ...prev, page: next }) })
        }
      />
    </div>
  );
}
