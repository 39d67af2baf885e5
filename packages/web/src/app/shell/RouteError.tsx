import { useQueryClient } from '@tanstack/react-query';
import { type ErrorComponentProps, useRouter } from '@tanstack/react-router';
import { ApiError, describeError } from '../api';
import { meQueryKey } from '../auth';

/**
 * The signed-in layout's own failure, above all the sign-in check (`GET /auth/me`) when the server
 * is down or answers 5xx: say so and offer a retry, rather than a blank page or a sign-in form that
 * cannot work either. (Pages below have their own error states.)
 */
export function RouteError({ error }: ErrorComponentProps) {
  const router = useRouter();
  const queryClient = useQueryClient();
  const retry = () => {
    void queryClient.resetQueries({ queryKey: meQueryKey }).then(() => router.invalidate());
  };
  return (
    <main className="grid min-h-screen place-items-center bg-slate-900 px-4">
      <div role="alert" className="w-full max-w-sm rounded-xl bg-white p-8 shadow-xl">
        <h1 className="text-lg font-semibold text-slate-900">
          {error instanceof ApiError && (error.status === 0 || error.status >= 500)
            ? 'Aegis cannot reach its server'
            : 'Something went wrong'}
        </h1>
        <p className="mt-2 text-sm text-slate-600">{describeError(error)}</p>
        <button
          type="button"
          onClick={retry}
          className="mt-6 w-full rounded-md bg-sky-700 px-3 py-2 text-sm font-semibold text-white hover:bg-sky-800"
        >
          Try again
        </button>
      </div>
    </main>
  );
}
