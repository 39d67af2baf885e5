import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import {
  compressResponses,
  installErrorHandling,
  installHostileInputGuard,
  installSecurity,
  requestId,
  serveWebApp,
} from './infra/http';
import { webDistDir } from './infra/paths';
import { importRoutes, knowledgeRoutes } from './modules/attack';
import { auditLogRoutes } from './modules/audit-logs';
import { authRoutes, installAuthGuard } from './modules/auth';
import { catalogRoutes } from './modules/catalog';
import { claimsRoutes } from './modules/claims';
import { coverageRoutes } from './modules/coverage';
import { evidenceRoutes } from './modules/evidence';
import { heatmapRoutes } from './modules/heatmap';
import { metricsRoutes } from './modules/metrics';
import { notificationRoutes } from './modules/notifications';
import { scoresRoutes } from './modules/scores';
import { snapshotsRoutes } from './modules/snapshots';
import { systemRoutes } from './modules/system';
import { remediationRoutes, testCaseRoutes } from './modules/test-cases';
import { userRoutes } from './modules/users';
import { installOperationConventions, registerOpenApi } from './openapi';
import type { Platform } from './platform';

export const API_PREFIX = '/api/v1';

export interface AppOptions {
  /** Where the built web app lives; defaults to packages/web/dist. */
  webDir?: string;
}

/**
 * Builds the HTTP app on a started platform: security headers, one error handler, zod validation
 * both ways, OpenAPI from the same schemas (outside production), the auth guard every /api/v1
 * route must declare, module routes, and the web app.
 */
export async function buildApp(platform: Platform, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = platform;
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app typed with Fastify's default logger type.
    loggerInstance: platform.logger as FastifyBaseLogger,
    genReqId: requestId,
    requestIdHeader: false,
    trustProxy: config.http.trustProxy,
    bodyLimit: config.http.bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  installHostileInputGuard(app);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  await installSecurity(app, { corsOrigins: config.http.corsOrigins, isProduction: config.isProduction });

  if (!config.isProduction) await registerOpenApi(app, { version: platform.version, prefix: API_PREFIX });
  installOperationConventions(app, API_PREFIX);

  const { services } = platform;
  const secureCookies = config.isProduction;
  installAuthGuard(app, services.auth, { secureCookies, allowedOrigins: config.http.corsOrigins });
  await app.register(
    async (api) => {
      await compressResponses(api);
      await api.register(systemRoutes(services.system));
      await api.register(authRoutes(services.auth, { secureCookies }));
      await api.register(userRoutes(services.users));
      await api.register(auditLogRoutes(services.audit));
      await api.register(knowledgeRoutes(services.knowledge));
      await api.register(coverageRoutes(services.coverage));
      await api.register(scoresRoutes(services.scores));
      await api.register(metricsRoutes(services.metrics));
      await api.register(snapshotsRoutes(services.snapshots));
      await api.register(heatmapRoutes(services.heatmap));
      await api.register(claimsRoutes(services.claims));
      await api.register(
        importRoutes(services.imports, { uploadLimitBytes: config.attack.uploadLimitBytes }),
      );
      await api.register(testCaseRoutes(services.tests));
      await api.register(remediationRoutes(services.remediation));
      await api.register(evidenceRoutes(services.evidence));
      await api.register(notificationRoutes(services.notifications));
      await api.register(
        catalogRoutes(services.catalog, { uploadLimitBytes: config.attack.uploadLimitBytes }),
      );
    },
    { prefix: API_PREFIX },
  );

  await serveWebApp(app, options.webDir ?? webDistDir);
  return app;
}
