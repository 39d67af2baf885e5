import type { AttackRef, Technique } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link, useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { describeError } from '../../../app/api';
import { hasRole, useUser } from '../../../app/auth';
import { CoverageBadge, coverageStyles } from '../../../components/coverage';
import { EmptyState, ErrorMessage, Spinner } from '../../../components/Feedback';
import { Markdown } from '../../../components/Markdown';
import { useRules, useTemplates } from '../../catalog/api';
import { TechniqueScorePanel } from '../../scores/components/TechniqueScorePanel';
import { useTests } from '../../test-cases/api';
import { AssigneeName } from '../../test-cases/components/Assignees';
import { TestStateBadge } from '../../test-cases/components/TestStateBadge';
import { RelatedList } from '../../threat-actors/components/RelatedList';
import { useMarkReviewed, useTechnique } from '../api';
import { TacticNames } from '../components/TacticNames';
import { TechniqueNotes } from '../components/TechniqueNotes';

export function TechniquePage() {
  const { id } = useParams({ from: '/app/techniques/$id' });
  const technique = useTechnique(id);

  if (technique.isPending) return <Spinner label="Loading the technique…" />;
  if (technique.isError)
    return (
      <ErrorMessage
        title="The technique could not be loaded."
        message={describeError(technique.error)}
        onRetry={() => void technique.refetch()}
      />
    );
  return <TechniqueView technique={technique.data} />;
}

function TechniqueView({ technique }: { technique: Technique }) {
  return (
    <article className="mx-auto max-w-6xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link to="/matrix" className="text-sky-700 hover:underline">
          ATT&CK Matrix
        </Link>
        {technique.parent && (
          <>
            {' / '}
            <Link
              to="/techniques/$id"
              params={{ id: technique.parent.attackId ?? technique.parent.id }}
              className="text-sky-700 hover:underline"
            >
              {technique.parent.attackId} {technique.parent.name}
            </Link>
          </>
        )}
      </nav>
      <header className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="font-mono text-sm text-slate-500">{technique.attackId}</p>
          <h1 className="text-2xl font-semibold text-slate-900">{technique.name}</h1>
          <p className="mt-1 text-sm text-slate-600">
            <TacticNames shortnames={technique.tactics} empty="no tactic" /> ·{' '}
            {technique.platforms.join(', ') || 'no platform'}
            {technique.version && ` · v${technique.version}`}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <CoverageBadge status={technique.coverageStatus} />
          {technique.url && (
            <a
              href={technique.url}
              target="_blank"
              rel="noreferrer noopener"
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs text-slate-700 hover:bg-slate-50"
            >
              MITRE page ↗
            </a>
          )}
        </div>
      </header>
      <ReviewPanel technique={technique} />
      <TechniqueScorePanel attackId={technique.attackId ?? technique.id} platforms={technique.platforms} />
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex flex-col gap-4 lg:col-span-2">
          <Card title="Description">
            <Markdown source={technique.description} />
          </Card>
          <TechniqueNotes technique={technique} />
          <TechniqueTests attackId={technique.attackId ?? technique.id} />
          {technique.subtechniques.length > 0 && (
            <Card title={`Sub-techniques (${technique.subtechniques.length})`}>
              <ul className="grid gap-1 sm:grid-cols-2">
                {technique.subtechniques.map((sub) => (
                  <li key={sub.id}>
                    <Link
                      to="/techniques/$id"
                      params={{ id: sub.attackId ?? sub.id }}
                      className={`block rounded border px-2 py-1 text-sm ${coverageStyles[sub.coverageStatus].cell}`}
                    >
                      <span className="font-mono text-xs opacity-70">{sub.attackId}</span> {sub.name}
                    </Link>
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </div>
        <div className="flex flex-col gap-4">
          <RelatedList
            title="Groups using it"
            kind="group"
            items={technique.groups}
            empty="No group is known to use it."
          />
          <RelatedList
            title="Software using it"
            kind="software"
            items={technique.software}
            empty="No software is known to use it."
          />
          <RelatedList
            title="Intrusion campaigns"
            kind="campaign"
            items={technique.campaigns}
            empty="No intrusion campaign is known to use it."
          />
          <Card title={`Mitigations (${technique.mitigations.length})`}>
            {technique.mitigations.length === 0 ? (
              <p className="text-sm text-slate-500">No mitigation listed.</p>
            ) : (
              <ul className="flex flex-col gap-1 text-sm">
                {technique.mitigations.map((m) => (
                  <li key={m.id}>
                    <span className="font-mono text-xs text-slate-500">{m.attackId}</span> {m.name}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <RefList
            title="Detection strategies"
            items={technique.detectionStrategies}
            empty="No detection strategy listed."
          />
          <RelatedTemplates technique={technique.attackId ?? technique.id} />
          <RelatedRules technique={technique.attackId ?? technique.id} />
        </div>
      </div>
    </article>
  );
}

function Card({ title, action, children }: { title: ReactNode; action?: ReactNode; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="mb-2 flex items-center justify-between gap-2">
        <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-500">{title}</h2>
        {action}
      </div>
      {children}
    </section>
  );
}

function RefList({ title, items, empty }: { title: string; items: AttackRef[]; empty: string }) {
  return (
    <Card title={`${title} (${items.length})`}>
      {items.length === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <ul className="flex max-h-72 flex-col gap-1 overflow-auto text-sm">
          {items.map((item) => (
            <li key={item.id}>
              <span className="font-mono text-xs text-slate-500">{item.attackId}</span> {item.name}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function ReviewPanel({ technique }: { technique: Technique }) {
  const user = useUser();
  const markReviewed = useMarkReviewed(technique.attackId ?? technique.id);
  if (!technique.reviewRequired) return null;
  const canReview = hasRole(user, ROLE_GROUPS.leads);
  return (
    <section
      aria-label="Review required"
      className="mb-4 rounded-lg border border-orange-300 bg-orange-50 p-4 text-sm text-orange-950"
    >
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h2 className="font-semibold">Review required</h2>
          <p>This technique changed in an ATT&CK release; check that existing tests still apply.</p>
        </div>
        {canReview && (
          <button
            type="button"
            disabled={markReviewed.isPending}
            onClick={() => markReviewed.mutate()}
            className="rounded-md bg-orange-600 px-3 py-1.5 font-medium text-white hover:bg-orange-700 disabled:opacity-60"
          >
            {markReviewed.isPending ? 'Marking…' : 'Mark reviewed'}
          </button>
        )}
      </div>
      <ul className="mt-2 list-disc pl-5">
        {technique.reviewReasons.map((r) => (
          <li key={`${r.kind}-${r.release}-${r.at}`}>
            <span className="font-medium">{r.kind.replaceAll('_', ' ')}</span> in {r.release}: {r.detail}
          </li>
        ))}
      </ul>
      {markReviewed.isError && <p className="mt-2 text-red-700">{describeError(markReviewed.error)}</p>}
    </section>
  );
}

function TechniqueTests({ attackId }: { attackId: string }) {
  const user = useUser();
  const tests = useTests({ technique: attackId, limit: 50 });
  return (
    <Card
      title={`Tests${tests.data ? ` (${tests.data.total})` : ''}`}
      action={
        hasRole(user, ROLE_GROUPS.red) && (
          <Link
            to="/tests/new"
            search={{ technique: attackId }}
            className="rounded-md bg-sky-700 px-2.5 py-1 text-xs font-medium text-white hover:bg-sky-800"
          >
            New test
          </Link>
        )
      }
    >
      {tests.isPending ? (
        <Spinner label="Loading tests…" />
      ) : tests.isError ? (
        <ErrorMessage message={describeError(tests.error)} />
      ) : tests.data.items.length === 0 ? (
        <EmptyState>No test of this technique yet.</EmptyState>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-xs text-slate-500">
            <tr>
              <th className="py-1 font-medium">Title</th>
              <th className="py-1 font-medium">State</th>
              <th className="py-1 font-medium">Outcome</th>
              <th className="py-1 font-medium">Red</th>
              <th className="py-1 font-medium">Blue</th>
              <th className="py-1 font-medium">Updated</th>
            </tr>
          </thead>
          <tbody>
            {tests.data.items.map((t) => (
              <tr key={t.id} className="border-t border-slate-100">
                <td className="py-1.5">
                  <Link to="/tests/$id" params={{ id: t.id }} className="text-sky-700 hover:underline">
                    {t.title}
                  </Link>
                </td>
                <td className="py-1.5">
                  <TestStateBadge state={t.state} />
                </td>
                <td className="py-1.5">{t.outcome?.replaceAll('_', ' ') ?? '—'}</td>
                <td className="py-1.5">
                  <AssigneeName person={t.assignedRed} />
                </td>
                <td className="py-1.5">
                  <AssigneeName person={t.assignedBlue} />
                </td>
                <td className="py-1.5 text-slate-500">{new Date(t.updatedAt).toLocaleDateString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}

/** Test templates of the catalog that exercise this technique (first page). */
function RelatedTemplates({ technique }: { technique: string }) {
  const { data, isPending, isError } = useTemplates({ technique, active: 'true', limit: 8 });
  const user = useUser();
  return (
    <Card
      title={
        <Link
          to="/catalog"
          search={{ technique, active: 'true' }}
          className="hover:text-sky-800 hover:underline"
        >
          Test templates{data ? ` (${data.total})` : ''}
        </Link>
      }
      action={
        hasRole(user, ROLE_GROUPS.red) && (
          <Link
            to="/catalog/new"
            search={{ technique }}
            className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50"
          >
            New template
          </Link>
        )
      }
    >
      {isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : isError ? (
        <p className="text-sm text-red-700">Could not load the templates.</p>
      ) : data.items.length === 0 ? (
        <p className="text-sm text-slate-500">No active template tests this technique.</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm">
          {data.items.map((t) => (
            <li key={t.id}>
              <Link to="/catalog/$id" params={{ id: t.id }} className="text-sky-800 hover:underline">
                {t.name}
              </Link>{' '}
              <span className="text-xs text-slate-500">{t.source}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** Detection rules mapped to this technique, with their authors (Sigma's licence asks for attribution). */
function RelatedRules({ technique }: { technique: string }) {
  const { data, isPending, isError } = useRules({ technique, limit: 8 });
  return (
    <Card
      title={
        <Link to="/detection-rules" search={{ technique }} className="hover:text-sky-800 hover:underline">
          Detection rules{data ? ` (${data.total})` : ''}
        </Link>
      }
    >
      {isPending ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : isError ? (
        <p className="text-sm text-red-700">Could not load the rules.</p>
      ) : data.items.length === 0 ? (
        <p className="text-sm text-slate-500">No detection rule is mapped to it.</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm">
          {data.items.map((r) => (
            <li key={r.id}>
              <Link to="/detection-rules/$id" params={{ id: r.id }} className="text-sky-800 hover:underline">
                {r.title}
              </Link>
              <span className="block text-xs text-slate-500">
                {r.source}
                {r.level ? ` · ${r.level}` : ''}
                {r.author ? ` · by ${r.author}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
