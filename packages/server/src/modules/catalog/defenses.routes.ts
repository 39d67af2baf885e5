import {
  ComplianceControl,
  ComplianceControlSummary,
  ComplianceFramework,
  ControlFamiliesQuery,
  D3fendAmbiguous,
  D3fendTechnique,
  FacetList,
  IdParams,
  ListControlsQuery,
  ListD3fendQuery,
  listEnvelope,
  ROLE_GROUPS,
  UpdateD3fendTechnique,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit-logs';
import type { DefenseService } from './defenses.service';

const anyone = { auth: 'authenticated' } as const;
const blueLeads = { auth: { roles: ROLE_GROUPS.blueLeads } } as const;
/** Our id, the IRI (`d3f:ReissueCredential`), or the D3FEND id (`D3-AL`) when only one technique has it. */
const D3fendParams = z.object({
  id: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .describe(
      'Our id, the IRI (d3f:ReissueCredential) or the D3FEND id (D3-AL); a shared D3FEND id is a 409',
    ),
});

export function defenseRoutes(defenses: DefenseService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/d3fend',
      {
        config: anyone,
        schema: {
          operationId: 'listD3fendTechniques',
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
          operationId: 'listD3fendTactics',
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
          operationId: 'getD3fendTechnique',
          tags: ['d3fend'],
          summary: 'One countermeasure (a D3FEND id that names several: 409 listing them)',
          params: D3fendParams,
          response: { 200: D3fendTechnique, 409: D3fendAmbiguous },
        },
      },
      async (req) => defenses.getD3fend(req.params.id),
    );
    app.patch(
      '/d3fend/:id',
      {
        config: blueLeads,
        schema: {
          operationId: 'updateD3fendTechnique',
          tags: ['d3fend'],
          summary: 'Set whether the organisation implements a countermeasure',
          params: D3fendParams,
          body: UpdateD3fendTechnique,
          response: { 200: D3fendTechnique, 409: D3fendAmbiguous },
        },
      },
      async (req) => defenses.setImplementation(actorOf(req), req.params.id, req.body),
    );
    app.get(
      '/compliance/frameworks',
      {
        config: anyone,
        schema: {
          operationId: 'listComplianceFrameworks',
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
          operationId: 'listComplianceFamilies',
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
          operationId: 'listComplianceControls',
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
          operationId: 'getComplianceControl',
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
