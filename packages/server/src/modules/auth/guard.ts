import { type Role, SESSION_HINT_COOKIE } from '@aegis/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../../infra/http';
import type { AuthContext, AuthService } from './auth.service';
import { csrfTokenFor } from './keys';

/**
 * Every /api/v1 route declares who may call it in `config.auth`:
 *  - 'public'        anyone (credentials are still read when present);
 *  - 'authenticated' any signed-in user;
 *  - { roles }       signed-in users with one of these roles (admin always passes).
 * A route without a declaration makes the app fail to build.
 */
export type RouteAuth = 'public' | 'authenticated' | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    guardedRoutes: ReadonlyArray<{ method: string; url: string; auth: RouteAuth }>;
  }
}

export const SESSION_COOKIE = 'aegis_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface GuardOptions {
  secureCookies: boolean;
  /** Origins besides the app's own that may send state-changing requests (CORS_ORIGINS). */
  allowedOrigins: readonly string[];
}

export function setSessionCookie(reply: FastifyReply, token: string, expiresAt: Date, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/',
    expires: expiresAt,
  });
  // Without it the web app knows nobody is signed in and does not ask `GET /auth/me`, whose 401 a
  // browser logs as an error on every signed-out page load.
  reply.setCookie(SESSION_HINT_COOKIE, '1', { sameSite: 'strict', secure, path: '/', expires: expiresAt });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
  reply.clearCookie(SESSION_HINT_COOKIE, { sameSite: 'strict', secure, path: '/' });
}

function assertSameOriginOrAllowed(req: FastifyRequest, allowed: readonly string[]): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const own = `${req.protocol}://${req.host}`;
  if (origin === own || allowed.includes(origin) || allowed.includes('*')) return;
  throw errors.forbidden(`Requests from origin ${origin} are not allowed`);
}

function bearerOf(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw errors.unauthorized('Authorization header must be "Bearer <token>"');
  return match[1];
}

export function installAuthGuard(app: FastifyInstance, auth: AuthService, options: GuardOptions): void {
  const routes: Array<{ method: string; url: string; auth: RouteAuth }> = [];
  app.decorate('guardedRoutes', routes);
  app.decorateRequest('auth', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1')) return;
    const guard = route.config?.auth;
    if (!guard) throw new Error(`${String(route.method)} ${route.url} declares no auth guard (config.auth)`);
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url, auth: guard });
  });

  app.addHook('onRequest', async (req, reply) => {
    const guard = req.routeOptions.config?.auth;
    if (!guard) return; // web app files and API docs
    const unsafe = !SAFE_METHODS.has(req.method);
    if (unsafe) assertSameOriginOrAllowed(req, options.allowedOrigins);

    let ctx: AuthContext | undefined;
    const bearer = bearerOf(req);
    if (bearer !== undefined) {
      ctx = await auth.authenticate(bearer, { renew: false });
      if (!ctx && guard !== 'public')
        throw errors.unauthorized('The access token is invalid, expired or revoked');
    } else {
      const cookie = req.cookies[SESSION_COOKIE];
      if (cookie) {
        ctx = await auth.authenticate(cookie, { renew: true });
        if (ctx && ctx.method !== 'session') ctx = undefined; // API tokens are for the Authorization header
        if (ctx && unsafe && req.headers[CSRF_HEADER] !== csrfTokenFor(auth.keys, ctx.sessionId ?? '')) {
          if (guard !== 'public')
            throw errors.forbidden(`Missing or wrong ${CSRF_HEADER} header for a cookie session`);
          ctx = undefined;
        }
        if (ctx?.renewed)
          setSessionCookie(reply, ctx.renewed.token, ctx.renewed.expiresAt, options.secureCookies);
        if (!ctx && guard !== 'public') {
          clearSessionCookie(reply, options.secureCookies);
          throw errors.unauthorized('Your session has ended; sign in again');
        }
      }
    }

    req.auth = ctx ?? null;
    if (guard === 'public') return;
    if (!ctx) throw errors.unauthorized();
    if (guard !== 'authenticated' && ctx.user.role !== 'admin' && !guard.roles.includes(ctx.user.role))
      throw errors.forbidden(`The ${ctx.user.role} role cannot ${req.method} ${req.routeOptions.url}`);
    if (ctx.apiTokenId) await auth.touchApiToken(ctx.apiTokenId);
  });
}
