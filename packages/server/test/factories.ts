import { randomBytes } from 'node:crypto';
import type { CreateUser, LoginResponse, Role, User } from '@aegis/contracts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { CLI_ACTOR } from '../src/modules/audit-logs';
import type { Platform } from '../src/platform';

export const PASSWORD = 'Str0ng-Password!';

let ipCounter = 0;
/** A distinct client address per call, so login rate limits of one test do not touch another's. */
export function nextIp(): string {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

/** Creates a user with a unique name; any field can be overridden. */
export async function buildUser(
  platform: Platform,
  overrides: Partial<CreateUser> = {},
): Promise<User & { password: string }> {
  const suffix = randomBytes(4).toString('hex');
  const input: CreateUser = {
    username: `user-${suffix}`,
    email: `user-${suffix}@example.test`,
    displayName: `User ${suffix}`,
    role: 'viewer',
    password: PASSWORD,
    ...overrides,
  };
  const user = await platform.services.users.create(CLI_ACTOR, input);
  return { ...user, password: input.password };
}

export interface Session {
  token: string;
  cookie: string;
  csrfToken: string;
  user: User;
  /** Authorization header for bearer requests. */
  bearer: { authorization: string };
  /** Cookie + CSRF headers, as the browser app sends them. */
  browser: { cookie: string; 'x-csrf-token': string };
}

export function sessionCookieOf(res: LightMyRequestResponse): string | undefined {
  const c = res.cookies.find((x) => x.name === 'aegis_session');
  return c ? `aegis_session=${c.value}` : undefined;
}

export async function signIn(
  app: FastifyInstance,
  username: string,
  password = PASSWORD,
  ip = nextIp(),
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
    remoteAddress: ip,
  });
  if (res.statusCode !== 200) throw new Error(`login of ${username} failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as LoginResponse;
  const cookie = sessionCookieOf(res) ?? '';
  return {
    token: body.accessToken,
    cookie,
    csrfToken: body.csrfToken,
    user: body.user,
    bearer: { authorization: `Bearer ${body.accessToken}` },
    browser: { cookie, 'x-csrf-token': body.csrfToken },
  };
}

/** A signed-in user of the given role. */
export async function signedInAs(platform: Platform, app: FastifyInstance, role: Role): Promise<Session> {
  const user = await buildUser(platform, { role });
  return signIn(app, user.username, user.password);
}
