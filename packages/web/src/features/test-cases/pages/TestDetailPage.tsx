import type { TestCase } from '@aegis/contracts';
import { Link, useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { describeError } from '../../../app/api';
import { CoverageBadge } from '../../../components/coverage';
import { ErrorMessage, Spinner } from '../../../components/Feedback';
import { TacticNames } from '../../attack/components/TacticNames';
import { useTest } from '../api';
import { ChainPanel } from '../components/ChainPanel';
import { EvidencePanel } from '../components/EvidencePanel';
import { RemediationPanel } from '../components/RemediationPanel';
import { TestAssignees } from '../components/TestAssignees';
import { TestStateBadge } from '../components/TestStateBadge';
import { Timeline } from '../components/Timeline';
import { Card, formatDateTime, outcomeLabel, visibleOutcome } from '../components/ui';
import { VotesPanel } from '../components/VotesPanel';
import { WorkflowPanel } from '../components/WorkflowPanel';

export function TestDetailPage() {
  const { id } = useParams({ from: '/app/tests/$id' });
  const test = useTest(id);
  if (test.isPending) return <Spinner label="Loading the test…" />;
  if (test.isError)
    return (
      <ErrorMessage
        title="The test could not be loaded."
        message={describeError(test.error)}
        onRetry={() => void test.refetch()}
      />
    );
  return <TestDetail test={test.data} />;
}

function TestDetail({ test }: { test: TestCase }) {
  const techniqueId = test.technique.attackId ?? test.technique.id;
  return (
    <article className="mx-auto max-w-7xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link to="/tests" className="text-sky-700 hover:underline">
          All tests
        </Link>
      </nav>
      <header className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <span data-testid="test-state">
              <TestStateBadge state={test.state} />
            </span>
            {test.retestNumber > 0 && (
              <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs text-slate-700">
                Re-test #{test.retestNumber}
              </span>
            )}
          </div>
          <h1 className="mt-1 text-2xl font-semibold text-slate-900">{test.title}</h1>
          <p className="mt-1 text-sm text-slate-600">
            <Link
              to="/techniques/$id"
              params={{ id: techniqueId }}
              className="font-medium text-sky-700 hover:underline"
            >
              <span className="font-mono">{test.technique.attackId}</span> {test.technique.name}
            </Link>
            {test.tactic && (
              <>
                {' '}
                · <TacticNames shortnames={[test.tactic]} />
              </>
            )}
            {test.platform && ` · ${test.platform}`}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <span className="text-xs text-slate-500">Technique coverage</span>
          <CoverageBadge status={test.coverageStatus} />
        </div>
      </header>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-4 lg:col-span-2">
          <WorkflowPanel test={test} />
          <EvidencePanel test={test} />
          <RemediationPanel test={test} />
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          <TestAssignees test={test} />
          <Card title="Details">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              <Row label="Outcome">{visibleOutcome(test)}</Row>
              <Row label="Expected">{outcomeLabel(test.expectedOutcome)}</Row>
              <Row label="Created">
                {formatDateTime(test.createdAt)}
                {test.createdBy && ` by ${test.createdBy.displayName}`}
              </Row>
              <Row label="Updated">{formatDateTime(test.updatedAt)}</Row>
              {test.validatedAt && <Row label="Validated">{formatDateTime(test.validatedAt)}</Row>}
              {test.chain.retestOfId && (
                <Row label="Re-test of">
                  <Link
                    to="/tests/$id"
                    params={{ id: test.chain.retestOfId }}
                    className="text-sky-700 hover:underline"
                  >
                    the previous test
                  </Link>
                </Row>
              )}
            </dl>
            {test.description && (
              <p className="mt-3 whitespace-pre-wrap border-t border-slate-100 pt-3 text-sm text-slate-700">
                {test.description}
              </p>
            )}
          </Card>
          <VotesPanel test={test} />
          <ChainPanel test={test} />
          <Timeline test={test} />
        </div>
      </div>
    </article>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-slate-500">{label}</dt>
      <dd className="text-slate-900">{children}</dd>
    </>
  );
}
