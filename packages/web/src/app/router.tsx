import { createRootRoute, createRoute, createRouter, Link, Outlet } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { MatrixPage } from '../features/attack/pages/MatrixPage';
import { TechniquePage } from '../features/attack/pages/TechniquePage';
import { LoginPage } from '../features/auth/pages/LoginPage';
import { RulePage } from '../features/catalog/pages/RulePage';
import { RulesPage } from '../features/catalog/pages/RulesPage';
import { TemplatePage } from '../features/catalog/pages/TemplatePage';
import { TemplatesPage } from '../features/catalog/pages/TemplatesPage';
import { DashboardPage } from '../features/dashboard/pages/DashboardPage';
import { ApiTokensPage } from '../features/system/pages/ApiTokensPage';
import { AuditLogPage } from '../features/system/pages/AuditLogPage';
import { DataSourcesPage } from '../features/system/pages/DataSourcesPage';
import { ImportRunPage } from '../features/system/pages/ImportRunPage';
import { ImportRunsPage } from '../features/system/pages/ImportRunsPage';
import { UsersPage } from '../features/system/pages/UsersPage';
import { CreateTestPage } from '../features/test-cases/pages/CreateTestPage';
import { PendingTasksPage } from '../features/test-cases/pages/PendingTasksPage';
import { TestDetailPage } from '../features/test-cases/pages/TestDetailPage';
import { TestsListPage } from '../features/test-cases/pages/TestsListPage';
import { ThreatActorPage } from '../features/threat-actors/pages/ThreatActorPage';
import { ThreatActorsPage } from '../features/threat-actors/pages/ThreatActorsPage';
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
    page('/threat-actors', ThreatActorsPage),
    createRoute({ getParentRoute: () => appRoute, path: '/threat-actors/$id', component: ThreatActorPage }),
    page('/catalog', TemplatesPage),
    createRoute({ getParentRoute: () => appRoute, path: '/catalog/$id', component: TemplatePage }),
    page('/detection-rules', RulesPage),
    createRoute({ getParentRoute: () => appRoute, path: '/detection-rules/$id', component: RulePage }),
    page('/system/import-runs', ImportRunsPage),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/system/import-runs/$id',
      component: ImportRunPage,
    }),
    page('/system/users', UsersPage),
    page('/system/audit-log', AuditLogPage),
    page('/system/data-sources', DataSourcesPage),
    page('/settings/tokens', ApiTokensPage),
  ]),
]);

export const router = createRouter({ routeTree, defaultPreload: 'intent', scrollRestoration: true });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
