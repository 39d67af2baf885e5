import {
  DataSource,
  errorResponses,
  IdParams,
  listEnvelope,
  PageQuery,
  ROLE_GROUPS,
  SourceSyncRun,
  SyncAllResponse,
  UpdateDataSource,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../infra/http';
import { actorOf } from '../audit-logs';
import type { DataSourceService } from './data-sources.service';

const admin = { auth: { roles: ROLE_GROUPS.admins } } as const;
const tags = ['data-sources'];

export function dataSourceRoutes(
  sources: DataSourceService,
  options: { uploadLimitBytes: number },
): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/data-sources',
      {
        config: admin,
        schema: {
          operationId: 'listDataSources',
          tags,
          summary: 'Catalog data sources with location, schedule and last sync',
          response: { 200: z.object({ items: z.array(DataSource) }) },
        },
      },
      async () => ({ items: await sources.list() }),
    );
    app.get(
      '/data-sources/:id',
      {
        config: admin,
        schema: {
          operationId: 'getDataSource',
          tags,
          summary: 'One data source',
          params: IdParams,
          response: { 200: DataSource },
        },
      },
      async (req) => sources.get(req.params.id),
    );
    app.patch(
      '/data-sources/:id',
      {
        config: admin,
        schema: {
          operationId: 'updateDataSource',
          tags,
          summary: 'Change location (URL or server folder), enabled flag or cron schedule',
          params: IdParams,
          body: UpdateDataSource,
          response: { 200: DataSource },
        },
      },
      async (req) => sources.update(actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/data-sources/sync-all',
      {
        config: admin,
        schema: {
          operationId: 'syncAllDataSources',
          tags,
          summary: 'Queue a sync of every enabled source (run one after another)',
          response: { 202: SyncAllResponse },
        },
      },
      async (req, reply) => reply.code(202).send({ runs: await sources.queueSyncAll(actorOf(req)) }),
    );
    app.post(
      '/data-sources/:id/sync',
      {
        config: admin,
        schema: {
          operationId: 'syncDataSource',
          tags,
          summary: 'Queue a sync of one source',
          params: IdParams,
          response: { 202: SourceSyncRun, ...errorResponses(409) },
        },
      },
      async (req, reply) => reply.code(202).send(await sources.queueSync(actorOf(req), req.params.id)),
    );
    app.get(
      '/data-sources/:id/runs',
      {
        config: admin,
        schema: {
          operationId: 'listDataSourceRuns',
          tags,
          summary: 'Sync runs of a source, newest first: counts, errors per file, unresolved ATT&CK ids',
          params: IdParams,
          querystring: PageQuery,
          response: { 200: listEnvelope(SourceSyncRun) },
        },
      },
      async (req) => sources.runs(req.params.id, req.query),
    );

    // Archives arrive as the raw body, not JSON: their own scope, parser and size limit.
    await app.register(async (scope) => {
      const upload = scope.withTypeProvider<ZodTypeProvider>();
      upload.removeAllContentTypeParsers();
      upload.addContentTypeParser(
        [
          'application/zip',
          'application/gzip',
          'application/x-gzip',
          'application/x-tar',
          'application/octet-stream',
        ],
        { parseAs: 'buffer', bodyLimit: options.uploadLimitBytes },
        (_req, body, done) => done(null, body),
      );
      upload.post(
        '/data-sources/:id/upload',
        {
          config: admin,
          bodyLimit: options.uploadLimitBytes,
          schema: {
            operationId: 'uploadDataSourceArchive',
            tags,
            summary:
              'Sync a source from an uploaded .zip or .tar.gz (raw request body); it becomes the location',
            params: IdParams,
            querystring: z.object({ filename: z.string().max(200).default('upload') }),
            requestFile: {
              contentTypes: [
                'application/zip',
                'application/gzip',
                'application/x-tar',
                'application/octet-stream',
              ],
              description: 'The archive file itself (.zip or .tar.gz)',
            },
            response: { 202: SourceSyncRun },
          },
        },
        async (req, reply) => {
          if (!Buffer.isBuffer(req.body) || req.body.length === 0)
            throw errors.badRequest(
              'Send the archive as the request body (application/zip or application/gzip)',
              {
                field: 'body',
              },
            );
          return reply
            .code(202)
            .send(await sources.upload(actorOf(req), req.params.id, req.body, req.query.filename));
        },
      );
    });
  };
}
