import type { DetectionRule } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link, useParams } from '@tanstack/react-router';
import { describeError } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { ErrorMessage, Spinner } from '../../../components/Feedback';
import { Markdown } from '../../../components/Markdown';
import { Card, formatDateTime, primaryButton, secondaryButton } from '../../test-cases/components/ui';
import { useRule, useSetDeployed } from '../api';
import { CodeBlock, LevelBadge, TechniqueLinks } from '../components/ui';

export function RulePage() {
  const { id } = useParams({ from: '/app/detection-rules/$id' });
  const rule = useRule(id);
  if (rule.isPending) return <Spinner label="Loading the rule…" />;
  if (rule.isError)
    return (
      <ErrorMessage
        title="The rule could not be loaded."
        message={describeError(rule.error)}
        onRetry={() => void rule.refetch()}
      />
    );
  return <RuleView rule={rule.data} />;
}

function RuleView({ rule }: { rule: DetectionRule }) {
  const user = useUser();
  const canDeploy = hasRole(user, ROLE_GROUPS.blueLeads);
  const setDeployed = useSetDeployed(rule.id);
  const logSource = Object.entries(rule.logSource);

  return (
    <article className="mx-auto max-w-6xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link to="/detection-rules" className="text-sky-700 hover:underline">
          Detection rules
        </Link>
      </nav>
      <header className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <LevelBadge level={rule.level} />
            {rule.status && <span className="text-xs text-slate-600">{rule.status}</span>}
            {rule.removedAt && <span className="text-xs text-red-700">Removed upstream</span>}
          </div>
          <h1 className="mt-1 text-2xl font-semibold text-slate-900">{rule.title}</h1>
          <p className="mt-1 text-base text-slate-800" data-testid="rule-author">
            <span className="text-slate-500">Author: </span>
            <strong className="font-semibold">{rule.author ?? 'Unknown author'}</strong>
          </p>
          <p className="mt-1 text-sm text-slate-600">
            {rule.source} · <span className="font-mono">{rule.sourceId}</span>
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <span
            className={`rounded-full border px-2 py-0.5 text-xs ${rule.deployed ? 'border-emerald-300 bg-emerald-50 text-emerald-800' : 'border-slate-300 bg-slate-100 text-slate-700'}`}
          >
            {rule.deployed ? 'Deployed' : 'Not deployed'}
          </span>
          {canDeploy && (
            <button
              type="button"
              className={rule.deployed ? secondaryButton : primaryButton}
              disabled={setDeployed.isPending}
              onClick={() => setDeployed.mutate(!rule.deployed)}
            >
              {rule.deployed ? 'Mark not deployed' : 'Mark deployed'}
            </button>
          )}
        </div>
      </header>
      {setDeployed.isError && (
        <div className="mb-4">
          <ErrorMessage message={describeError(setDeployed.error)} />
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-4 lg:col-span-2">
          <Card title="Description">
            {rule.description ? (
              <Markdown source={rule.description} />
            ) : (
              <p className="text-sm text-slate-500">No description.</p>
            )}
          </Card>
          <Card title={`Rule (${rule.rawFormat.toUpperCase()})`}>
            <CodeBlock code={rule.raw} />
          </Card>
        </div>
        <aside className="flex flex-col gap-4">
          <Card title="Techniques">
            <TechniqueLinks techniques={rule.techniques} unresolved={rule.unresolvedAttackIds} />
          </Card>
          <Card title="Details">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              {logSource.map(([key, value]) => (
                <div key={key} className="contents">
                  <dt className="text-slate-500">{key}</dt>
                  <dd>{value}</dd>
                </div>
              ))}
              <dt className="text-slate-500">Modified</dt>
              <dd>{rule.modified ?? '—'}</dd>
              <dt className="text-slate-500">Updated</dt>
              <dd>{formatDateTime(rule.updatedAt)}</dd>
              {rule.path && (
                <>
                  <dt className="text-slate-500">Path</dt>
                  <dd className="break-all font-mono text-xs">{rule.path}</dd>
                </>
              )}
            </dl>
            {rule.tags.length > 0 && (
              <ul className="mt-3 flex flex-wrap gap-1">
                {rule.tags.map((tag) => (
                  <li key={tag} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                    {tag}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          {rule.references.length > 0 && (
            <Card title="References">
              <ul className="flex flex-col gap-1 text-sm">
                {rule.references.map((ref) => (
                  <li key={ref} className="break-all">
                    {/^https?:\/\//.test(ref) ? (
                      <a
                        href={ref}
                        target="_blank"
                        rel="noreferrer noopener"
                        className="text-sky-700 hover:underline"
                      >
                        {ref}
                      </a>
                    ) : (
                      ref
                    )}
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </aside>
      </div>
    </article>
  );
}
