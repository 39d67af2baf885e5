import {
  CreateRemediationStep,
  errorResponses,
  IdParams,
  Remediation,
  ROLE_GROUPS,
  UpdateRemediationStep,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RemediationService } from './remediation.service';
import { callerOf } from './test-cases.routes';

export function remediationRoutes(remediation: RemediationService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/tests/:id/remediation',
      {
        config: { auth: 'authenticated' },
        schema: {
          operationId: 'listRemediationSteps',
          tags: ['tests'],
          summary: 'Remediation steps of a test, its re-test and how many re-tests remain',
          params: IdParams,
          response: { 200: Remediation },
        },
      },
      async (req) => remediation.view(req.params.id),
    );
    app.post(
      '/tests/:id/remediation',
      {
        config: { auth: { roles: ROLE_GROUPS.leads } },
        schema: {
          operationId: 'createRemediationStep',
          tags: ['tests'],
          summary: 'Add a remediation step to a validated test that found a gap',
          params: IdParams,
          body: CreateRemediationStep,
          response: { 201: Remediation, ...errorResponses(409) },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await remediation.addStep(callerOf(req), req.params.id, req.body)),
    );
    app.patch(
      '/tests/:id/remediation/:stepId',
      {
        config: { auth: { roles: ROLE_GROUPS.workers } },
        schema: {
          operationId: 'updateRemediationStep',
          tags: ['tests'],
          summary: 'Update a step (assignee, due date, status); closing the last one creates the re-test',
          params: z.object({ id: z.uuid(), stepId: z.uuid() }),
          body: UpdateRemediationStep,
          response: { 200: Remediation },
        },
      },
      async (req) => remediation.updateStep(callerOf(req), req.params.id, req.params.stepId, req.body),
    );
  };
}
