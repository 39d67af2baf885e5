import { ROLE_GROUPS } from '@aegis/contracts/roles';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { hasRole, useUser } from '../../../app/auth';
import { ErrorMessage, PageHeader } from '../../../components/Feedback';
import { NewTestForm } from '../components/NewTestForm';

export function CreateTestPage() {
  const user = useUser();
  const search = useSearch({ from: '/app/tests/new' });
  const navigate = useNavigate();

  if (!hasRole(user, ROLE_GROUPS.red))
    return <ErrorMessage message="Only the red team and admins create tests." />;

  return (
    <div className="mx-auto max-w-3xl">
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-500">
        {search.technique ? (
          <Link
            to="/techniques/$id"
            params={{ id: search.technique }}
            className="text-sky-700 hover:underline"
          >
            {search.technique}
          </Link>
        ) : (
          <Link to="/tests" className="text-sky-700 hover:underline">
            All tests
          </Link>
        )}
      </nav>
      <PageHeader title="New test" />
      <NewTestForm
        initialTechnique={search.technique}
        canAssign={hasRole(user, ROLE_GROUPS.leads)}
        onCreated={(test) => void navigate({ to: '/tests/$id', params: { id: test.id } })}
      />
    </div>
  );
}
