import type { TestTemplate } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link, useNavigate, useParams } from '@tanstack/react-router';
import { describeError } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { type Column, DataTable } from '../../../components/DataTable';
import { ErrorMessage } from '../../../components/Feedback';
import { Markdown } from '../../../components/Markdown';
import { QueryView } from '../../../components/QueryView';
import { TacticNames } from '../../attack/components/TacticNames';
import {
  Card,
  formatDateTime,
  outcomeLabel,
  primaryButton,
  secondaryButton,
} from '../../test-cases/components/ui';
import { useCreateTestFromTemplate, useTemplate, useToggleTemplate } from '../api';
import { ActiveBadge, CodeBlock, TechniqueLinks } from '../components/ui';

type InputArgument = TestTemplate['inputArguments'][number];
const argumentColumns: Column<InputArgument>[] = [
  { header: 'Name', cell: (a) => <span className="font-mono text-xs">{a.name}</span> },
  { header: 'Type', cell: (a) => a.type, className: 'text-slate-600' },
  {
    header: 'Default',
    cell: (a) => <span className="font-mono text-xs">{a.default ?? '—'}</span>,
    className: 'break-all text-slate-700',
  },
  { header: 'Description', cell: (a) => a.description, className: 'text-slate-700' },
];

export function TemplatePage() {
  const { id } = useParams({ from: '/app/catalog/$id' });
  const template = useTemplate(id);
  return (
    <QueryView query={template} loading="Loading the template…" failed="The template could not be loaded.">
      {(t) => <TemplateView template={t} />}
    </QueryView>
  );
}

function TemplateView({ template }: { template: TestTemplate }) {
  const user = useUser();
  const canEdit = hasRole(user, ROLE_GROUPS.red);
  const navigate = useNavigate();
  const toggle = useToggleTemplate(template.id);
  const create = useCreateTestFromTemplate(template.id);
  const startTest = () =>
    create.mutate(undefined, {
      onSuccess: (test) => void navigate({ to: '/tests/$id', params: { id: test.id } }),
    });

  return (
    <article className="mx-auto max-w-6xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link to="/catalog" className="text-sky-700 hover:underline">
          Test catalog
        </Link>
      </nav>
      <header className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <ActiveBadge active={template.active} removed={template.removedAt !== null} />
            {template.elevationRequired && (
              <span className="rounded-full border border-amber-300 bg-amber-50 px-2 py-0.5 text-xs text-amber-900">
                Needs elevation
              </span>
            )}
            {template.expectedOutcome && (
              <span
                data-testid="template-expected-outcome"
                className="rounded-full border border-sky-200 bg-sky-50 px-2 py-0.5 text-xs text-sky-900"
              >
                Expected: {outcomeLabel(template.expectedOutcome)}
              </span>
            )}
          </div>
          <h1 className="mt-1 text-2xl font-semibold text-slate-900">{template.name}</h1>
          <p className="mt-1 text-sm text-slate-600">
            {template.source} · <span className="font-mono">{template.sourceId}</span>
            {template.executor && ` · ${template.executor}`} ·{' '}
            {template.platforms.join(', ') || 'no platform'}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {template.url && (
            <a href={template.url} target="_blank" rel="noreferrer noopener" className={secondaryButton}>
              Source ↗
            </a>
          )}
          {canEdit && (
            <>
              {template.isCustom ? (
                <Link to="/catalog/$id/edit" params={{ id: template.id }} className={secondaryButton}>
                  Edit
                </Link>
              ) : (
                // Synced templates are their source's text (edits would be overwritten): copy instead.
                <Link to="/catalog/new" search={{ from: template.id }} className={secondaryButton}>
                  Copy to custom
                </Link>
              )}
              <button
                type="button"
                className={secondaryButton}
                disabled={toggle.isPending}
                onClick={() => toggle.mutate()}
              >
                {template.active ? 'Deactivate' : 'Activate'}
              </button>
              <button type="button" className={primaryButton} disabled={create.isPending} onClick={startTest}>
                {create.isPending ? 'Creating…' : 'Create test from template'}
              </button>
            </>
          )}
        </div>
      </header>
      {(toggle.isError || create.isError) && (
        <div className="mb-4">
          <ErrorMessage message={describeError(toggle.error ?? create.error)} />
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-4 lg:col-span-2">
          <Card title="Description">
            {template.description ? (
              <Markdown source={template.description} />
            ) : (
              <p className="text-sm text-slate-500">No description.</p>
            )}
          </Card>
          <Card title="Commands">
            <div className="flex flex-col gap-3">
              {template.command && <CodeBlock label="Command" code={template.command} />}
              {template.cleanupCommand && <CodeBlock label="Cleanup" code={template.cleanupCommand} />}
              {template.variants
                ?.map((v, i) => ({ ...v, key: `variant-${i + 1}` }))
                .map((v) => (
                  <div key={v.key} className="flex flex-col gap-2">
                    <p className="text-sm font-medium text-slate-700">
                      {v.label}
                      <span className="ml-2 text-xs font-normal text-slate-500">
                        {[v.executor, v.platforms.join(', ')].filter(Boolean).join(' · ')}
                      </span>
                    </p>
                    {v.command && <CodeBlock code={v.command} />}
                    {v.cleanupCommand && <CodeBlock label="Cleanup" code={v.cleanupCommand} />}
                  </div>
                ))}
              {!template.command && !template.cleanupCommand && !template.variants?.length && (
                <p className="text-sm text-slate-500">This template has no command.</p>
              )}
            </div>
          </Card>
          {template.inputArguments.length > 0 && (
            <Card title="Input arguments">
              <DataTable columns={argumentColumns} rows={template.inputArguments} rowKey={(a) => a.name} />
            </Card>
          )}
          {template.dependencies.length > 0 && (
            <Card title="Dependencies">
              <ol className="flex flex-col gap-3">
                {template.dependencies
                  .map((d, i) => ({ ...d, key: `dependency-${i + 1}` }))
                  .map((d, i) => (
                    <li key={d.key} className="flex flex-col gap-2">
                      <p className="text-sm text-slate-700">{d.description || `Dependency ${i + 1}`}</p>
                      {d.prereqCommand && <CodeBlock label="Check" code={d.prereqCommand} />}
                      {d.getPrereqCommand && <CodeBlock label="Get" code={d.getPrereqCommand} />}
                    </li>
                  ))}
              </ol>
            </Card>
          )}
        </div>
        <aside className="flex flex-col gap-4">
          <Card title="Techniques">
            <TechniqueLinks techniques={template.techniques} unresolved={template.unresolvedAttackIds} />
          </Card>
          <Card title="Details">
            <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
              <dt className="text-slate-500">Tactics</dt>
              <dd>
                <TacticNames shortnames={template.tactics} />
                {template.sourceTactics.join() !== template.tactics.join() && (
                  <span className="block text-xs text-slate-500" data-testid="source-tactics">
                    {template.isCustom ? 'Chosen' : `As ${template.source} writes them`}:{' '}
                    <TacticNames shortnames={template.sourceTactics} />
                  </span>
                )}
              </dd>
              <dt className="text-slate-500">Executor</dt>
              <dd>{template.executor ?? '—'}</dd>
              {template.path && (
                <>
                  <dt className="text-slate-500">Path</dt>
                  <dd className="break-all font-mono text-xs">{template.path}</dd>
                </>
              )}
              <dt className="text-slate-500">Updated</dt>
              <dd>{formatDateTime(template.updatedAt)}</dd>
            </dl>
          </Card>
        </aside>
      </div>
    </article>
  );
}
