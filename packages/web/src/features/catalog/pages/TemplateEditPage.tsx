import type { TestTemplate } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { useMemo } from 'react';
import { hasRole, useUser } from '../../../app/auth';
import { secondaryButton } from '../../../components/buttons';
import { EmptyState, ErrorMessage, PageHeader, Spinner } from '../../../components/Feedback';
import { QueryView } from '../../../components/QueryView';
import { useTactics } from '../../attack/api';
import { useCreateTemplate, useTemplate, useTemplateStats, useUpdateTemplate } from '../api';
import { TemplateForm } from '../components/TemplateForm';
import { draftFrom, emptyDraft, type TemplateDraft, toCreateBody, toUpdateBody } from '../templateForm';

/** What the form offers besides what the user types: the catalog's platforms and ATT&CK's tactics. */
function useFormOptions() {
  const stats = useTemplateStats();
  const tactics = useTactics();
  return useMemo(
    () => ({
      platforms: (stats.data?.byPlatform ?? []).map((b) => b.key),
      tactics: [...(tactics.data ?? [])]
        .filter((t) => t.shortname)
        .sort((a, b) => (a.matrixOrder ?? 99) - (b.matrixOrder ?? 99))
        .map((t) => ({ value: t.shortname as string, label: t.name })),
    }),
    [stats.data, tactics.data],
  );
}

function Breadcrumb({ template }: { template?: TestTemplate }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
      <Link to="/catalog" className="text-sky-700 hover:underline">
        Test catalog
      </Link>
      {template && (
        <>
          {' / '}
          <Link to="/catalog/$id" params={{ id: template.id }} className="text-sky-700 hover:underline">
            {template.name}
          </Link>
        </>
      )}
    </nav>
  );
}

/** `/catalog/new`: a custom template, blank, for a technique (`?technique=`) or copied from another (`?from=`). */
export function NewTemplatePage() {
  const user = useUser();
  const search = useSearch({ from: '/app/catalog/new' });
  const source = useTemplate(search.from ?? '', Boolean(search.from));

  if (!hasRole(user, ROLE_GROUPS.red))
    return <ErrorMessage message="Only the red team (technicians and leads) and admins create templates." />;
  if (search.from) {
    if (source.isPending) return <Spinner label="Loading the template to copy…" />;
    if (source.isError)
      return (
        <ErrorMessage
          title="The template to copy could not be loaded."
          message="It may have been removed; start from a blank template instead."
        />
      );
  }
  const initial: TemplateDraft = source.data
    ? { ...draftFrom(source.data), name: `${source.data.name} (custom)` }
    : emptyDraft(search.technique);
  return <NewTemplateForm key={source.data?.id ?? 'blank'} initial={initial} copiedFrom={source.data} />;
}

function NewTemplateForm({ initial, copiedFrom }: { initial: TemplateDraft; copiedFrom?: TestTemplate }) {
  const navigate = useNavigate();
  const create = useCreateTemplate();
  const options = useFormOptions();
  return (
    <div className="mx-auto max-w-4xl">
      <Breadcrumb />
      <PageHeader title="New test template" />
      {copiedFrom && (
        <p className="mb-4 text-sm text-slate-600">
          A custom copy of <span className="font-medium">{copiedFrom.name}</span> ({copiedFrom.source}); the
          original stays as its source ships it.
        </p>
      )}
      <TemplateForm
        initial={initial}
        submitLabel="Create template"
        pendingLabel="Creating…"
        pending={create.isPending}
        error={create.error}
        platforms={options.platforms}
        tactics={options.tactics}
        onSubmit={(draft) =>
          create.mutate(toCreateBody(draft), {
            onSuccess: (t) => void navigate({ to: '/catalog/$id', params: { id: t.id } }),
          })
        }
        cancel={
          <Link to="/catalog" className={secondaryButton}>
            Cancel
          </Link>
        }
      />
    </div>
  );
}

/** `/catalog/$id/edit`: custom templates only; a synced one is its source's text (the server answers 409). */
export function EditTemplatePage() {
  const user = useUser();
  const { id } = useParams({ from: '/app/catalog/$id/edit' });
  const template = useTemplate(id);
  if (!hasRole(user, ROLE_GROUPS.red))
    return <ErrorMessage message="Only the red team (technicians and leads) and admins edit templates." />;
  return (
    <QueryView query={template} loading="Loading the template…" failed="The template could not be loaded.">
      {(t) =>
        t.isCustom ? (
          <EditTemplateForm template={t} />
        ) : (
          <div className="mx-auto max-w-4xl">
            <Breadcrumb template={t} />
            <PageHeader title={`Edit ${t.name}`} />
            <EmptyState>
              <p>
                This template comes from {t.source} and is replaced on each sync, so its text cannot be edited
                here; it can only be activated or deactivated.
              </p>
              <p className="mt-3 flex justify-center gap-2">
                <Link to="/catalog/new" search={{ from: t.id }} className={secondaryButton}>
                  Copy to a custom template
                </Link>
                <Link to="/catalog/$id" params={{ id: t.id }} className={secondaryButton}>
                  Back to the template
                </Link>
              </p>
            </EmptyState>
          </div>
        )
      }
    </QueryView>
  );
}

function EditTemplateForm({ template }: { template: TestTemplate }) {
  const navigate = useNavigate();
  const update = useUpdateTemplate(template.id);
  const options = useFormOptions();
  const back = () => void navigate({ to: '/catalog/$id', params: { id: template.id } });
  return (
    <div className="mx-auto max-w-4xl">
      <Breadcrumb template={template} />
      <PageHeader title={`Edit ${template.name}`} />
      <TemplateForm
        initial={draftFrom(template)}
        submitLabel="Save changes"
        pendingLabel="Saving…"
        pending={update.isPending}
        error={update.error}
        platforms={options.platforms}
        tactics={options.tactics}
        onSubmit={(draft) => {
          const patch = toUpdateBody(template, draft);
          if (patch) update.mutate(patch, { onSuccess: back });
          else back();
        }}
        cancel={
          <Link to="/catalog/$id" params={{ id: template.id }} className={secondaryButton}>
            Cancel
          </Link>
        }
      />
    </div>
  );
}
