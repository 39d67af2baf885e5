import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { CatalogService } from './catalog.service';
import { dataSourceRoutes } from './data-sources.routes';
import { defenseRoutes } from './defenses.routes';
import { ruleRoutes } from './rules.routes';
import { templateRoutes } from './templates.routes';

/** Every catalog route: data sources, test templates (+ tests from a template), detection rules, D3FEND, compliance. */
export function catalogRoutes(
  catalog: CatalogService,
  options: { uploadLimitBytes: number },
): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(dataSourceRoutes(catalog.sources, options));
    await app.register(templateRoutes(catalog));
    await app.register(ruleRoutes(catalog.rules));
    await app.register(defenseRoutes(catalog.defenses));
  };
}
