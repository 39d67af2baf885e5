import {
  AssignableUsers,
  CreateUser,
  errorResponses,
  IdParams,
  ListAssignableUsersQuery,
  ListUsersQuery,
  listEnvelope,
  ResetPassword,
  ROLE_GROUPS,
  UpdateUser,
  User,
} from '@aegis/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf } from '../audit-logs';
import type { UsersService } from './users.service';

const admin = { auth: { roles: ROLE_GROUPS.admins } } as const;
/** Everyone who works on tests (not viewers): they pick or see assignees. */
const workers = { auth: { roles: ROLE_GROUPS.workers } } as const;

export function userRoutes(users: UsersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/users',
      {
        config: admin,
        schema: {
          operationId: 'listUsers',
          tags: ['users'],
          summary: 'List users (filter by role, active, text; sort; paginate)',
          querystring: ListUsersQuery,
          response: { 200: listEnvelope(User) },
        },
      },
      async (req) => users.list(req.query),
    );

    app.get(
      '/users/assignable',
      {
        config: workers,
        schema: {
          operationId: 'listAssignableUsers',
          tags: ['users'],
          summary: 'Who can be the red or the blue person of a test (active, by display name, at most 200)',
          querystring: ListAssignableUsersQuery,
          response: { 200: AssignableUsers },
        },
      },
      async (req) => users.assignable(req.query),
    );

    app.post(
      '/users',
      {
        config: admin,
        schema: {
          operationId: 'createUser',
          tags: ['users'],
          summary: 'Create a user',
          body: CreateUser,
          response: { 201: User, ...errorResponses(409) },
        },
      },
      async (req, reply) => reply.code(201).send(await users.create(actorOf(req), req.body)),
    );

    app.get(
      '/users/:id',
      {
        config: admin,
        schema: {
          operationId: 'getUser',
          tags: ['users'],
          summary: 'One user',
          params: IdParams,
          response: { 200: User },
        },
      },
      async (req) => users.get(req.params.id),
    );

    app.patch(
      '/users/:id',
      {
        config: admin,
        schema: {
          operationId: 'updateUser',
          tags: ['users'],
          summary: 'Change email, display name, role or active flag',
          params: IdParams,
          body: UpdateUser,
          response: { 200: User, ...errorResponses(409) },
        },
      },
      async (req) => users.update(actorOf(req), req.params.id, req.body),
    );

    app.post(
      '/users/:id/deactivate',
      {
        config: admin,
        schema: {
          operationId: 'deactivateUser',
          tags: ['users'],
          summary: 'Deactivate a user: sign-in refused, sessions and API tokens revoked',
          params: IdParams,
          response: { 200: User, ...errorResponses(409) },
        },
      },
      async (req) => users.update(actorOf(req), req.params.id, { active: false }),
    );

    app.post(
      '/users/:id/reset-password',
      {
        config: admin,
        schema: {
          operationId: 'resetUserPassword',
          tags: ['users'],
          summary: "Set a user's password (their sessions end)",
          params: IdParams,
          body: ResetPassword,
          response: { 200: User },
        },
      },
      async (req) => users.resetPassword(actorOf(req), req.params.id, req.body),
    );
  };
}
