import { z } from 'zod';
import { Password, User } from './users';

export const LoginRequest = z.object({
  username: z.string().trim().toLowerCase().min(1, 'required').max(254),
  password: z.string().min(1, 'required').max(256),
});

export const Me = User.extend({
  /** Echo in `x-csrf-token` on state-changing requests authenticated by the session cookie. */
  csrfToken: z.string(),
  sessionExpiresAt: z.iso.datetime(),
  authMethod: z.enum(['session', 'api_token']),
});
export type Me = z.infer<typeof Me>;

export const LoginResponse = z.object({
  accessToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresAt: z.iso.datetime(),
  csrfToken: z.string(),
  user: User,
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const ChangePassword = z.object({
  currentPassword: z.string().min(1, 'required').max(256),
  newPassword: Password,
});

export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The first characters of the token, to recognise it in a list. */
  prefix: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const CreateApiToken = z.object({
  name: z.string().trim().min(1, 'required').max(100),
  expiresInDays: z.number().int().min(1).max(366).default(90),
});

/** The only time the secret is shown. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() });
