import {
  ComplianceControl,
  ComplianceControlSummary,
  ComplianceFramework,
  ControlFamiliesQuery,
  D3fendTechnique,
  FacetList,
  IdParams,
  ListControlsQuery,
  ListD3fendQuery,
  listEnvelope,
  UpdateD3fendTechnique,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit-logs';
import type { DefenseService } from './defenses.service';

const anyone = { auth: 'authenticated' } as const;
const blueLeads = { auth: { roles: ['admin', 'blue_lead'] } } as const;
/** Our id or the D3FEND id (`D3-AL`). */
const D3fendParams = z.object({ id: z.string().trim().min(1).max(64) });

export function defenseRoutes(defenses: DefenseService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/d3fend',
      {
        config: anyone,
        schema: {
          tags: ['d3fend'],
          summary: 'D3FEND countermeasures with their ATT&CK techniques and implementation status',
          querystring: ListD3fendQuery,
          response: { 200: listEnvelope(D3fendTechnique) },
        },
      },
      async (req) => defenses.listD3fend(req.query),
    );
    app.get(
      '/d3fend/tactics',
      {
        config: anyone,
        schema: {
          tags: ['d3fend'],
          summary: 'D3FEND tactics with how many countermeasures each has (for the tactic filter)',
          response: { 200: FacetList },
        },
      },
      async () => ({ items: await defenses.tactics() }),
    );
    app.get(
      '/d3fend/:id',
      {
        config: anyone,
        schema: {
          tags: ['d3fend'],
          summary: 'One countermeasure',
          params: D3fendParams,
          response: { 200: D3fendTechnique },
        },
      },
      async (req) => defenses.getD3fend(req.params.id),
    );
    app.patch(
      '/d3fend/:id',
      {
        config: blueLeads,
        schema: {
          tags: ['d3fend'],
          summary: 'Set whether the organisation implements a countermeasure',
          params: D3fendParams,
          body: UpdateD3fendTechnique,
          response: { 200: D3fendTechnique },
        },
      },
      async (req) => defenses.setImplementation(actorOf(req), req.params.id, req.body),
    );
    app.get(
      '/compliance/frameworks',
      {
        config: anyone,
        schema: {
          tags: ['compliance'],
          summary: 'Compliance frameworks with their control and technique counts',
          response: { 200: z.object({ items: z.array(ComplianceFramework) }) },
        },
      },
      async () => ({ items: await defenses.frameworks() }),
    );
    app.get(
      '/compliance/families',
      {
        config: anyone,
        schema: {
          tags: ['compliance'],
          summary: 'Control families (of one framework or all) with their control counts',
          querystring: ControlFamiliesQuery,
          response: { 200: FacetList },
        },
      },
      async (req) => ({ items: await defenses.families(req.query.framework) }),
    );
    app.get(
      '/compliance/controls',
      {
        config: anyone,
        schema: {
          tags: ['compliance'],
          summary:
            'Controls (filter by framework, family, technique, text) with the techniques they mitigate',
          querystring: ListControlsQuery,
          response: { 200: listEnvelope(ComplianceControlSummary) },
        },
      },
      async (req) => defenses.listControls(req.query),
    );
    app.get(
      '/compliance/controls/:id',
      {
        config: anyone,
        schema: {
          tags: ['compliance'],
          summary: 'One control',
          params: IdParams,
          response: { 200: ComplianceControl },
        },
      },
      async (req) => defenses.getControl(req.params.id),
    );
  };
}
