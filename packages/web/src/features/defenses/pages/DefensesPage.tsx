import type { D3fendTechnique } from '@aegis/contracts';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useId } from 'react';
import { useFacets } from '../../../app/facets';
import type { Column } from '../../../components/DataTable';
import { PageHeader } from '../../../components/Feedback';
import { ClearFilters, countedOptions, FilterBar, SelectField } from '../../../components/FilterBar';
import { PagedTable } from '../../../components/PagedTable';
import { SearchField } from '../../../components/SearchField';
import { TechniqueFilter } from '../../attack/components/TechniqueFilter';
import { TechniqueLinks, useUrlSearchText } from '../../catalog/components/ui';
import { compact } from '../../catalog/search';
import { useDefenses } from '../api';
import { ImplementationBadge, implementationStyles } from '../components/Implementation';
import { D3FEND_TACTICS, type DefensesSearch, IMPLEMENTATION_FILTERS } from '../search';

const PAGE_SIZE = 50;
/** Techniques shown in a row before "+n more" (a countermeasure can counter dozens). */
const ROW_TECHNIQUES = 4;

const columns: Column<D3fendTechnique>[] = [
  {
    header: 'D3FEND id',
    className: 'w-28',
    cell: (d) => <span className="font-mono text-xs text-slate-600">{d.d3fendId}</span>,
  },
  {
    header: 'Countermeasure',
    cell: (d) => (
      <Link to="/defenses/$id" params={{ id: d.iri }} className="font-medium text-sky-700 hover:underline">
        {d.name}
      </Link>
    ),
  },
  { header: 'Tactic', className: 'text-slate-600', cell: (d) => d.tactic ?? '—' },
  {
    header: 'ATT&CK techniques',
    cell: (d) => (
      <div className="flex flex-wrap items-center gap-1">
        <TechniqueLinks
          techniques={d.techniques.slice(0, ROW_TECHNIQUES)}
          unresolved={d.unresolvedAttackIds}
        />
        {d.techniques.length > ROW_TECHNIQUES && (
          <span className="text-xs text-slate-500">+{d.techniques.length - ROW_TECHNIQUES} more</span>
        )}
      </div>
    ),
  },
  {
    header: 'Implementation',
    className: 'w-44',
    cell: (d) => <ImplementationBadge value={d.implementation} />,
  },
];

/** How many countermeasures are in each implementation status: four one-row requests for their totals. */
function ImplementationTotals() {
  const totals = {
    implemented: useDefenses({ implementation: 'implemented', limit: 1 }).data?.total,
    partial: useDefenses({ implementation: 'partial', limit: 1 }).data?.total,
    none: useDefenses({ implementation: 'none', limit: 1 }).data?.total,
    unset: useDefenses({ implementation: 'unset', limit: 1 }).data?.total,
  };
  if (Object.values(totals).some((n) => n === undefined)) return <p className="h-5" />;
  return (
    <ul aria-label="Countermeasures by implementation status" className="flex h-5 flex-wrap gap-3 text-sm">
      {IMPLEMENTATION_FILTERS.map((status) => (
        <li key={status}>
          <Link to="/defenses" search={{ implementation: status }} className="text-slate-600 hover:underline">
            {implementationStyles[status].label}:{' '}
            <span className="font-medium text-slate-900">{totals[status]}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function DefensesPage() {
  const search = useSearch({ from: '/app/defenses' });
  const navigate = useNavigate({ from: '/defenses' });
  const setFilters = (patch: Partial<DefensesSearch>) =>
    void navigate({
      search: (prev: DefensesSearch) => compact({ ...prev, page: undefined, ...patch }),
      replace: true,
    });
  const [text, setText] = useUrlSearchText(search.q, (q) => setFilters({ q }));
  const searchId = useId();

  // The synced tactics with their counts, in D3FEND's matrix order.
  const tacticFacets = useFacets('/d3fend/tactics');
  const order = (key: string) => {
    const i = (D3FEND_TACTICS as readonly string[]).indexOf(key);
    return i === -1 ? D3FEND_TACTICS.length : i;
  };
  const tactics = tacticFacets.data
    ? [...tacticFacets.data].sort((a, b) => order(a.key) - order(b.key) || a.key.localeCompare(b.key))
    : undefined;

  const page = search.page ?? 1;
  const { page: _page, ...filters } = search;
  const defenses = useDefenses({ ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const filtered = Object.keys(filters).length > 0;

  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title="D3FEND defenses">
        <ImplementationTotals />
      </PageHeader>
      <p className="-mt-2 mb-3 text-sm text-slate-600">
        The implementation status recorded here is the D3FEND part of each ATT&CK technique’s{' '}
        <Link to="/scores" className="text-sky-700 underline">
          score
        </Link>
        : implemented counts fully, partial half; until any status is recorded, that part is left out.
      </p>
      <FilterBar>
        <SearchField
          id={searchId}
          placeholder="Name, D3FEND id or definition"
          value={text}
          onChange={setText}
        />
        <TechniqueFilter value={search.technique} onChange={(technique) => setFilters({ technique })} />
        <SelectField
          label="Tactic"
          value={search.tactic ?? ''}
          options={countedOptions('Any tactic', tactics, search.tactic)}
          onChange={(tactic) => setFilters({ tactic })}
        />
        <SelectField
          label="Implementation"
          value={search.implementation ?? ''}
          options={[
            { value: '', label: 'Any status' },
            ...IMPLEMENTATION_FILTERS.map((s) => ({ value: s, label: implementationStyles[s].label })),
          ]}
          onChange={(implementation) => setFilters({ implementation: implementation || undefined })}
        />
        <ClearFilters filtered={filtered} onClear={() => void navigate({ search: {}, replace: true })} />
      </FilterBar>

      <PagedTable
        query={defenses}
        loading="Loading D3FEND countermeasures…"
        failed="The countermeasures could not be loaded."
        empty={
          filtered
            ? 'No countermeasure matches these filters.'
            : 'No D3FEND data yet: an admin can sync the D3FEND source under System → Data sources.'
        }
        columns={columns}
        rowTestId="defense-row"
        page={page}
        pageSize={PAGE_SIZE}
        onPage={(next) =>
          void navigate({ search: (prev: DefensesSearch) => compact({ ...prev, page: next }) })
        }
      />
    </div>
  );
}
