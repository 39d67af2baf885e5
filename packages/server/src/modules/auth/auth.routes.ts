import {
  ApiToken,
  ChangePassword,
  CreateApiToken,
  CreatedApiToken,
  errorResponses,
  IdParams,
  LoginRequest,
  LoginResponse,
  listEnvelope,
  MAX_PAGE_SIZE,
  Me,
  NoContent,
} from '@aegis/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../infra/http';
import { actorOf } from '../audit-logs';
import type { AuthContext, AuthService } from './auth.service';
import { clearSessionCookie, setSessionCookie } from './guard';

const signedIn = { auth: 'authenticated' } as const;

function contextOf(req: FastifyRequest): AuthContext {
  if (!req.auth) throw errors.unauthorized();
  return req.auth;
}

export function authRoutes(auth: AuthService, options: { secureCookies: boolean }): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'login',
          tags: ['auth'],
          summary: 'Sign in: sets the session cookie and returns the access token for API clients',
          description:
            'Limited per client address (LOGIN_RATE_LIMIT per LOGIN_RATE_WINDOW_SECONDS): 429 with Retry-After.',
          body: LoginRequest,
          response: { 200: LoginResponse, ...errorResponses(429) },
        },
      },
      async (req, reply) => {
        const result = await auth.login(req.body, {
          ip: req.ip,
          userAgent: req.headers['user-agent']?.slice(0, 400) ?? null,
          requestId: req.id,
        });
        setSessionCookie(reply, result.accessToken, new Date(result.expiresAt), options.secureCookies);
        return result;
      },
    );

    app.post(
      '/auth/logout',
      {
        config: { auth: 'public' },
        schema: {
          operationId: 'logout',
          tags: ['auth'],
          summary: 'Sign out: revokes the session everywhere and clears the cookie',
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        await auth.logout(actorOf(req), req.auth);
        clearSessionCookie(reply, options.secureCookies);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      {
        config: signedIn,
        schema: {
          operationId: 'getMe',
          tags: ['auth'],
          summary: 'The signed-in user',
          response: { 200: Me },
        },
      },
      async (req) => auth.me(contextOf(req)),
    );

    app.post(
      '/auth/change-password',
      {
        config: signedIn,
        schema: {
          operationId: 'changePassword',
          tags: ['auth'],
          summary: 'Change your own password (your other sessions end)',
          body: ChangePassword,
          response: { 204: NoContent },
        },
      },
      async (req, reply) => {
        await auth.changePassword(actorOf(req), contextOf(req), req.body);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/auth/tokens',
      {
        config: signedIn,
        schema: {
          operationId: 'listApiTokens',
          tags: ['auth'],
          summary: 'Your personal API tokens',
          response: { 200: listEnvelope(ApiToken) },
        },
      },
      async (req) => {
        const items = await auth.listApiTokens(contextOf(req));
        return { items, total: items.length, limit: MAX_PAGE_SIZE, offset: 0 };
      },
    );

    app.post(
      '/auth/tokens',
      {
        config: signedIn,
        schema: {
          operationId: 'createApiToken',
          tags: ['auth'],
          summary: 'Create a personal API token (the secret is shown only in this response)',
          body: CreateApiToken,
          response: { 201: CreatedApiToken },
        },
      },
      async (req, reply) => {
        const ctx = contextOf(req);
        if (ctx.method !== 'session')
          throw errors.forbidden('API tokens can only be created from a signed-in session');
        return reply.code(201).send(await auth.createApiToken(actorOf(req), ctx, req.body));
      },
    );

    app.delete(
      '/auth/tokens/:id',
      {
        config: signedIn,
        schema: {
          operationId: 'revokeApiToken',
          tags: ['auth'],
          summary: 'Revoke one of your API tokens',
          params: IdParams,
          response: { 200: ApiToken },
        },
      },
      async (req) => auth.revokeApiToken(actorOf(req), contextOf(req), req.params.id),
    );
  };
}
