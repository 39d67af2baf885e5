import { z } from 'zod';
import { PageQuery } from './envelopes';
import { NOTIFIED_ROLES, ROLE_GROUPS, roles, teamOf } from './roles';
import { TestSide } from './test-cases';

export { NOTIFIED_ROLES, ROLE_GROUPS, roles, teamOf };
export const Role = z.enum(roles);
export type Role = z.infer<typeof Role>;

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,62}$/;
export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME_PATTERN, '2–63 characters: lower-case letters, digits, dot, dash, underscore');
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('not a valid email address'))
  .pipe(z.string().max(254));
export const DisplayName = z.string().trim().min(1, 'required').max(120);
/** Policy (length, classes) is checked by the server so the 400 can say which rule failed. */
export const Password = z.string().max(256, 'at most 256 characters');

export const User = z.object({
  id: z.uuid(),
  username: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: Role,
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  lastLoginAt: z.iso.datetime().nullable(),
});
export type User = z.infer<typeof User>;

export const CreateUser = z.object({
  username: Username,
  email: Email,
  displayName: DisplayName,
  role: Role,
  password: Password,
});
export type CreateUser = z.infer<typeof CreateUser>;

export const UpdateUser = z
  .object({
    email: Email.optional(),
    displayName: DisplayName.optional(),
    role: Role.optional(),
    active: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: 'nothing to update' });
export type UpdateUser = z.infer<typeof UpdateUser>;

export const ResetPassword = z.object({
  password: Password,
  /** Ask the user to choose a new password at next sign-in (default true). */
  mustChangePassword: z.boolean().default(true),
});

export const userSortFields = ['username', 'displayName', 'role', 'createdAt', 'lastLoginAt'] as const;
export const ListUsersQuery = PageQuery.extend({
  q: z.string().trim().max(100).optional(),
  role: Role.optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  sort: z.enum(userSortFields).default('username'),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type ListUsersQuery = z.infer<typeof ListUsersQuery>;

export const IdParams = z.object({ id: z.uuid('not a valid id') });

/** Who may hold a side of a test (be its red or blue assignee): that team's techs and lead, and admins. */
export const SIDE_ROLES: Readonly<Record<TestSide, readonly Role[]>> = {
  red: ROLE_GROUPS.red,
  blue: ROLE_GROUPS.blue,
};

/** A person a test's side can be assigned to (the assignee pickers). */
export const AssignableUser = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
});
export type AssignableUser = z.infer<typeof AssignableUser>;

export const ListAssignableUsersQuery = z.object({
  side: TestSide,
  /** Part of the username or display name. */
  q: z.string().trim().max(100).optional(),
});
export type ListAssignableUsersQuery = z.infer<typeof ListAssignableUsersQuery>;

/** At most `ASSIGNABLE_USERS_LIMIT` people, by display name. */
export const AssignableUsers = z.object({ items: z.array(AssignableUser) });
export type AssignableUsers = z.infer<typeof AssignableUsers>;
export const ASSIGNABLE_USERS_LIMIT = 200;
