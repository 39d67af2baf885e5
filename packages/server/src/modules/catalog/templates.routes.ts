import {
  BulkTemplateRequest,
  BulkTemplateResponse,
  CreateTestFromTemplate,
  CreateTestTemplate,
  errorResponses,
  IdParams,
  ListTestTemplatesQuery,
  listEnvelope,
  ROLE_GROUPS,
  TemplateStats,
  TestCase,
  TestTemplate,
  TestTemplateSummary,
  UpdateTestTemplate,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../audit-logs';
import { callerOf } from '../test-cases';
import type { CatalogService } from './catalog.service';

const anyone = { auth: 'authenticated' } as const;
const red = { auth: { roles: ROLE_GROUPS.red } } as const;
const tags = ['test-templates'];

export function templateRoutes(catalog: CatalogService): FastifyPluginAsyncZod {
  const { templates } = catalog;
  return async (app) => {
    app.get(
      '/test-templates',
      {
        config: anyone,
        schema: {
          operationId: 'listTestTemplates',
          tags,
          summary:
            'Test templates (search; filter by source, technique, tactic, platform, active; sort; paginate)',
          querystring: ListTestTemplatesQuery,
          response: { 200: listEnvelope(TestTemplateSummary) },
        },
      },
      async (req) => templates.list(req.query),
    );
    app.get(
      '/test-templates/stats',
      {
        config: anyone,
        schema: {
          operationId: 'getTestTemplateStats',
          tags,
          summary: 'Templates by source, platform and tactic, and technique coverage by active templates',
          response: { 200: TemplateStats },
        },
      },
      async () => templates.stats(),
    );
    app.get(
      '/test-templates/:id',
      {
        config: anyone,
        schema: {
          operationId: 'getTestTemplate',
          tags,
          summary: 'One template',
          params: IdParams,
          response: { 200: TestTemplate },
        },
      },
      async (req) => templates.get(req.params.id),
    );
    app.post(
      '/test-templates',
      {
        config: red,
        schema: {
          operationId: 'createTestTemplate',
          tags,
          summary: 'Create a custom template',
          body: CreateTestTemplate,
          response: { 201: TestTemplate },
        },
      },
      async (req, reply) => reply.code(201).send(await templates.create(actorOf(req), req.body)),
    );
    app.patch(
      '/test-templates/:id',
      {
        config: red,
        schema: {
          operationId: 'updateTestTemplate',
          tags,
          summary: 'Edit a custom template (synced ones are upstream text: 409)',
          params: IdParams,
          body: UpdateTestTemplate,
          response: { 200: TestTemplate, ...errorResponses(409) },
        },
      },
      async (req) => templates.update(actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/test-templates/:id/toggle',
      {
        config: red,
        schema: {
          operationId: 'toggleTestTemplate',
          tags,
          summary: 'Activate or deactivate a template',
          params: IdParams,
          response: { 200: TestTemplate },
        },
      },
      async (req) => templates.toggle(actorOf(req), req.params.id),
    );
    app.post(
      '/test-templates/bulk',
      {
        config: red,
        schema: {
          operationId: 'bulkUpdateTestTemplates',
          tags,
          summary: 'Activate or deactivate many templates',
          body: BulkTemplateRequest,
          response: { 200: BulkTemplateResponse },
        },
      },
      async (req) => templates.bulk(actorOf(req), req.body),
    );
    app.post(
      '/test-templates/:id/tests',
      {
        config: red,
        schema: {
          operationId: 'createTestFromTemplate',
          tags: ['tests'],
          summary:
            'Start a test from a template (its first technique, name, description and platform unless given)',
          params: IdParams,
          body: CreateTestFromTemplate,
          response: { 201: TestCase, ...errorResponses(409) },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await catalog.fromTemplate(callerOf(req), req.params.id, req.body)),
    );
  };
}
