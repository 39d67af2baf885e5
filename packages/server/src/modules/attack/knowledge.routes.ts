import {
  AttackObjectParams,
  AttackPlatforms,
  AttackRelease,
  Campaign,
  CampaignSummary,
  errorResponses,
  ListAttackQuery,
  ListPlatformsQuery,
  ListSoftwareQuery,
  ListTacticsQuery,
  ListTechniquesQuery,
  ListThreatActorsQuery,
  listEnvelope,
  ReviewTechnique,
  ROLE_GROUPS,
  Software,
  SoftwareSummary,
  Tactic,
  Technique,
  TechniqueParams,
  TechniqueSummary,
  ThreatActor,
  ThreatActorSummary,
  UpdateTechnique,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit-logs';
import type { KnowledgeService } from './knowledge.service';

const anyone = { auth: 'authenticated' } as const;
const leads = { auth: { roles: ROLE_GROUPS.leads } } as const;

export function knowledgeRoutes(kb: KnowledgeService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/techniques',
      {
        config: anyone,
        schema: {
          operationId: 'listTechniques',
          tags: ['techniques'],
          summary: 'Techniques and sub-techniques (filter by tactic, platform, coverage, review flag, text)',
          querystring: ListTechniquesQuery,
          response: { 200: listEnvelope(TechniqueSummary) },
        },
      },
      async (req) => kb.listTechniques(req.query),
    );
    app.get(
      '/techniques/:id',
      {
        config: anyone,
        schema: {
          operationId: 'getTechnique',
          tags: ['techniques'],
          summary: 'One technique (our id or ATT&CK id) with sub-techniques, groups, mitigations, detections',
          params: TechniqueParams,
          response: { 200: Technique },
        },
      },
      async (req) => kb.getTechnique(req.params.id),
    );
    app.patch(
      '/techniques/:id',
      {
        config: leads,
        schema: {
          operationId: 'updateTechnique',
          tags: ['techniques'],
          summary: "Edit the organisation's fields of a technique (notes)",
          params: TechniqueParams,
          body: UpdateTechnique,
          response: { 200: Technique },
        },
      },
      async (req) => kb.updateTechnique(actorOf(req), req.params.id, req.body),
    );
    app.post(
      '/techniques/:id/review',
      {
        config: leads,
        schema: {
          operationId: 'markTechniqueReviewed',
          tags: ['techniques'],
          summary: 'Mark a technique flagged by a release upgrade as reviewed',
          params: TechniqueParams,
          body: ReviewTechnique,
          response: { 200: Technique, ...errorResponses(409) },
        },
      },
      async (req) => kb.markReviewed(actorOf(req), req.params.id, req.body.comment),
    );
    app.get(
      '/attack/release',
      {
        config: anyone,
        schema: {
          operationId: 'getAttackRelease',
          tags: ['techniques'],
          summary: 'The ATT&CK release loaded for a domain (its last successful import)',
          querystring: ListTacticsQuery,
          response: { 200: AttackRelease },
        },
      },
      async (req) => kb.release(req.query.domain),
    );
    app.get(
      '/tactics',
      {
        config: anyone,
        schema: {
          operationId: 'listTactics',
          tags: ['techniques'],
          summary: 'Tactics in matrix order with their technique counts',
          querystring: ListTacticsQuery,
          response: { 200: z.object({ items: z.array(Tactic) }) },
        },
      },
      async (req) => ({ items: await kb.listTactics(req.query.domain) }),
    );
    app.get(
      '/platforms',
      {
        config: anyone,
        schema: {
          operationId: 'listPlatforms',
          tags: ['techniques'],
          summary: "The release's platforms, each in or out of the organisation's scope (ORG_PLATFORM_SCOPE)",
          querystring: ListPlatformsQuery,
          response: { 200: AttackPlatforms },
        },
      },
      async (req) => ({ items: await kb.listPlatforms(req.query.domain) }),
    );
    app.get(
      '/threat-actors',
      {
        config: anyone,
        schema: {
          operationId: 'listThreatActors',
          tags: ['threat-actors'],
          summary: 'Threat actors (ATT&CK groups) with how many of their techniques are validated',
          querystring: ListThreatActorsQuery,
          response: { 200: listEnvelope(ThreatActorSummary) },
        },
      },
      async (req) => kb.listThreatActors(req.query),
    );
    app.get(
      '/threat-actors/:id',
      {
        config: anyone,
        schema: {
          operationId: 'getThreatActor',
          tags: ['threat-actors'],
          summary: 'One threat actor with its techniques and their coverage',
          params: AttackObjectParams,
          response: { 200: ThreatActor },
        },
      },
      async (req) => kb.getThreatActor(req.params.id),
    );
    app.get(
      '/software',
      {
        config: anyone,
        schema: {
          operationId: 'listSoftware',
          tags: ['threat-actors'],
          summary: 'Malware and tools (filter by kind)',
          querystring: ListSoftwareQuery,
          response: { 200: listEnvelope(SoftwareSummary) },
        },
      },
      async (req) => kb.listSoftware(req.query),
    );
    app.get(
      '/software/:id',
      {
        config: anyone,
        schema: {
          operationId: 'getSoftware',
          tags: ['threat-actors'],
          summary: 'One piece of software',
          params: AttackObjectParams,
          response: { 200: Software },
        },
      },
      async (req) => kb.getSoftware(req.params.id),
    );
    app.get(
      '/campaigns',
      {
        config: anyone,
        schema: {
          operationId: 'listCampaigns',
          tags: ['threat-actors'],
          summary: 'ATT&CK campaigns',
          querystring: ListAttackQuery,
          response: { 200: listEnvelope(CampaignSummary) },
        },
      },
      async (req) => kb.listCampaigns(req.query),
    );
    app.get(
      '/campaigns/:id',
      {
        config: anyone,
        schema: {
          operationId: 'getCampaign',
          tags: ['threat-actors'],
          summary: 'One ATT&CK campaign',
          params: AttackObjectParams,
          response: { 200: Campaign },
        },
      },
      async (req) => kb.getCampaign(req.params.id),
    );
  };
}
