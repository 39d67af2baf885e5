import {
  ActorScore,
  ActorScoreParams,
  ActorScoreSummary,
  ListActorScoresQuery,
  ListTechniqueScoresQuery,
  listEnvelope,
  OrganizationScore,
  RecomputeAccepted,
  ROLE_GROUPS,
  ScoreDomainQuery,
  ScoringConfigRecord,
  TacticScore,
  TacticScoreParams,
  TacticScoreSummary,
  TechniqueScore,
  TechniqueScoreParams,
  TechniqueScoreSummary,
  UpdateScoringConfig,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../audit-logs';
import type { ScoresService } from './scores.service';

const anyone = { auth: 'authenticated' } as const;
const tags = ['scores'];

export function scoresRoutes(scores: ScoresService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/scores/techniques',
      {
        config: anyone,
        schema: {
          operationId: 'listTechniqueScores',
          tags,
          summary:
            'Technique scores 0–100, own and aggregate (filter by tactic, platform, status, score range)',
          querystring: ListTechniqueScoresQuery,
          response: { 200: listEnvelope(TechniqueScoreSummary) },
        },
      },
      async (req) => scores.listTechniques(req.query),
    );
    app.get(
      '/scores/techniques/:attackId',
      {
        config: anyone,
        schema: {
          operationId: 'getTechniqueScore',
          tags,
          summary:
            'One technique’s score with its full breakdown (CR tests, rules, D3FEND, freshness, platforms)',
          params: TechniqueScoreParams,
          querystring: ScoreDomainQuery,
          response: { 200: TechniqueScore },
        },
      },
      async (req) => scores.getTechnique(req.params.attackId, req.query.domain),
    );
    app.get(
      '/scores/tactics',
      {
        config: anyone,
        schema: {
          operationId: 'listTacticScores',
          tags,
          summary:
            'Each tactic’s score (equal and threat-weighted) over its in-scope techniques, in matrix order',
          querystring: ScoreDomainQuery,
          response: { 200: z.object({ items: z.array(TacticScoreSummary) }) },
        },
      },
      async (req) => scores.listTactics(req.query.domain),
    );
    app.get(
      '/scores/tactics/:shortname',
      {
        config: anyone,
        schema: {
          operationId: 'getTacticScore',
          tags,
          summary: 'One tactic’s score with its member techniques and their weights',
          params: TacticScoreParams,
          querystring: ScoreDomainQuery,
          response: { 200: TacticScore },
        },
      },
      async (req) => scores.getTactic(req.params.shortname, req.query.domain),
    );
    app.get(
      '/scores/actors',
      {
        config: anyone,
        schema: {
          operationId: 'listActorScores',
          tags,
          summary:
            'Threat actors’ scores: the mean score of the in-scope techniques each uses, and their coverage',
          querystring: ListActorScoresQuery,
          response: { 200: listEnvelope(ActorScoreSummary) },
        },
      },
      async (req) => scores.listActors(req.query),
    );
    app.get(
      '/scores/actors/:id',
      {
        config: anyone,
        schema: {
          operationId: 'getActorScore',
          tags,
          summary: 'One threat actor’s score with each technique it uses and those left out of scope',
          params: ActorScoreParams,
          querystring: ScoreDomainQuery,
          response: { 200: ActorScore },
        },
      },
      async (req) => scores.getActor(req.params.id, req.query.domain),
    );
    app.get(
      '/scores/organization',
      {
        config: anyone,
        schema: {
          operationId: 'getOrganizationScore',
          tags,
          summary: 'The organisation’s score: equal weights (headline) and threat-weighted, with each tactic',
          querystring: ScoreDomainQuery,
          response: { 200: OrganizationScore },
        },
      },
      async (req) => scores.organization(req.query.domain),
    );
    app.get(
      '/scores/config',
      {
        config: { auth: { roles: ROLE_GROUPS.leads } },
        schema: {
          operationId: 'getScoringConfig',
          tags,
          summary: 'The scoring configuration in force, with where each value came from (default, env, API)',
          response: { 200: ScoringConfigRecord },
        },
      },
      async () => scores.getConfig(),
    );
    app.put(
      '/scores/config',
      {
        config: { auth: { roles: ROLE_GROUPS.admins } },
        schema: {
          operationId: 'updateScoringConfig',
          tags,
          summary:
            'Change the scoring configuration (a new version, audited); every score is recomputed with it',
          body: UpdateScoringConfig,
          response: { 200: ScoringConfigRecord },
        },
      },
      async (req) => scores.putConfig(actorOf(req), req.body),
    );
    app.post(
      '/scores/recompute',
      {
        config: { auth: { roles: ROLE_GROUPS.leads } },
        schema: {
          operationId: 'recomputeScores',
          tags,
          summary: 'Recompute every score now (queued as a job)',
          response: { 202: RecomputeAccepted },
        },
      },
      async (req, reply) => reply.code(202).send(await scores.requestRecompute(actorOf(req))),
    );
  };
}
