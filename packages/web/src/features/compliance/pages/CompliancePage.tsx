import type { ComplianceControlSummary, ComplianceFramework } from '@aegis/contracts';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useId } from 'react';
import { useFacets } from '../../../app/facets';
import type { Column } from '../../../components/DataTable';
import { EmptyState, PageHeader } from '../../../components/Feedback';
import { ClearFilters, countedOptions, FilterBar, SelectField } from '../../../components/FilterBar';
import { PagedTable } from '../../../components/PagedTable';
import { QueryView } from '../../../components/QueryView';
import { SearchField } from '../../../components/SearchField';
import { TechniqueFilter } from '../../attack/components/TechniqueFilter';
import { useUrlSearchText } from '../../catalog/components/ui';
import { compact } from '../../catalog/search';
import { CoverageSummary } from '../../coverage/components/CoverageSummary';
import { useControls, useFrameworks } from '../api';
import type { ComplianceSearch } from '../search';

const PAGE_SIZE = 50;

const columns: Column<ComplianceControlSummary>[] = [
  {
    header: 'Control',
    className: 'w-28 whitespace-nowrap',
    cell: (c) => (
      <Link
        to="/compliance/controls/$id"
        params={{ id: c.id }}
        className="font-mono text-xs text-sky-700 hover:underline"
      >
        {c.controlId}
      </Link>
    ),
  },
  {
    header: 'Name',
    cell: (c) => (
      <Link
        to="/compliance/controls/$id"
        params={{ id: c.id }}
        className="font-medium text-sky-700 hover:underline"
      >
        {c.name}
      </Link>
    ),
  },
  { header: 'Family', className: 'text-slate-600 whitespace-nowrap', cell: (c) => c.family ?? '—' },
  { header: 'Techniques', className: 'text-slate-600', cell: (c) => c.techniqueCount },
  {
    header: 'Coverage',
    className: 'w-48',
    cell: (c) => <CoverageSummary coverage={c.coverage} compact />,
  },
];

/** `/compliance`: the frameworks, and the chosen one's controls with their techniques' coverage. */
export function CompliancePage() {
  const frameworks = useFrameworks();
  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title="Compliance controls" />
      <QueryView
        query={frameworks}
        loading="Loading the frameworks…"
        failed="The compliance frameworks could not be loaded."
        isEmpty={(items) => items.length === 0}
        empty="No compliance framework is registered."
      >
        {(items) => <Frameworks frameworks={items} />}
      </QueryView>
    </div>
  );
}

function Frameworks({ frameworks }: { frameworks: ComplianceFramework[] }) {
  const search = useSearch({ from: '/app/compliance' });
  const current =
    frameworks.find((f) => f.framework === search.framework) ??
    frameworks.find((f) => f.controls > 0) ??
    frameworks[0];
  return (
    <>
      <nav aria-label="Frameworks" className="mb-4">
        <ul className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
          {frameworks.map((f) => {
            const selected = f.framework === current?.framework;
            return (
              <li key={f.framework}>
                <Link
                  to="/compliance"
                  search={{ framework: f.framework }}
                  aria-current={selected ? 'page' : undefined}
                  className={`block h-full rounded-lg border bg-white p-3 hover:border-sky-400 ${
                    selected ? 'border-sky-500 ring-1 ring-sky-500' : 'border-slate-200'
                  }`}
                >
                  <span className="block font-medium text-slate-900">{f.name}</span>
                  <span className="mt-1 block text-sm text-slate-600">
                    {f.controls === 0
                      ? 'Not synced yet'
                      : `${f.controls} controls · ${f.techniques} techniques mapped`}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {current && <Controls framework={current} />}
    </>
  );
}

function Controls({ framework }: { framework: ComplianceFramework }) {
  const search = useSearch({ from: '/app/compliance' });
  const navigate = useNavigate({ from: '/compliance' });
  const setFilters = (patch: Partial<ComplianceSearch>) =>
    void navigate({
      search: (prev: ComplianceSearch) => compact({ ...prev, page: undefined, ...patch }),
      replace: true,
    });
  const [text, setText] = useUrlSearchText(search.q, (q) => setFilters({ q }));
  const searchId = useId();

  const page = search.page ?? 1;
  const filtered = Boolean(search.q || search.technique || search.family);
  const families = useFacets('/compliance/families', { framework: framework.framework });
  const controls = useControls(
    {
      framework: framework.framework,
      family: search.family,
      q: search.q,
      technique: search.technique,
      limit: PAGE_SIZE,
      offset: (page - 1) * PAGE_SIZE,
    },
    framework.controls > 0,
  );

  if (framework.controls === 0)
    return (
      <EmptyState>
        {framework.name} has no controls yet: an admin can sync it under System → Data sources.
      </EmptyState>
    );

  return (
    <section aria-label={`${framework.name} controls`}>
      <FilterBar>
        <SearchField id={searchId} placeholder="Control id, name or text" value={text} onChange={setText} />
        <SelectField
          label="Family"
          value={search.family ?? ''}
          options={countedOptions('Any family', families.data, search.family)}
          onChange={(family) => setFilters({ family: family || undefined })}
        />
        <TechniqueFilter value={search.technique} onChange={(technique) => setFilters({ technique })} />
        <ClearFilters
          filtered={filtered}
          onClear={() => setFilters({ q: undefined, technique: undefined, family: undefined })}
        />
      </FilterBar>
      <PagedTable
        query={controls}
        loading="Loading controls…"
        failed="The controls could not be loaded."
        empty="No control of this framework matches these filters."
        columns={columns}
        rowTestId="control-row"
        page={page}
        pageSize={PAGE_SIZE}
        onPage={(next) =>
          void navigate({ search: (prev: ComplianceSearch) => compact({ ...prev, page: next }) })
        }
      />
    </section>
  );
}
