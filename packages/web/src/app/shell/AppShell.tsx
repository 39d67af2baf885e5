import { Navigate, Outlet, useLocation } from '@tanstack/react-router';
import { Spinner } from '../../components/Feedback';
import { NotificationBell } from '../../features/notifications/components/NotificationBell';
import { useAuth } from '../auth';
import { Sidebar } from './Sidebar';
import { UserMenu } from './UserMenu';

/** The signed-in layout: sidebar, header (bell, user menu) and the page. Anonymous users go to /login. */
export function AppShell() {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'loading')
    return (
      <div className="grid h-screen place-items-center">
        <Spinner label="Starting Aegis…" />
      </div>
    );
  if (state.status === 'anonymous')
    return (
      <Navigate
        to="/login"
        search={{ redirect: location.href === '/' ? undefined : location.href }}
        replace
      />
    );
  return (
    <div className="flex h-screen overflow-hidden">
      <Sidebar />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex h-14 shrink-0 items-center justify-end gap-2 border-b border-slate-200 bg-white px-4">
          <NotificationBell />
          <UserMenu />
        </header>
        <main className="min-h-0 flex-1 overflow-auto p-6">
          <Outlet />
        </main>
      </div>
    </div>
  );
}
