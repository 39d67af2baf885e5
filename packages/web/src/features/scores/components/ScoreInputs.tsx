import type { TechniqueScore } from '@aegis/contracts';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { formatDateTime, outcomeLabel } from '../../test-cases/components/ui';
import { formatNumber, formatValue } from '../format';
import { type CompactColumn, CompactTable } from './CompactTable';

type Parts = TechniqueScore['components'];

function Inputs({
  title,
  testId,
  muted = false,
  wide = false,
  children,
}: {
  title: string;
  testId: string;
  muted?: boolean;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <section
      data-testid={testId}
      className={`rounded-md border border-slate-200 p-3 text-sm ${muted ? 'bg-slate-50 text-slate-500' : ''} ${wide ? 'lg:col-span-2' : ''}`}
    >
      <h3 className="mb-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h3>
      {children}
    </section>
  );
}

const testColumns: CompactColumn<Parts['tests']['results'][number]>[] = [
  {
    header: 'Test',
    cell: (r) => (
      <Link to="/tests/$id" params={{ id: r.id }} className="text-sky-700 hover:underline">
        {r.title}
      </Link>
    ),
  },
  { header: 'Platform', cell: (r) => r.attackPlatform ?? r.platform ?? '—' },
  { header: 'Outcome', cell: (r) => outcomeLabel(r.outcome) },
  { header: 'Value', align: 'right', cell: (r) => formatValue(r.value) },
  { header: 'Executed', cell: (r) => formatDateTime(r.executionStartedAt) },
];

const ruleColumns: CompactColumn<Parts['rules']['groups'][number]>[] = [
  { header: 'Source', cell: (g) => g.source },
  { header: 'Status', cell: (g) => g.status ?? '—' },
  { header: 'Counts in', cell: (g) => (g.deployed ? 'D (deployed)' : 'C (catalog)') },
  { header: 'Rules', align: 'right', cell: (g) => g.count },
  { header: 'Weight', align: 'right', cell: (g) => (g.weight === null ? '—' : formatNumber(g.weight)) },
];

/** "= 0.667" at the end of a computation line. */
const equals = (value: number | null) => (
  <span className="font-medium text-slate-900"> = {formatValue(value)}</span>
);

/** What each component was computed from, under the breakdown. */
export function ScoreInputs({ score }: { score: TechniqueScore }) {
  const parts = score.components;
  return (
    <div className="mt-4 grid gap-3 lg:grid-cols-2">
      <TestInputs tests={parts.tests} />
      <RuleInputs rules={parts.rules} />
      <D3fendInputs d3fend={parts.d3fend} />
      <FreshnessInputs freshness={parts.freshness} results={parts.tests.results} />
      <PlatformInputs platform={parts.platform} />
      {score.warnings.length > 0 && (
        <Inputs title={`Warnings (${score.warnings.length})`} testId="score-warnings">
          <ul className="list-disc pl-5 text-amber-900">
            {score.warnings.map((w, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: warnings have no id and do not move.
              <li key={i}>
                {w.message}
                {w.testId && (
                  <>
                    {' '}
                    <Link to="/tests/$id" params={{ id: w.testId }} className="text-sky-700 underline">
                      Open the test
                    </Link>
                  </>
                )}
              </li>
            ))}
          </ul>
        </Inputs>
      )}
    </div>
  );
}

function TestInputs({ tests }: { tests: Parts['tests'] }) {
  const n = tests.results.length;
  const sum = tests.results.reduce((s, r) => s + r.value, 0);
  return (
    <Inputs title={`Validated tests counted (${n})`} testId="inputs-tests" wide>
      {n === 0 ? (
        <p className="text-slate-600">
          No validated result of this technique yet: the tests value is 0{' '}
          <span className="text-slate-500">
            (the newest validated result per procedure and platform counts).
          </span>
        </p>
      ) : (
        <>
          <CompactTable
            caption="The current result of each procedure and platform"
            columns={testColumns}
            rows={tests.results}
            rowKey={(r) => r.id}
            rowTestId="counted-test"
          />
          <p className="mt-1.5 text-slate-600">
            Mean of the values: {formatValue(sum)} ÷ {n}
            {equals(tests.value)}
          </p>
        </>
      )}
    </Inputs>
  );
}

function RuleInputs({ rules }: { rules: Parts['rules'] }) {
  const deployedPart = Math.min(1, rules.deployed / rules.deployedSat);
  const catalogPart = 0.5 * Math.min(1, rules.catalog / rules.catalogSat);
  return (
    <Inputs title="Detection rules" testId="inputs-rules">
      <ul className="flex flex-col gap-1 text-slate-600">
        <li>
          Deployed (D) <span className="font-medium text-slate-900">{formatNumber(rules.deployed)}</span>,
          full credit at {formatNumber(rules.deployedSat)}: min(1, {formatNumber(rules.deployed)} ÷{' '}
          {formatNumber(rules.deployedSat)}) = {formatValue(deployedPart)}
        </li>
        <li>
          Catalog (C, weighed by status){' '}
          <span className="font-medium text-slate-900">{formatNumber(rules.catalog)}</span>, half credit at{' '}
          {formatNumber(rules.catalogSat)}: 0.5 × min(1, {formatNumber(rules.catalog)} ÷{' '}
          {formatNumber(rules.catalogSat)}) = {formatValue(catalogPart)}
        </li>
        <li>The larger of the two{equals(rules.value)}</li>
      </ul>
      {rules.groups.length === 0 ? (
        <p className="mt-1.5 text-slate-500">No detection rule is linked to this technique.</p>
      ) : (
        <div className="mt-2">
          <CompactTable
            caption="Linked rules by source, status and deployment"
            columns={ruleColumns}
            rows={rules.groups}
            rowKey={(g) => `${g.source}-${g.status}-${g.deployed}`}
            rowTestId="rule-group"
          />
        </div>
      )}
    </Inputs>
  );
}

function D3fendInputs({ d3fend }: { d3fend: Parts['d3fend'] }) {
  const defenses = (
    <Link to="/defenses" className="text-sky-700 underline">
      D3FEND defenses
    </Link>
  );
  let body: ReactNode;
  if (d3fend.mapped === 0)
    body = <p>No D3FEND countermeasure is mapped to this technique: this part is left out.</p>;
  else if (d3fend.notAssessed)
    body = (
      <p>
        {d3fend.mapped} countermeasures are mapped, but nobody has recorded which are implemented yet (the
        inventory on {defenses} is empty): this part is left out.
      </p>
    );
  else if (d3fend.mode === 'catalog')
    body = (
      <p>
        Catalog mode: every mapped countermeasure counts, implemented or not. {d3fend.mapped} mapped, full
        credit at {formatNumber(d3fend.saturation)}: min(1, {d3fend.mapped} ÷{' '}
        {formatNumber(d3fend.saturation)}){equals(d3fend.value)}
      </p>
    );
  else
    body = (
      <p>
        {d3fend.mapped} mapped: <span className="font-medium text-slate-900">{d3fend.implemented}</span>{' '}
        implemented, <span className="font-medium text-slate-900">{d3fend.partial}</span> partial (half
        credit), the others not (per the inventory on {defenses}). Full credit at{' '}
        {formatNumber(d3fend.saturation)}: min(1, ({d3fend.implemented} + 0.5 × {d3fend.partial}) ÷{' '}
        {formatNumber(d3fend.saturation)}){equals(d3fend.value)}
      </p>
    );
  return (
    <Inputs title="D3FEND countermeasures" testId="inputs-d3fend" muted={!d3fend.applicable}>
      <div className={d3fend.applicable ? 'text-slate-600' : ''}>{body}</div>
    </Inputs>
  );
}

function FreshnessInputs({
  freshness,
  results,
}: {
  freshness: Parts['freshness'];
  results: Parts['tests']['results'];
}) {
  const { ageDays, graceDays, staleDays } = freshness;
  const newest = results.find((r) => r.id === freshness.newestSuccessId);
  let rule: ReactNode;
  if (ageDays === null)
    rule = <>No successful result (a failure earns no freshness){equals(freshness.value)}</>;
  else if (ageDays <= graceDays)
    rule = (
      <>
        At most {graceDays} days old: full credit{equals(freshness.value)}
      </>
    );
  else if (ageDays >= staleDays)
    rule = (
      <>
        {staleDays} days or older: stale{equals(freshness.value)}
      </>
    );
  else
    rule = (
      <>
        Full credit up to {graceDays} days, none from {staleDays}: ({staleDays} − {formatValue(ageDays, 1)}) ÷
        ({staleDays} − {graceDays}){equals(freshness.value)}
      </>
    );
  return (
    <Inputs title="Freshness" testId="inputs-freshness">
      <div className="flex flex-col gap-1 text-slate-600">
        {freshness.newestSuccessAt && freshness.newestSuccessId && (
          <p>
            Newest success:{' '}
            <Link
              to="/tests/$id"
              params={{ id: freshness.newestSuccessId }}
              className="text-sky-700 underline"
            >
              {newest?.title ?? 'the test'}
            </Link>
            , executed {formatDateTime(freshness.newestSuccessAt)},{' '}
            <span className="font-medium text-slate-900" data-testid="freshness-age">
              {formatValue(ageDays, 1)} days
            </span>{' '}
            ago.
          </p>
        )}
        <p>{rule}</p>
      </div>
    </Inputs>
  );
}

function PlatformInputs({ platform }: { platform: Parts['platform'] }) {
  const covered = new Set(platform.covered);
  return (
    <Inputs title="Platform diversity" testId="inputs-platform" muted={!platform.applicable}>
      {platform.relevant.length === 0 ? (
        <p>None of this technique’s platforms is in the organisation’s scope: this part is left out.</p>
      ) : (
        <div className="flex flex-col gap-1.5 text-slate-600">
          <ul aria-label="Relevant platforms" className="flex flex-wrap gap-1.5">
            {platform.relevant.map((p) => (
              <li
                key={p}
                className={`rounded-full border px-2 py-0.5 text-xs ${covered.has(p) ? 'border-emerald-400 bg-emerald-50 text-emerald-900' : 'border-slate-300 bg-white text-slate-600'}`}
              >
                {covered.has(p) ? '✓ ' : ''}
                {p}
                <span className="sr-only">{covered.has(p) ? ', covered' : ', not covered'}</span>
              </li>
            ))}
          </ul>
          <p>
            Covered by a successful test: {platform.covered.length} of {platform.relevant.length} relevant:{' '}
            {platform.covered.length} ÷ {platform.relevant.length}
            {equals(platform.value)}
          </p>
        </div>
      )}
    </Inputs>
  );
}
