import {
  Heatmap,
  HeatmapExportQuery,
  HeatmapLayerCatalog,
  HeatmapQuery,
  NavigatorExport,
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
