import {
  CompareExportQuery,
  Heatmap,
  HeatmapExportQuery,
  HeatmapLayerCatalog,
  HeatmapQuery,
  NavigatorExport,
  ROLE_GROUPS,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../infra/http';
import type { HeatmapService } from './heatmap.service';

const anyone = { auth: 'authenticated' } as const;
const tags = ['heatmap'];

export function heatmapRoutes(heatmap: HeatmapService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/heatmap',
      {
        config: anyone,
        schema: {
          operationId: 'getHeatmap',
          tags,
          summary:
            'The whole matrix on one layer (coverage, score, actor:<id>, compliance:<framework>[:<control>], snapshot-delta:<a>:<b>): each technique’s value, label, colour and why',
          querystring: HeatmapQuery,
          response: { 200: Heatmap },
        },
      },
      async (req) => {
        if (!req.auth) throw errors.unauthorized();
        return heatmap.heatmap(req.query, req.auth.user.role);
      },
    );
    app.get(
      '/heatmap/export/navigator',
      {
        config: anyone,
        schema: {
          operationId: 'exportNavigatorLayer',
          tags,
          summary:
            'The heatmap as ATT&CK Navigator layer 4.5 files: one layer for one name, an array for several (layers=score,coverage); a download',
          querystring: HeatmapExportQuery,
          response: { 200: NavigatorExport },
        },
      },
      async (req, reply) => {
        if (!req.auth) throw errors.unauthorized();
        const { body, filename } = await heatmap.navigator(req.query, req.auth.user.role);
        reply.header('content-disposition', `attachment; filename="${filename}"`);
        return body;
      },
    );
    app.get(
      '/snapshots/compare/export/navigator',
      {
        config: { auth: { roles: ROLE_GROUPS.leads } },
        schema: {
          operationId: 'exportComparisonLayers',
          tags: ['snapshots'],
          summary:
            'A comparison as three Navigator 4.5 layers: the scores at each end and what changed between them (a download)',
          querystring: CompareExportQuery,
          response: { 200: NavigatorExport },
        },
      },
      async (req, reply) => {
        if (!req.auth) throw errors.unauthorized();
        const { from, to, ...filters } = req.query;
        if (from === to)
          throw errors.validation([
            { path: 'query.to', message: 'compare a snapshot with another one or with "now"' },
          ]);
        const end = (ref: string) => (ref === 'now' ? 'score' : `snapshot:${ref}`);
        const { body } = await heatmap.navigator(
          { ...filters, layers: [end(from), end(to), `snapshot-delta:${from}:${to}`] },
          req.auth.user.role,
        );
        const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
        reply.header('content-disposition', `attachment; filename="aegis-comparison-${day}.json"`);
        return body;
      },
    );
    app.get(
      '/heatmap/layers',
      {
        config: anyone,
        schema: {
          operationId: 'listHeatmapLayers',
          tags,
          summary: 'The layers the heatmap offers and what each takes',
          response: { 200: HeatmapLayerCatalog },
        },
      },
      async () => heatmap.catalog(),
    );
  };
}
