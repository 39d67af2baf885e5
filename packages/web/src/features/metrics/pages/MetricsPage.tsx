import type { PipelineMetrics, TeamActivity, ValidationRates } from '@aegis/contracts';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useId, useMemo } from 'react';
import { EmptyState, PageHeader } from '../../../components/Feedback';
import { ClearFilters, FilterBar } from '../../../components/FilterBar';
import { inputClass } from '../../../components/SearchField';
import { useTacticNames } from '../../attack/api';
import { TacticPlatformFilters } from '../../attack/components/TacticPlatformFilters';
import { useUrlSearchText } from '../../catalog/components/ui';
import { compact } from '../../catalog/search';
import { testStateLabel } from '../../test-cases/components/TestStateBadge';
import { formatDateTime } from '../../test-cases/components/ui';
import {
  type FilteredPeriod,
  type Period,
  useOperationalMetrics,
  usePipelineMetrics,
  useTacticMetrics,
  useTeamActivity,
  useValidationRates,
} from '../api';
import { ChartFrame } from '../components/ChartFrame';
import { FunnelChart } from '../components/FunnelChart';
import { MetricFigure } from '../components/MetricFigure';
import { CsvLink, NumbersTable } from '../components/NumbersTable';
import { PeriodPicker } from '../components/PeriodPicker';
import { QueryCard } from '../components/QueryCard';
import { TacticResultsChart } from '../components/TacticResultsChart';
import { formatPercent, lastDays, ratioBasis } from '../format';
import type { MetricsSearch, PeriodDays } from '../search';
import {
  funnelRows,
  funnelTable,
  leadAgreementBasis,
  oneVoteNote,
  personTable,
  tacticRows,
  tacticTable,
  teamTable,
  timeInState,
} from '../workflow';

/**
 * The workflow metrics for everyone (analysis spec §2.3): the pipeline funnel and time in each state,
 * review decisions, results by tactic and team activity, for a period and filters kept in the URL.
 * Each figure sits beside what it counts; charts come with their table and CSV (ADR 24), so Recharts
 * loads with this lazy page only.
 */
export function MetricsPage() {
  const search = useSearch({ from: '/app/metrics' });
  const navigate = useNavigate({ from: '/metrics' });
  const days: PeriodDays = search.days ?? 90;
  const period = useMemo(() => lastDays(days), [days]);
  const { tactic, platform, tool } = search;
  const query: FilteredPeriod = useMemo(
    () => ({ ...period, tactic, platform, tool }),
    [period, tactic, platform, tool],
  );
  const setSearch = (patch: Partial<MetricsSearch>) =>
    void navigate({ search: (prev: MetricsSearch) => compact({ ...prev, ...patch }), replace: true });
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-4">
      <PageHeader title="Metrics">
        <PeriodPicker days={days} onChange={(d) => setSearch({ days: d })} />
      </PageHeader>
      <Filters search={search} period={period} onChange={setSearch} />
      <PeriodLine days={days} query={query} />
      <Pipeline query={query} />
      <ReviewDecisions query={query} />
      <TacticResults query={query} />
      <Activity period={period} />
    </div>
  );
}

function Filters({
  search,
  period,
  onChange,
}: {
  search: MetricsSearch;
  period: Period;
  onChange: (patch: Partial<MetricsSearch>) => void;
}) {
  // Tool names are free text (blue types them): those with a detection in the period are offered.
  const operational = useOperationalMetrics(period);
  const [toolText, setToolText] = useUrlSearchText(search.tool, (tool) => onChange({ tool }));
  const toolId = useId();
  const toolsId = useId();
  return (
    <div className="no-print -mb-4">
      <FilterBar>
        <TacticPlatformFilters tactic={search.tactic} platform={search.platform} onChange={onChange} />
        <label htmlFor={toolId} className="text-sm font-medium text-slate-700">
          Tool
          <input
            id={toolId}
            list={toolsId}
            placeholder="Any tool"
            autoComplete="off"
            className={`${inputClass} mt-1 w-48`}
            value={toolText}
            onChange={(e) => setToolText(e.target.value)}
          />
          <datalist id={toolsId}>
            {operational.data?.mttdByTool.map((t) => (
              <option key={t.tool} value={t.tool} />
            ))}
          </datalist>
        </label>
        <ClearFilters
          filtered={Boolean(search.tactic || search.platform || search.tool)}
          onClear={() => {
            setToolText('');
            onChange({ tactic: undefined, platform: undefined, tool: undefined });
          }}
        />
      </FilterBar>
    </div>
  );
}

/** Which period and filters the figures below are for, in words (what a print keeps of the controls). */
function PeriodLine({ days, query }: { days: PeriodDays; query: FilteredPeriod }) {
  const tacticName = useTacticNames();
  const filters = [
    query.tactic && `tactic ${tacticName(query.tactic)}`,
    query.platform && `platform ${query.platform}`,
    query.tool && `tool ${query.tool}`,
  ].filter(Boolean);
  return (
    <p data-testid="metrics-period" className="text-sm text-slate-600">
      Last {days} days: {formatDateTime(query.from)} to {formatDateTime(query.to)}.{' '}
      {filters.length > 0 ? `Only tests of ${filters.join(', ')}.` : 'All in-scope tests.'}
    </p>
  );
}

const subheading = 'mb-2 text-sm font-semibold text-slate-800';

function Pipeline({ query }: { query: FilteredPeriod }) {
  return (
    <QueryCard
      title="Pipeline"
      labelId="pipeline-title"
      query={usePipelineMetrics(query)}
      loading="Loading the pipeline…"
      failed="The pipeline could not be loaded."
    >
      {(p) => (
        <div className="flex flex-col gap-5">
          <div className="grid gap-5 lg:grid-cols-3">
            <div className="lg:col-span-2">
              <h3 className={subheading}>Tests created in the period, step by step</h3>
              <p className="mb-2 text-sm text-slate-600" data-testid="funnel-basis">
                Of the {p.cohort.created} tests created in the period: how many reached each step, and the
                share of the step before that did.
              </p>
              <ChartFrame
                name="funnel"
                caption="Tests created in the period, by the steps they reached"
                table={funnelTable(funnelRows(p.cohort))}
                filename="pipeline-funnel.csv"
              >
                <FunnelChart rows={funnelRows(p.cohort)} />
              </ChartFrame>
            </div>
            <Snapshot snapshot={p.snapshot} />
          </div>
          <div>
            <h3 className={subheading}>Median time in each state</h3>
            <p className="mb-2 text-sm text-slate-600">
              Of the same tests, from entering a state to leaving it; a test still in a state does not count
              yet.
            </p>
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {p.cohort.timeInState.map((t) => (
                <MetricFigure key={t.state} testId={`time-${t.state}`} {...timeInState(t)} />
              ))}
            </div>
          </div>
        </div>
      )}
    </QueryCard>
  );
}

/** Tests per state now: the period does not apply, the filters do. */
function Snapshot({ snapshot }: { snapshot: PipelineMetrics['snapshot'] }) {
  const total = snapshot.reduce((sum, s) => sum + s.n, 0);
  return (
    <div>
      <h3 className={subheading}>Tests in each state now</h3>
      <p className="mb-2 text-sm text-slate-600">Whatever the period; the filters apply.</p>
      <table data-testid="snapshot-table" className="w-full text-left text-sm">
        <caption className="sr-only">Tests in each state now</caption>
        <thead className="text-xs text-slate-600">
          <tr>
            <th className="py-1 pr-2 font-medium">State</th>
            <th className="py-1 text-right font-medium">Tests</th>
          </tr>
        </thead>
        <tbody>
          {snapshot.map((s) => (
            <tr key={s.state} className="border-t border-slate-100">
              <th scope="row" className="py-1 pr-2 font-normal">
                {testStateLabel(s.state)}
              </th>
              <td className="py-1 text-right tabular-nums">{s.n}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="border-t border-slate-300 font-semibold">
            <th scope="row" className="py-1 pr-2">
              All states
            </th>
            <td className="py-1 text-right tabular-nums">{total}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function ReviewDecisions({ query }: { query: FilteredPeriod }) {
  return (
    <QueryCard
      title="Review decisions"
      labelId="reviews-title"
      query={useValidationRates(query)}
      loading="Loading the review decisions…"
      failed="The review decisions could not be loaded."
    >
      {(v) => <RateFigures v={v} />}
    </QueryCard>
  );
}

function RateFigures({ v }: { v: ValidationRates }) {
  return (
    <>
      <div className="grid gap-3 md:grid-cols-3">
        <MetricFigure
          label="Validation rate"
          testId="validation-rate"
          value={formatPercent(v.validationRate.value)}
          n={v.validationRate.denominator}
          basis={ratioBasis(v.validationRate, 'decisions', 'validated, the rest rejected')}
        />
        <MetricFigure
          label="First-pass rate"
          testId="first-pass-rate"
          value={formatPercent(v.firstPassRate.value)}
          n={v.firstPassRate.denominator}
          basis={ratioBasis(v.firstPassRate, 'validations', 'without an earlier rejection')}
        />
        <MetricFigure
          label="Lead agreement"
          testId="lead-agreement"
          value={formatPercent(v.leadAgreement.value)}
          n={v.leadAgreement.denominator}
          basis={leadAgreementBasis(v.leadAgreement)}
        />
      </div>
      <p data-testid="one-vote" className="mt-3 text-sm text-slate-600">
        {oneVoteNote(v)}
      </p>
    </>
  );
}

function TacticResults({ query }: { query: FilteredPeriod }) {
  return (
    <QueryCard
      title="Results by tactic"
      labelId="tactics-title"
      query={useTacticMetrics(query)}
      loading="Loading the results by tactic…"
      failed="The results by tactic could not be loaded."
      isEmpty={(t) => t.items.length === 0}
      empty="No test of these techniques was executed in the period."
    >
      {(t) => {
        const rows = tacticRows(t.items);
        return (
          <>
            <p className="mb-2 text-sm text-slate-600">
              The current result of each procedure executed in the period (its latest run), by outcome;
              efficacy is prevented and detected over all. A technique counts under each of its tactics.
            </p>
            <ChartFrame
              name="tactics"
              caption="Current results per tactic"
              table={tacticTable(rows)}
              filename="results-by-tactic.csv"
            >
              <TacticResultsChart rows={rows} />
            </ChartFrame>
          </>
        );
      }}
    </QueryCard>
  );
}

function Activity({ period }: { period: Period }) {
  return (
    <QueryCard
      title="Team activity"
      labelId="activity-title"
      query={useTeamActivity(period)}
      loading="Loading the team activity…"
      failed="The team activity could not be loaded."
    >
      {(a) => <ActivityTables a={a} />}
    </QueryCard>
  );
}

function ActivityTables({ a }: { a: TeamActivity }) {
  const teams = teamTable(a.teams);
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-600">
        What each team did in the period, from the audit log; the filters do not apply. Red and blue count
        their techs and leads.
      </p>
      <div className="overflow-x-auto print:overflow-visible">
        <NumbersTable
          table={teams}
          caption="Actions per team in the period"
          testId="team-table"
          size="text-sm"
        />
      </div>
      <div className="flex justify-end">
        <CsvLink table={teams} filename="team-activity.csv" caption="Actions per team" testId="team-csv" />
      </div>
      {a.users === null ? (
        <p data-testid="per-person-note" className="text-sm text-slate-600">
          Leads and admins also see each person’s actions.
        </p>
      ) : (
        <People users={a.users} />
      )}
    </div>
  );
}

function People({ users }: { users: NonNullable<TeamActivity['users']> }) {
  if (users.length === 0) return <EmptyState>No one took an action in the period.</EmptyState>;
  const table = personTable(users);
  return (
    <div>
      <h3 className={subheading}>Per person</h3>
      <p className="mb-2 text-sm text-slate-600">
        Each person’s actions add up to their team’s row above (admins and viewers to the last team).
      </p>
      <div className="overflow-x-auto print:overflow-visible">
        <NumbersTable
          table={table}
          caption="Actions per person in the period"
          testId="person-table"
          size="text-sm"
        />
      </div>
      <div className="mt-2 flex justify-end">
        <CsvLink
          table={table}
          filename="activity-per-person.csv"
          caption="Actions per person"
          testId="person-csv"
        />
      </div>
    </div>
  );
}
