import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Link,
  lazyRouteComponent,
  Outlet,
  type RouteComponent,
  redirect,
} from '@tanstack/react-router';
import { Spinner } from '../components/Feedback';
import { heatmapLayersQuery, heatmapQuery } from '../features/attack/api';
import { heatmapParams, parseMatrixSearch } from '../features/attack/search';
import { LoginPage } from '../features/auth/pages/LoginPage';
import { loginSearch } from '../features/auth/redirect';
import { parseNewTemplateSearch, parseRulesSearch, parseTemplatesSearch } from '../features/catalog/search';
import { parseComplianceSearch } from '../features/compliance/search';
import { DashboardPage } from '../features/dashboard/pages/DashboardPage';
import { parseDefensesSearch } from '../features/defenses/search';
import { parseLayerSearch, parseLayersSearch } from '../features/layers/search';
import { parseExecutiveSearch, parseMetricsSearch } from '../features/metrics/search';
import { parseScoresSearch } from '../features/scores/search';
import { parseComparisonSearch } from '../features/snapshots/search';
import { meQueryOptions } from './auth';
import { AppShell } from './shell/AppShell';
import { RouteError } from './shell/RouteError';

/** Pages other than the login and the dashboard load on first use (or on hover: `defaultPreload`). */
const MatrixPage = lazyRouteComponent(() => import('../features/attack/pages/MatrixPage'), 'MatrixPage');
const TechniquePage = lazyRouteComponent(
  () => import('../features/attack/pages/TechniquePage'),
  'TechniquePage',
);
const RulePage = lazyRouteComponent(() => import('../features/catalog/pages/RulePage'), 'RulePage');
const RulesPage = lazyRouteComponent(() => import('../features/catalog/pages/RulesPage'), 'RulesPage');
const TemplatePage = lazyRouteComponent(
  () => import('../features/catalog/pages/TemplatePage'),
  'TemplatePage',
);
const TemplatesPage = lazyRouteComponent(
  () => import('../features/catalog/pages/TemplatesPage'),
  'TemplatesPage',
);
const NewTemplatePage = lazyRouteComponent(
  () => import('../features/catalog/pages/TemplateEditPage'),
  'NewTemplatePage',
);
const EditTemplatePage = lazyRouteComponent(
  () => import('../features/catalog/pages/TemplateEditPage'),
  'EditTemplatePage',
);
const DefensesPage = lazyRouteComponent(
  () => import('../features/defenses/pages/DefensesPage'),
  'DefensesPage',
);
const DefensePage = lazyRouteComponent(() => import('../features/defenses/pages/DefensePage'), 'DefensePage');
const CompliancePage = lazyRouteComponent(
  () => import('../features/compliance/pages/CompliancePage'),
  'CompliancePage',
);
const ControlPage = lazyRouteComponent(
  () => import('../features/compliance/pages/ControlPage'),
  'ControlPage',
);
const LayersPage = lazyRouteComponent(() => import('../features/layers/pages/LayersPage'), 'LayersPage');
const LayerPage = lazyRouteComponent(() => import('../features/layers/pages/LayerPage'), 'LayerPage');
const ExecutivePage = lazyRouteComponent(
  () => import('../features/metrics/pages/ExecutivePage'),
  'ExecutivePage',
);
const MetricsPage = lazyRouteComponent(() => import('../features/metrics/pages/MetricsPage'), 'MetricsPage');
const ScoresPage = lazyRouteComponent(() => import('../features/scores/pages/ScoresPage'), 'ScoresPage');
const ScoringConfigPage = lazyRouteComponent(
  () => import('../features/scores/pages/ScoringConfigPage'),
  'ScoringConfigPage',
);
const ComparisonPage = lazyRouteComponent(
  () => import('../features/snapshots/pages/ComparisonPage'),
  'ComparisonPage',
);
const ApiTokensPage = lazyRouteComponent(
  () => import('../features/system/pages/ApiTokensPage'),
  'ApiTokensPage',
);
const AuditLogPage = lazyRouteComponent(
  () => import('../features/system/pages/AuditLogPage'),
  'AuditLogPage',
);
const DataSourcesPage = lazyRouteComponent(
  () => import('../features/system/pages/DataSourcesPage'),
  'DataSourcesPage',
);
const ImportRunPage = lazyRouteComponent(
  () => import('../features/system/pages/ImportRunPage'),
  'ImportRunPage',
);
const ImportRunsPage = lazyRouteComponent(
  () => import('../features/system/pages/ImportRunsPage'),
  'ImportRunsPage',
);
const UsersPage = lazyRouteComponent(() => import('../features/system/pages/UsersPage'), 'UsersPage');
const StatusPage = lazyRouteComponent(() => import('../features/system/pages/StatusPage'), 'StatusPage');
const ChangePasswordPage = lazyRouteComponent(
  () => import('../features/settings/pages/ChangePasswordPage'),
  'ChangePasswordPage',
);
const CreateTestPage = lazyRouteComponent(
  () => import('../features/test-cases/pages/CreateTestPage'),
  'CreateTestPage',
);
const NotificationsPage = lazyRouteComponent(
  () => import('../features/notifications/pages/NotificationsPage'),
  'NotificationsPage',
);
const PendingTasksPage = lazyRouteComponent(
  () => import('../features/test-cases/pages/PendingTasksPage'),
  'PendingTasksPage',
);
const TestDetailPage = lazyRouteComponent(
  () => import('../features/test-cases/pages/TestDetailPage'),
  'TestDetailPage',
);
const TestsListPage = lazyRouteComponent(
  () => import('../features/test-cases/pages/TestsListPage'),
  'TestsListPage',
);
const ThreatActorPage = lazyRouteComponent(
  () => import('../features/threat-actors/pages/ThreatActorPage'),
  'ThreatActorPage',
);
const ThreatActorsPage = lazyRouteComponent(
  () => import('../features/threat-actors/pages/ThreatActorsPage'),
  'ThreatActorsPage',
);
const SoftwareListPage = lazyRouteComponent(
  () => import('../features/software/pages/SoftwareListPage'),
  'SoftwareListPage',
);
const SoftwarePage = lazyRouteComponent(
  () => import('../features/software/pages/SoftwarePage'),
  'SoftwarePage',
);
const IntrusionsPage = lazyRouteComponent(
  () => import('../features/intrusions/pages/IntrusionsPage'),
  'IntrusionsPage',
);
const IntrusionPage = lazyRouteComponent(
  () => import('../features/intrusions/pages/IntrusionPage'),
  'IntrusionPage',
);

/** What every route's `beforeLoad` can use; `App` passes the one query client in. */
export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
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

/**
 * Every signed-in page lives under this pathless layout. The guard runs before any of them loads,
 * for the location being navigated *to*: signed out, it answers with a redirect to the sign-in page
 * carrying that location. (A redirect rendered by the shell instead read the location of a
 * navigation still pending — its own `/login?redirect=…` — and redirected again, forever.)
 */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQueryOptions);
    if (!me) throw redirect({ to: '/login', search: loginSearch(location.href), replace: true });
  },
  pendingComponent: () => (
    <div className="grid h-screen place-items-center">
      <Spinner label="Starting Aegis…" />
    </div>
  ),
  errorComponent: RouteError,
  component: AppShell,
});

const page = (path: string, component: RouteComponent) =>
  createRoute({ getParentRoute: () => appRoute, path, component });

const routeTree = rootRoute.addChildren([
  loginRoute,
  appRoute.addChildren([
    page('/', DashboardPage),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/matrix',
      // The matrix's data is asked for while its code loads (or on hover of a link to it), not after
      // the page has rendered; the page shows its own loading state meanwhile (nothing awaited here).
      validateSearch: parseMatrixSearch,
      loaderDeps: ({ search }) => heatmapParams(search),
      loader: ({ context, deps }) => {
        void context.queryClient.prefetchQuery(heatmapQuery(deps));
        void context.queryClient.prefetchQuery(heatmapLayersQuery);
      },
      component: MatrixPage,
    }),
    createRoute({ getParentRoute: () => appRoute, path: '/techniques/$id', component: TechniquePage }),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/layers',
      validateSearch: parseLayersSearch,
      component: LayersPage,
    }),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/layers/$id',
      validateSearch: parseLayerSearch,
      component: LayerPage,
    }),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/scores',
      validateSearch: parseScoresSearch,
      component: ScoresPage,
    }),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/metrics',
      validateSearch: parseMetricsSearch,
      component: MetricsPage,
    }),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/executive',
      validateSearch: parseExecutiveSearch,
      component: ExecutivePage,
    }),
    page('/tests', TestsListPage),
    page('/tests/pending', PendingTasksPage),
    page('/notifications', NotificationsPage),
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
    page('/software', SoftwareListPage),
    createRoute({ getParentRoute: () => appRoute, path: '/software/$id', component: SoftwarePage }),
    page('/intrusions', IntrusionsPage),
    createRoute({ getParentRoute: () => appRoute, path: '/intrusions/$id', component: IntrusionPage }),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/catalog',
      validateSearch: parseTemplatesSearch,
      component: TemplatesPage,
    }),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/catalog/new',
      validateSearch: parseNewTemplateSearch,
      component: NewTemplatePage,
    }),
    createRoute({ getParentRoute: () => appRoute, path: '/catalog/$id', component: TemplatePage }),
    createRoute({ getParentRoute: () => appRoute, path: '/catalog/$id/edit', component: EditTemplatePage }),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/detection-rules',
      validateSearch: parseRulesSearch,
      component: RulesPage,
    }),
    createRoute({ getParentRoute: () => appRoute, path: '/detection-rules/$id', component: RulePage }),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/defenses',
      validateSearch: parseDefensesSearch,
      component: DefensesPage,
    }),
    createRoute({ getParentRoute: () => appRoute, path: '/defenses/$id', component: DefensePage }),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/compliance',
      validateSearch: parseComplianceSearch,
      component: CompliancePage,
    }),
    createRoute({ getParentRoute: () => appRoute, path: '/compliance/controls/$id', component: ControlPage }),
    createRoute({
      getParentRoute: () => appRoute,
      path: '/snapshots',
      validateSearch: parseComparisonSearch,
      component: ComparisonPage,
    }),
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
    page('/system/status', StatusPage),
    page('/system/scoring', ScoringConfigPage),
    page('/settings/password', ChangePasswordPage),
  ]),
]);

export const router = createRouter({
  routeTree,
  // Set by `App` (`RouterProvider context`), which owns the query client.
  context: { queryClient: undefined as unknown as QueryClient },
  defaultPreload: 'intent',
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
