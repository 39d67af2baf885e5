import type { DetectionRuleSummary } from '@aegis/contracts';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useId } from 'react';
import type { Column } from '../../../components/DataTable';
import { PageHeader } from '../../../components/Feedback';
import {
  ClearFilters,
  FilterBar,
  optionsWithAny,
  SelectField,
  yesNoOptions,
} from '../../../components/FilterBar';
import { PagedTable } from '../../../components/PagedTable';
import { SearchField } from '../../../components/SearchField';
import { TechniqueFilter } from '../../attack/components/TechniqueFilter';
import { useRules } from '../api';
import { LevelBadge, TechniqueLinks, useUrlSearchText } from '../components/ui';
import { compact, type RulesSearch } from '../search';

const PAGE_SIZE = 50;
const sources = [
  { value: 'sigma', label: 'Sigma (core)' },
  { value: 'sigma-emerging-threats', label: 'Sigma (emerging threats)' },
  { value: 'sigma-threat-hunting', label: 'Sigma (threat hunting)' },
  { value: 'elastic', label: 'Elastic' },
];
const levels = ['informational', 'low', 'medium', 'high', 'critical'];
const statuses = ['stable', 'test', 'experimental', 'deprecated', 'unsupported', 'production', 'development'];
const plain = (values: string[]) => values.map((v) => ({ value: v, label: v }));

const columns: Column<DetectionRuleSummary>[] = [
  {
    header: 'Title',
    cell: (r) => (
      <Link
        to="/detection-rules/$id"
        params={{ id: r.id }}
        className="font-medium text-sky-700 hover:underline"
      >
        {r.title}
      </Link>
    ),
  },
  { header: 'Author', cell: (r) => r.author ?? 'Unknown author', className: 'text-slate-700' },
  { header: 'Source', cell: (r) => r.source, className: 'text-slate-600' },
  { header: 'Level', cell: (r) => <LevelBadge level={r.level} /> },
  { header: 'Status', cell: (r) => r.status ?? '—', className: 'text-slate-600' },
  {
    header: 'Techniques',
    cell: (r) => <TechniqueLinks techniques={r.techniques} unresolved={r.unresolvedAttackIds} />,
  },
  { header: 'Deployed', cell: (r) => (r.deployed ? 'Yes' : 'No') },
];

export function RulesPage() {
  const search = useSearch({ from: '/app/detection-rules' });
  const navigate = useNavigate({ from: '/detection-rules' });
  const setFilters = (patch: Partial<RulesSearch>) =>
    void navigate({
      search: (prev: RulesSearch) => compact({ ...prev, page: undefined, ...patch }),
      replace: true,
    });
  const [text, setText] = useUrlSearchText(search.q, (q) => setFilters({ q }));
  const searchId = useId();

  const page = search.page ?? 1;
  const { page: _page, ...filters } = search;
  const rules = useRules({ ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const filtered = Object.keys(filters).length > 0;

  return (
    <div className="mx-auto max-w-7xl">
      <PageHeader title="Detection rules" />
      <FilterBar>
        <SearchField
          id={searchId}
          placeholder="Title, description or rule id"
          value={text}
          onChange={setText}
        />
        <TechniqueFilter value={search.technique} onChange={(technique) => setFilters({ technique })} />
        <SelectField
          label="Source"
          value={search.source ?? ''}
          options={optionsWithAny('Any source', sources, search.source)}
          onChange={(source) => setFilters({ source })}
        />
        <SelectField
          label="Level"
          value={search.level ?? ''}
          options={optionsWithAny('Any level', plain(levels), search.level)}
          onChange={(level) => setFilters({ level })}
        />
        <SelectField
          label="Status"
          value={search.status ?? ''}
          options={optionsWithAny('Any status', plain(statuses), search.status)}
          onChange={(status) => setFilters({ status })}
        />
        <SelectField
          label="Deployed"
          value={search.deployed ?? ''}
          options={yesNoOptions('Deployed or not', 'Deployed', 'Not deployed')}
          onChange={(deployed) => setFilters({ deployed: deployed || undefined })}
        />
        <ClearFilters filtered={filtered} onClear={() => void navigate({ search: {}, replace: true })} />
      </FilterBar>

      <PagedTable
        query={rules}
        loading="Loading rules…"
        failed="The rules could not be loaded."
        empty={
          filtered
            ? 'No rule matches these filters.'
            : 'No detection rule yet: an admin can sync Sigma or Elastic rules.'
        }
        columns={columns}
        rowTestId="rule-row"
        page={page}
        pageSize={PAGE_SIZE}
        onPage={(next) => void navigate({ search: (prev: RulesSearch) => compact({ ...prev, page: next }) })}
      />
    </div>
  );
}
