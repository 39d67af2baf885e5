import type { D3fendCandidate, D3fendTechnique } from '@aegis/contracts';
import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link, useParams } from '@tanstack/react-router';
import { hasRole, useUser } from '../../../app/auth';
import { EmptyState } from '../../../components/Feedback';
import { QueryView } from '../../../components/QueryView';
import { NotInRelease } from '../../attack/components/NotInRelease';
import { TechniqueCoverageTable } from '../../compliance/components/TechniqueCoverage';
import { GroupCoverage } from '../../coverage/components/GroupCoverage';
import { Card } from '../../test-cases/components/ui';
import { candidatesOf, useDefense } from '../api';
import { ImplementationBadge, ImplementationEditor } from '../components/Implementation';

export function DefensePage() {
  const { id } = useParams({ from: '/app/defenses/$id' });
  const defense = useDefense(id);
  const candidates = candidatesOf(defense.error);
  if (candidates) return <Candidates id={id} candidates={candidates} />;
  return (
    <QueryView
      query={defense}
      loading="Loading the countermeasure…"
      failed="The countermeasure could not be loaded."
    >
      {(d) => <DefenseView defense={d} />}
    </QueryView>
  );
}

/** A D3FEND id that names several countermeasures (D3FEND 0.14.0 gives D3-RC to two): the user picks one. */
function Candidates({ id, candidates }: { id: string; candidates: D3fendCandidate[] }) {
  return (
    <article className="mx-auto max-w-3xl">
      <h1 className="text-2xl font-semibold text-slate-900">
        {id} names {candidates.length} countermeasures
      </h1>
      <p className="mt-1 mb-4 text-sm text-slate-600">
        D3FEND gives this id to more than one technique. Which one?
      </p>
      <ul className="flex flex-col gap-2">
        {candidates.map((c) => (
          <li key={c.id}>
            <Link
              to="/defenses/$id"
              params={{ id: c.iri }}
              className="font-medium text-sky-700 hover:underline"
            >
              {c.name}
            </Link>
            <span className="ml-2 text-sm text-slate-500">
              {c.tactic ?? 'countermeasure'} · <span className="font-mono">{c.iri}</span>
            </span>
          </li>
        ))}
      </ul>
    </article>
  );
}

function DefenseView({ defense }: { defense: D3fendTechnique }) {
  const user = useUser();
  const canEdit = hasRole(user, ROLE_GROUPS.blueLeads);
  return (
    <article className="mx-auto max-w-6xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link to="/defenses" className="text-sky-700 hover:underline">
          D3FEND defenses
        </Link>
        {defense.tactic && (
          <>
            {' / '}
            <Link to="/defenses" search={{ tactic: defense.tactic }} className="text-sky-700 hover:underline">
              {defense.tactic}
            </Link>
          </>
        )}
      </nav>
      <header className="mb-4 flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-mono text-sm text-slate-500">{defense.d3fendId}</p>
          <h1 className="text-2xl font-semibold text-slate-900">{defense.name}</h1>
          <p className="mt-1 text-sm text-slate-600">
            D3FEND {defense.tactic ?? 'countermeasure'}
            {defense.removedAt && <span className="ml-2 text-red-700">Removed upstream</span>}
          </p>
        </div>
        <ImplementationBadge value={defense.implementation} />
      </header>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="flex min-w-0 flex-col gap-4 lg:col-span-2">
          <Card title="Definition">
            <p className="text-sm leading-6 whitespace-pre-line text-slate-700">
              {defense.definition || 'D3FEND gives no definition for it.'}
            </p>
          </Card>
          <Card title={`ATT&CK techniques it counters (${defense.techniques.length})`}>
            {defense.techniques.length === 0 ? (
              <EmptyState>D3FEND maps no technique of the current ATT&CK release to it.</EmptyState>
            ) : (
              <div className="flex flex-col gap-3">
                <GroupCoverage by="d3fend" groupKey={defense.id} listed={defense.techniques.length} />
                <TechniqueCoverageTable techniques={defense.techniques} />
              </div>
            )}
            <div className="mt-2">
              <NotInRelease attackIds={defense.unresolvedAttackIds} />
            </div>
          </Card>
        </div>
        <aside className="flex flex-col gap-4">
          <Card title="In this organisation">
            {canEdit ? (
              <ImplementationEditor defense={defense} />
            ) : (
              <div className="flex flex-col gap-2 text-sm">
                <p>
                  <ImplementationBadge value={defense.implementation} />
                </p>
                <p className="text-slate-500">Blue leads and admins record whether it is implemented.</p>
              </div>
            )}
          </Card>
        </aside>
      </div>
    </article>
  );
}
