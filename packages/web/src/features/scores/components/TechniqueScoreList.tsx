import type { TechniqueScoreSummary } from '@aegis/contracts';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useId } from 'react';
import { coverageOrder, coverageStyles } from '../../../components/coverage';
import type { Column } from '../../../components/DataTable';
import {
  ClearFilters,
  FilterBar,
  type Option,
  optionsWithAny,
  SelectField,
} from '../../../components/FilterBar';
import { PagedTable } from '../../../components/PagedTable';
import { inputClass } from '../../../components/SearchField';
import { TacticNames } from '../../attack/components/TacticNames';
import { TacticPlatformFilters } from '../../attack/components/TacticPlatformFilters';
import { useUrlSearchText } from '../../catalog/components/ui';
import { compact } from '../../catalog/search';
import { useTechniqueScores } from '../api';
import { formatScore } from '../format';
import { type ScoresSearch, searchScore } from '../search';
import { coverageColumn } from './CompactTable';

const PAGE_SIZE = 50;

const sortOptions: Option[] = [
  { value: 'attackId:asc', label: 'ATT&CK id' },
  { value: 'name:asc', label: 'Name' },
  { value: 'ownScore:desc', label: 'Own score, highest first' },
  { value: 'ownScore:asc', label: 'Own score, lowest first' },
  { value: 'aggregateScore:desc', label: 'Aggregate, highest first' },
  { value: 'aggregateScore:asc', label: 'Aggregate, lowest first' },
];
const subtechniqueOptions: Option<'' | 'exclude' | 'only'>[] = [
  { value: '', label: 'Techniques and sub-techniques' },
  { value: 'exclude', label: 'Top-level techniques only' },
  { value: 'only', label: 'Sub-techniques only' },
];

const columns: Column<TechniqueScoreSummary>[] = [
  {
    header: 'ATT&CK id',
    className: 'w-28 whitespace-nowrap font-mono text-xs text-slate-500',
    cell: (t) => t.attackId ?? '—',
  },
  {
    header: 'Technique',
    cell: (t) => (
      <Link to="/techniques/$id" params={{ id: t.attackId ?? t.id }} className="text-sky-700 hover:underline">
        {t.parent && <span className="text-slate-500">{t.parent.name}: </span>}
        {t.name}
      </Link>
    ),
  },
  {
    header: 'Tactics',
    className: 'text-xs text-slate-500',
    cell: (t) => <TacticNames shortnames={t.tactics} />,
  },
  coverageColumn(),
  {
    header: 'Own score',
    className: 'w-24 text-right tabular-nums',
    cell: (t) => <span data-testid="row-own-score">{formatScore(t.ownScore)}</span>,
  },
  {
    header: <span title="over the technique and its in-scope sub-techniques">Aggregate</span>,
    className: 'w-24 text-right tabular-nums',
    cell: (t) => formatScore(t.aggregateScore),
  },
];

/** A min or max score box whose value lives in the URL (committed once the user pauses typing). */
function ScoreBound({
  label,
  value,
  onChange,
}: {
  label: string;
  value: number | undefined;
  onChange: (v: number | undefined) => void;
}) {
  const id = useId();
  const [text, setText] = useUrlSearchText(value === undefined ? undefined : String(value), (q) =>
    onChange(searchScore(q)),
  );
  return (
    <label htmlFor={id} className="w-28 text-sm font-medium text-slate-700">
      {label}
      <input
        id={id}
        type="number"
        min={0}
        max={100}
        step="any"
        inputMode="decimal"
        className={`${inputClass} mt-1`}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
    </label>
  );
}

/** Every technique's score, filtered and sorted by the URL's terms, a page at a time. */
export function TechniqueScoreList() {
  const search = useSearch({ from: '/app/scores' });
  const navigate = useNavigate({ from: '/scores' });
  const setFilters = (patch: Partial<ScoresSearch>) =>
    void navigate({
      search: (prev: ScoresSearch) => compact({ ...prev, page: undefined, ...patch }),
      replace: true,
    });

  const page = search.page ?? 1;
  const { page: _page, sort, order, ...filters } = search;
  const scores = useTechniqueScores({
    ...filters,
    sort: sort ?? 'attackId',
    order: order ?? 'asc',
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
  });
  const filtered = Object.keys(filters).length > 0;

  return (
    <>
      <FilterBar>
        <TacticPlatformFilters tactic={search.tactic} platform={search.platform} onChange={setFilters} />
        <SelectField
          label="Coverage"
          value={search.status ?? ''}
          options={optionsWithAny(
            'Any coverage',
            coverageOrder.map((s) => ({ value: s, label: coverageStyles[s].label })),
          )}
          onChange={(status) => setFilters({ status: (status || undefined) as ScoresSearch['status'] })}
        />
        <ScoreBound
          label="Own score ≥"
          value={search.minScore}
          onChange={(minScore) => setFilters({ minScore })}
        />
        <ScoreBound
          label="Own score ≤"
          value={search.maxScore}
          onChange={(maxScore) => setFilters({ maxScore })}
        />
        <SelectField
          label="Show"
          value={search.subtechniques ?? ''}
          options={subtechniqueOptions}
          onChange={(v) => setFilters({ subtechniques: v || undefined })}
        />
        <SelectField
          label="Sort"
          value={`${sort ?? 'attackId'}:${order ?? 'asc'}`}
          options={sortOptions}
          onChange={(value) => {
            const [field, direction] = value.split(':') as [
              NonNullable<ScoresSearch['sort']> | 'attackId',
              string,
            ];
            setFilters({
              sort: field === 'attackId' ? undefined : field,
              order: direction === 'desc' ? 'desc' : undefined,
            });
          }}
        />
        <ClearFilters
          filtered={filtered}
          onClear={() => void navigate({ search: compact({ sort, order }), replace: true })}
        />
      </FilterBar>
      <PagedTable
        query={scores}
        loading="Loading technique scores…"
        failed="The technique scores could not be loaded."
        empty={filtered ? 'No technique matches these filters.' : 'No technique has a score yet.'}
        columns={columns}
        rowTestId="technique-score-row"
        page={page}
        pageSize={PAGE_SIZE}
        onPage={(next) => void navigate({ search: (prev: ScoresSearch) => compact({ ...prev, page: next }) })}
      />
    </>
  );
}
