import { Heatmap, HeatmapLayerCatalog, HeatmapQuery } from '@aegis/contracts';
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
