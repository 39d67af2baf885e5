import {
  BlueRecord,
  BulkTestRequest,
  BulkTestResponse,
  CreateTestCase,
  errorResponses,
  IdParams,
  ListTestCasesQuery,
  listEnvelope,
  PageQuery,
  PendingTask,
  RedRecord,
  ROLE_GROUPS,
  TakeTestRequest,
  TestCase,
  TestCaseSummary,
  TransitionRequest,
  UpdateTestCase,
  VoteRequest,
} from '@aegis/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../infra/http';
import { actorOf } from '../audit-logs';
import type { Caller, TestCaseService } from './test-cases.service';

export function callerOf(req: FastifyRequest): Caller {
  if (!req.auth) throw errors.unauthorized();
  return { userId: req.auth.user.id, role: req.auth.user.role, audit: actorOf(req) };
}

const anyone = { auth: 'authenticated' } as const;
const red = { auth: { roles: ROLE_GROUPS.red } } as const;
const blue = { auth: { roles: ROLE_GROUPS.blue } } as const;
const workers = { auth: { roles: ROLE_GROUPS.workers } } as const;
const leads = { auth: { roles: ROLE_GROUPS.leads } } as const;

export function testCaseRoutes(tests: TestCaseService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/tests',
      {
        config: anyone,
        schema: {
          operationId: 'listTests',
          tags: ['tests'],
          summary: 'Tests (filter by state, technique, assignee, platform, text; sort; paginate)',
          querystring: ListTestCasesQuery,
          response: { 200: listEnvelope(TestCaseSummary) },
        },
      },
      async (req) => tests.list(callerOf(req), req.query),
    );
    app.get(
      '/tests/pending',
      {
        config: anyone,
        schema: {
          operationId: 'listPendingTasks',
          tags: ['tests'],
          summary: 'My pending tasks: what I must do now, by role, oldest first (paged)',
          querystring: PageQuery,
          response: { 200: listEnvelope(PendingTask) },
        },
      },
      async (req) => tests.pending(callerOf(req), req.query),
    );
    app.post(
      '/tests',
      {
        config: red,
        schema: {
          operationId: 'createTest',
          tags: ['tests'],
          summary: 'Create a test of a technique',
          body: CreateTestCase,
          response: { 201: TestCase },
        },
      },
      async (req, reply) => reply.code(201).send(await tests.create(callerOf(req), req.body)),
    );
    app.post(
      '/tests/bulk',
      {
        config: leads,
        schema: {
          operationId: 'bulkUpdateTests',
          tags: ['tests'],
          summary:
            'Assign, or start the execution of, up to 100 tests: each by the single-test rules, each reported (done, skipped, failed)',
          body: BulkTestRequest,
          response: { 200: BulkTestResponse },
        },
      },
      async (req) => tests.bulk(callerOf(req), req.body),
    );
    app.get(
      '/tests/:id',
      {
        config: anyone,
        schema: {
          operationId: 'getTest',
          tags: ['tests'],
          summary: 'One test with its red and blue records, votes, timeline and what you may do',
          params: IdParams,
          response: { 200: TestCase },
        },
      },
      async (req) => tests.detail(callerOf(req), req.params.id),
    );
    app.patch(
      '/tests/:id',
      {
        config: workers,
        schema: {
          operationId: 'updateTest',
          tags: ['tests'],
          summary: 'Edit title, description, platform, tactic, expected outcome or assignments',
          params: IdParams,
          body: UpdateTestCase,
          response: { 200: TestCase, ...errorResponses(409) },
        },
      },
      async (req) => tests.update(callerOf(req), req.params.id, req.body),
    );
    app.post(
      '/tests/:id/take',
      {
        config: workers,
        schema: {
          operationId: 'takeTest',
          tags: ['tests'],
          summary: 'Become the red or blue assignee of a test whose side is free (a person of that side)',
          params: IdParams,
          body: TakeTestRequest,
          response: { 200: TestCase, ...errorResponses(409) },
        },
      },
      async (req) => tests.take(callerOf(req), req.params.id, req.body.side),
    );
    app.put(
      '/tests/:id/red',
      {
        config: red,
        schema: {
          operationId: 'recordRedSide',
          tags: ['tests'],
          summary: 'Record the red side',
          params: IdParams,
          body: RedRecord,
          response: { 200: TestCase, ...errorResponses(409) },
        },
      },
      async (req) => tests.recordRed(callerOf(req), req.params.id, req.body),
    );
    app.put(
      '/tests/:id/blue',
      {
        config: blue,
        schema: {
          operationId: 'recordBlueSide',
          tags: ['tests'],
          summary:
            'Record the blue side: outcome overall and per defensive tool, detection time, rules that fired',
          params: IdParams,
          body: BlueRecord,
          response: { 200: TestCase, ...errorResponses(409) },
        },
      },
      async (req) => tests.recordBlue(callerOf(req), req.params.id, req.body),
    );
    app.post(
      '/tests/:id/transitions',
      {
        config: workers,
        schema: {
          operationId: 'transitionTest',
          tags: ['tests'],
          summary: 'Move a test on (409 lists the actions allowed)',
          params: IdParams,
          body: TransitionRequest,
          response: { 200: TestCase, ...errorResponses(409) },
        },
      },
      async (req) => tests.transition(callerOf(req), req.params.id, req.body.action, req.body.comment),
    );
    app.post(
      '/tests/:id/votes',
      {
        config: leads,
        schema: {
          operationId: 'voteOnTest',
          tags: ['tests'],
          summary: "A lead's vote in review (both approve → validated; any reject → rejected)",
          params: IdParams,
          body: VoteRequest,
          response: { 200: TestCase, ...errorResponses(409) },
        },
      },
      async (req) => tests.vote(callerOf(req), req.params.id, req.body),
    );
  };
}
