import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { installErrorHandling, requestId, serveWebApp } from './infra/http';
import { webDistDir } from './infra/paths';
import { createSystemService, systemRoutes } from './modules/system';
import type { Platform } from './platform';

export const API_PREFIX = '/api/v1';

export interface AppOptions {
  /** Where the built web app lives; defaults to packages/web/dist. */
  webDir?: string;
}

/**
 * Builds the HTTP app on a started platform: one error handler, zod validation both ways,
 * OpenAPI from the same schemas (outside production), module routes under /api/v1, the web app.
 */
export async function buildApp(platform: Platform, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = platform;
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; the cast keeps the app typed with Fastify's default logger type.
    loggerInstance: platform.logger as FastifyBaseLogger,
    genReqId: requestId,
    requestIdHeader: false,
    trustProxy: config.http.trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  if (!config.isProduction) {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Aegis API',
          version: platform.version,
          description:
            'Proven MITRE ATT&CK coverage. Errors use one envelope: {error: {code, message, details?}}.',
        },
      },
      transform: jsonSchemaTransform,
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  }

  const system = createSystemService(platform);
  await app.register(systemRoutes(system), { prefix: API_PREFIX });

  await serveWebApp(app, options.webDir ?? webDistDir);
  return app;
}
