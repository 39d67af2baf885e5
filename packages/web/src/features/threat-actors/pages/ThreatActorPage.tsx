import type { CoverageStatus } from '@aegis/contracts';
import { Link, useParams } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { describeError } from '../../../app/api';
import { CoverageBadge, coverageOrder, coverageStyles } from '../../../components/coverage';
import { EmptyState, ErrorMessage, Spinner } from '../../../components/Feedback';
import { Markdown } from '../../../components/Markdown';
import { Card } from '../../test-cases/components/ui';
import { type ThreatActorDetail, useThreatActor } from '../api';
import { ValidatedBar } from './ThreatActorsPage';

export function ThreatActorPage() {
  const { id } = useParams({ from: '/app/threat-actors/$id' });
  const actor = useThreatActor(id);
  if (actor.isPending) return <Spinner label="Loading the threat actor…" />;
  if (actor.isError)
    return (
      <ErrorMessage
        title="The threat actor could not be loaded."
        message={describeError(actor.error)}
        onRetry={() => void actor.refetch()}
      />
    );
  return <ThreatActorView actor={actor.data} />;
}

function ThreatActorView({ actor }: { actor: ThreatActorDetail }) {
  const [status, setStatus] = useState<CoverageStatus | null>(null);
  const techniques = useMemo(
    () =>
      [...actor.techniques]
        .filter((t) => !status || t.coverageStatus === status)
        .sort((a, b) => (a.attackId ?? a.name).localeCompare(b.attackId ?? b.name)),
    [actor.techniques, status],
  );
  const aliases = actor.aliases.filter((a) => a !== actor.name);

  return (
    <article className="mx-auto max-w-6xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link to="/threat-actors" className="text-sky-700 hover:underline">
          Threat actors
        </Link>
      </nav>
      <header className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-mono text-sm text-slate-500">{actor.attackId}</p>
          <h1 className="text-2xl font-semibold text-slate-900">{actor.name}</h1>
          {aliases.length > 0 && (
            <p className="mt-1 text-sm text-slate-600">
              <span className="text-slate-500">Also known as </span>
              {aliases.join(', ')}
            </p>
          )}
        </div>
        <div className="flex items-center gap-3">
          <ValidatedBar validated={actor.validatedCount} total={actor.techniqueCount} />
          {actor.url && (
            <a
              href={actor.url}
              target="_blank"
              rel="noreferrer noopener"
              className="rounded-md border border-slate-300 bg-white px-2 py-1 text-xs text-slate-700 hover:bg-slate-50"
            >
              MITRE page ↗
            </a>
          )}
        </div>
      </header>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-4 lg:col-span-2">
          <Card title="Description">
            {actor.description ? (
              <Markdown source={actor.description} />
            ) : (
              <p className="text-sm text-slate-500">No description.</p>
            )}
          </Card>
          <Card title={`Techniques (${actor.techniques.length})`}>
            {techniques.length === 0 ? (
              <EmptyState>
                {status ? 'No technique of this group has this coverage.' : 'No technique is attributed.'}
              </EmptyState>
            ) : (
              <ul className="divide-y divide-slate-100" aria-label="Techniques used">
                {techniques.map((t) => (
                  <li
                    key={t.id}
                    data-testid="actor-technique"
                    className="flex items-center gap-3 py-1.5 text-sm"
                  >
                    <span className="w-20 shrink-0 font-mono text-xs text-slate-500">{t.attackId}</span>
                    <Link
                      to="/techniques/$id"
                      params={{ id: t.attackId ?? t.id }}
                      className="min-w-0 flex-1 text-sky-700 hover:underline"
                    >
                      {t.name}
                    </Link>
                    <span className="hidden text-xs text-slate-500 md:inline">{t.tactics.join(', ')}</span>
                    <CoverageBadge status={t.coverageStatus} />
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
        <aside className="flex flex-col gap-4">
          <Card title="Coverage">
            <ul className="flex flex-col gap-1.5" aria-label="Coverage breakdown">
              {coverageOrder.map((s) => {
                const count = actor.coverage[s] ?? 0;
                const pressed = status === s;
                return (
                  <li key={s}>
                    <button
                      type="button"
                      aria-pressed={pressed}
                      onClick={() => setStatus(pressed ? null : s)}
                      className={`flex w-full items-center justify-between rounded-md border px-2 py-1 text-sm ${coverageStyles[s].cell} ${pressed ? 'ring-2 ring-sky-500' : ''}`}
                    >
                      <span>{coverageStyles[s].label}</span>
                      <span className="font-semibold tabular-nums">{count}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
            <p className="mt-2 text-xs text-slate-500">Select a status to filter the techniques.</p>
          </Card>
          {actor.software.length > 0 && (
            <Card title={`Software (${actor.software.length})`}>
              <ul className="flex flex-wrap gap-1 text-xs">
                {actor.software.map((s) => (
                  <li key={s.id} className="rounded bg-slate-100 px-1.5 py-0.5 text-slate-700">
                    {s.name}
                  </li>
                ))}
              </ul>
            </Card>
          )}
          {actor.campaigns.length > 0 && (
            <Card title={`Campaigns (${actor.campaigns.length})`}>
              <ul className="flex flex-col gap-1 text-sm text-slate-700">
                {actor.campaigns.map((c) => (
                  <li key={c.id}>
                    <span className="font-mono text-xs text-slate-500">{c.attackId}</span> {c.name}
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
