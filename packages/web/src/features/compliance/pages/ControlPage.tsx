import type { ComplianceControl } from '@aegis/contracts';
import { Link, useParams } from '@tanstack/react-router';
import { EmptyState } from '../../../components/Feedback';
import { Markdown } from '../../../components/Markdown';
import { QueryView } from '../../../components/QueryView';
import { NotInRelease } from '../../attack/components/NotInRelease';
import { GroupCoverage } from '../../coverage/components/GroupCoverage';
import { Card } from '../../test-cases/components/ui';
import { useControl, useFrameworks } from '../api';
import { TechniqueCoverageTable } from '../components/TechniqueCoverage';

export function ControlPage() {
  const { id } = useParams({ from: '/app/compliance/controls/$id' });
  const control = useControl(id);
  return (
    <QueryView query={control} loading="Loading the control…" failed="The control could not be loaded.">
      {(c) => <ControlView control={c} />}
    </QueryView>
  );
}

function ControlView({ control }: { control: ComplianceControl }) {
  const frameworks = useFrameworks();
  const framework = frameworks.data?.find((f) => f.framework === control.framework);
  return (
    <article className="mx-auto max-w-6xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        <Link to="/compliance" className="text-sky-700 hover:underline">
          Compliance
        </Link>
        {' / '}
        <Link
          to="/compliance"
          search={{ framework: control.framework }}
          className="text-sky-700 hover:underline"
        >
          {framework?.name ?? control.framework}
        </Link>
      </nav>
      <header className="mb-4">
        <p className="font-mono text-sm text-slate-500">{control.controlId}</p>
        <h1 className="text-2xl font-semibold text-slate-900">{control.name}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {framework?.name ?? control.framework}
          {control.family && ` · family ${control.family}`}
          {control.removedAt && <span className="ml-2 text-red-700">Removed upstream</span>}
        </p>
      </header>
      <div className="flex flex-col gap-4">
        <Card title="Control text">
          {control.description ? (
            <Markdown source={control.description} />
          ) : (
            <p className="text-sm text-slate-500">
              This source maps the control to techniques without its text; see the framework's publication.
            </p>
          )}
        </Card>
        <Card title={`Mapped ATT&CK techniques (${control.techniques.length})`}>
          {control.techniques.length === 0 ? (
            <EmptyState>No technique of the current ATT&CK release is mapped to this control.</EmptyState>
          ) : (
            <div className="flex flex-col gap-3">
              <GroupCoverage
                by="control"
                framework={control.framework}
                groupKey={control.id}
                listed={control.techniques.length}
              />
              <TechniqueCoverageTable techniques={control.techniques} />
            </div>
          )}
          <div className="mt-2">
            <NotInRelease attackIds={control.unresolvedAttackIds} />
          </div>
        </Card>
      </div>
    </article>
  );
}
