import {
  ClaimedLayerDetail,
  ClaimedLayerList,
  ClaimedLayerListQuery,
  ClaimedLayerParams,
  LayerImportQuery,
  LayerImportResult,
  NoContent,
  ROLE_GROUPS,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { errors } from '../../infra/http';
import { actorOf } from '../audit-logs';
import type { ClaimsService } from './claims.service';
import { LIMITS } from './parse';

const leads = { auth: { roles: ROLE_GROUPS.leads } } as const;
const anyone = { auth: 'authenticated' } as const;
const tags = ['layers'];

/** Navigator layers as claimed coverage (analysis spec §3.4): import (staged, dry run), list, read, delete, re-resolve. */
export function claimsRoutes(claims: ClaimsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/layers',
      {
        config: anyone,
        schema: {
          operationId: 'listClaimedLayers',
          tags,
          summary: 'Imported Navigator layers (claimed coverage), newest first, with their resolution counts',
          querystring: ClaimedLayerListQuery,
          response: { 200: ClaimedLayerList },
        },
      },
      async (req) => claims.list(req.query),
    );
    app.get(
      '/layers/:id',
      {
        config: anyone,
        schema: {
          operationId: 'getClaimedLayer',
          tags,
          summary: 'One imported layer with every entry, how it resolved, and the warnings',
          params: ClaimedLayerParams,
          response: { 200: ClaimedLayerDetail },
        },
      },
      async (req) => claims.detail(req.params.id),
    );
    app.delete(
      '/layers/:id',
      {
        config: leads,
        schema: {
          operationId: 'deleteClaimedLayer',
          tags,
          summary: 'Delete an imported layer and its claims (audited)',
          params: ClaimedLayerParams,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        await claims.remove(actorOf(req), req.params.id);
        return reply.code(204).send(null);
      },
    );
    app.post(
      '/layers/:id/reresolve',
      {
        config: leads,
        schema: {
          operationId: 'reresolveClaimedLayer',
          tags,
          summary: 'Resolve a layer’s entries again against the ATT&CK release loaded now (audited)',
          params: ClaimedLayerParams,
          response: { 200: ClaimedLayerDetail },
        },
      },
      async (req) => claims.reresolve(actorOf(req), req.params.id),
    );

    // The layer file arrives as the request body (as ATT&CK bundles do): its own scope, parser and limit.
    await app.register(async (scope) => {
      const upload = scope.withTypeProvider<ZodTypeProvider>();
      upload.removeAllContentTypeParsers();
      upload.addContentTypeParser(
        ['application/json', 'application/octet-stream', 'text/plain'],
        { parseAs: 'buffer', bodyLimit: LIMITS.bytes },
        (_req, body, done) => done(null, body),
      );
      upload.post(
        '/layers/import',
        {
          config: leads,
          bodyLimit: LIMITS.bytes,
          schema: {
            operationId: 'importClaimedLayers',
            tags,
            summary:
              'Import a Navigator layer file (3.0, 4.0–4.5; one layer or an array) as claimed coverage; dryRun=true previews without writing',
            querystring: LayerImportQuery,
            requestFile: {
              contentTypes: ['application/json', 'application/octet-stream'],
              description: 'The layer file itself (at most 10 MB, 20 layers, 10,000 entries per layer)',
            },
            response: { 200: LayerImportResult, 201: LayerImportResult },
          },
        },
        async (req, reply) => {
          if (!Buffer.isBuffer(req.body) || req.body.length === 0)
            throw errors.badRequest('Send the layer file as the request body (application/json)', {
              field: 'body',
            });
          const result = await claims.import(actorOf(req), req.body, req.query);
          return reply.code(result.dryRun ? 200 : 201).send(result);
        },
      );
    });
  };
}
