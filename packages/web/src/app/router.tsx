import { createRootRoute, createRoute, createRouter, Link, Outlet } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { Placeholder } from '../components/Placeholder';
import { MatrixPage } from '../features/attack/pages/MatrixPage';
import { TechniquePage } from '../features/attack/pages/TechniquePage';
import { LoginPage } from '../features/auth/pages/LoginPage';
import { DashboardPage } from '../features/dashboard/pages/DashboardPage';
import { CreateTestPage } from '../features/test-cases/pages/CreateTestPage';
import { PendingTasksPage } from '../features/test-cases/pages/PendingTasksPage';
import { TestDetailPage } from '../features/test-cases/pages/TestDetailPage';
import { TestsListPage } from '../features/test-cases/pages/TestsListPage';
import { AppShell } from './shell/AppShell';

const rootRoute = createRootRoute({
  component: Outlet,
  notFoundComponent: () => (
    <div className="p-6">
      <h1 className="text-xl font-semibold">Page not found</h1>
      <Link to="/" className="text-sky-700 hover:underline">
        Back to the dashboard
      </Link>
    </div>
  ),
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } =>
    typeof search.redirect === 'string' ? { redirect: search.redirect } : {},
  component: LoginPage,
});

/** Every signed-in page lives under this pathless layout. */
const appRoute = createRoute({ getParentRoute: () => rootRoute, id: 'app', component: AppShell });

const page = (path: string, component: () => ReactNode) =>
  createRoute({ getParentRoute: () => appRoute, path, component });

const placeholder = (path: string, title: string) => page(path, () => <Placeholder title={title} />);

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    page('/', DashboardPage),
    page('/matrix', MatrixPage),
    createRoute({ getParentRoute: () => appRoute, path: '/techniques/$id', component: TechniquePage }),
    page('/tests', TestsListPage),
    page('/tests/pending', PendingTasksPage),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/tests/new',
      validateSearch: (search: Record<string, unknown>): { technique?: string } =>
        typeof search.technique === 'string' ? { technique: search.technique } : {},
      component: CreateTestPage,
    }),
    createRoute({ getParentRoute: () => appRoute, path: '/tests/$id', component: TestDetailPage }),
    placeholder('/threat-actors', 'Threat Actors'),
    placeholder('/system/import-runs', 'Import runs'),
    placeholder('/system/users', 'Users'),
    placeholder('/system/audit-log', 'Audit log'),
  ]),
]);

export const router = createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
