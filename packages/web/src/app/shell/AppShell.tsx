import { Link, Outlet, useLocation, useRouter } from '@tanstack/react-router';
import { useEffect } from 'react';
import { Spinner } from '../../components/Feedback';
import { NotificationBell } from '../../features/notifications/components/NotificationBell';
import { useAuth } from '../auth';
import { Sidebar } from './Sidebar';
import { UserMenu } from './UserMenu';

/**
 * The signed-in layout: sidebar, header (bell, user menu) and the page. The router's guard keeps
 * signed-out visitors away; when a session ends on a page (any 401), the guard runs again and sends
 * the user to sign in, and back here afterwards.
 */
export function AppShell() {
  const { state } = useAuth();
  const location = useLocation();
  const router = useRouter();
  const signedOut = state.status === 'anonymous';
  useEffect(() => {
    if (signedOut) void router.invalidate();
  }, [signedOut, router]);
  if (state.status !== 'signed-in')
    return (
      <div className="grid h-screen place-items-center">
        <Spinner label="Starting Aegis…" />
      </div>
    );
  return (
    <div className="flex h-screen overflow-hidden print:block print:h-auto print:overflow-visible">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-sky-800 shadow focus:not-sr-only focus:absolute focus:left-2 focus:top-2"
      >
        Skip to content
      </a>
      <Sidebar />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 shrink-0 print:hidden items-center justify-end gap-2 border-b border-slate-200 bg-white px-4">
          <NotificationBell />
          <UserMenu />
        </header>
        <main
          id="main"
          tabIndex={-1}
          className="min-h-0 flex-1 overflow-auto p-6 focus:outline-none print:overflow-visible print:p-0"
        >
          {state.user.mustChangePassword && location.pathname !== '/settings/password' && (
            <p
              role="alert"
              className="mx-auto mb-4 max-w-7xl rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900"
            >
              Your password was set by an administrator: choose your own now.{' '}
              <Link to="/settings/password" className="font-medium underline">
                Change password
              </Link>
            </p>
          )}
          <Outlet />
        </main>
      </div>
    </div>
  );
}
