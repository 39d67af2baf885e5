import {
  IdParams,
  ImportRun,
  ListImportRunsQuery,
  listEnvelope,
  ROLE_GROUPS,
  SyncMitreRequest,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errors } from '../../infra/http';
import { actorOf } from '../audit-logs';
import type { ImportService } from './import.service';

const admin = { auth: { roles: ROLE_GROUPS.admins } } as const;

export function importRoutes(
  imports: ImportService,
  options: { uploadLimitBytes: number },
): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/system/sync-mitre',
      {
        config: admin,
        schema: {
          operationId: 'syncAttack',
          tags: ['system'],
          summary: 'Start an ATT&CK sync from the configured source (or the URL / TAXII collection given)',
          body: SyncMitreRequest,
          response: { 202: ImportRun },
        },
      },
      async (req, reply) => reply.code(202).send(await imports.queueSync(actorOf(req), req.body)),
    );

    app.get(
      '/system/import-runs',
      {
        config: admin,
        schema: {
          operationId: 'listImportRuns',
          tags: ['system'],
          summary: 'ATT&CK import runs, newest first, with counts and diffs',
          querystring: ListImportRunsQuery,
          response: { 200: listEnvelope(ImportRun) },
        },
      },
      async (req) => imports.list(req.query),
    );

    app.get(
      '/system/import-runs/:id',
      {
        config: admin,
        schema: {
          operationId: 'getImportRun',
          tags: ['system'],
          summary: 'One import run, with live progress',
          params: IdParams,
          response: { 200: ImportRun },
        },
      },
      async (req) => imports.get(req.params.id),
    );

    // Uploads arrive as the raw file (JSON or gzip), not as parsed JSON: their own scope, parser and size limit.
    await app.register(async (scope) => {
      const upload = scope.withTypeProvider<ZodTypeProvider>();
      upload.removeAllContentTypeParsers();
      upload.addContentTypeParser(
        ['application/json', 'application/gzip', 'application/x-gzip', 'application/octet-stream'],
        { parseAs: 'buffer', bodyLimit: options.uploadLimitBytes },
        (_req, body, done) => done(null, body),
      );
      upload.post(
        '/system/import-runs',
        {
          config: admin,
          bodyLimit: options.uploadLimitBytes,
          schema: {
            operationId: 'uploadAttackBundle',
            tags: ['system'],
            summary: 'Import an uploaded STIX bundle (raw JSON or gzipped JSON as the request body)',
            querystring: z.object({ filename: z.string().max(200).default('upload.json') }),
            requestFile: {
              contentTypes: ['application/json', 'application/gzip', 'application/octet-stream'],
              description: 'The STIX bundle file itself, plain or gzipped',
            },
            response: { 202: ImportRun },
          },
        },
        async (req, reply) => {
          if (!Buffer.isBuffer(req.body) || req.body.length === 0)
            throw errors.badRequest(
              'Send the bundle file as the request body (application/json or application/gzip)',
              {
                field: 'body',
              },
            );
          return reply.code(202).send(await imports.queueUpload(actorOf(req), req.body, req.query.filename));
        },
      );
    });
  };
}
