import {
  ASSIGNABLE_USERS_LIMIT,
  type AssignableUsers,
  type CreateUser,
  type ListAssignableUsersQuery,
  type ListEnvelope,
  type ListUsersQuery,
  SIDE_ROLES,
  type UpdateUser,
  type User,
} from '@aegis/contracts';
import { type Db, type Tx, uniqueViolation } from '../../infra/db';
import { errors } from '../../infra/http';
import { type AuditActor, recordAudit } from '../audit-logs';
import { assertPasswordPolicy, hashPassword } from './passwords';
import {
  countActiveAdmins,
  findUserById,
  insertUser,
  listActiveWithRoles,
  listUsers,
  lockUserForUpdate,
  type UserRow,
  updateUserRow,
} from './users.queries';

/** Ends a user's sign-ins; provided by the auth module (which owns sessions and tokens). */
export type RevokeCredentials = (tx: Tx, userId: string, scope: { apiTokens: boolean }) => Promise<void>;

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    displayName: row.displayName,
    role: row.role,
    active: row.active,
    mustChangePassword: row.mustChangePassword,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
  };
}

function conflictFor(err: unknown): never {
  const constraint = uniqueViolation(err);
  if (constraint === 'users_username_key')
    throw errors.conflict('This username is already taken', { field: 'body.username' });
  if (constraint === 'users_email_key')
    throw errors.conflict('This email address is already used by another user', { field: 'body.email' });
  throw err;
}

export function createUsersService(deps: { db: Db; revokeCredentials: RevokeCredentials }) {
  const { db } = deps;

  async function get(id: string): Promise<User> {
    const row = await findUserById(db, id);
    if (!row) throw errors.notFound('User', id);
    return toUser(row);
  }

  return {
    get,

    async list(q: ListUsersQuery): Promise<ListEnvelope<User>> {
      const { rows, total } = await listUsers(db, q);
      return { items: rows.map(toUser), total, limit: q.limit, offset: q.offset };
    },

    /** Who may hold a side of a test: active users of that side's roles (the assignee pickers). */
    async assignable(q: ListAssignableUsersQuery): Promise<AssignableUsers> {
      const rows = await listActiveWithRoles(db, SIDE_ROLES[q.side], q.q, ASSIGNABLE_USERS_LIMIT);
      return {
        items: rows.map((u) => ({
          id: u.id,
          username: u.username,
          displayName: u.displayName,
          role: u.role,
        })),
      };
    },

    async create(
      actor: AuditActor,
      input: CreateUser,
      options: { mustChangePassword?: boolean } = {},
    ): Promise<User> {
      assertPasswordPolicy(input.password, 'body.password');
      const passwordHash = await hashPassword(input.password);
      try {
        return await db.transaction(async (tx) => {
          const row = await insertUser(tx, {
            username: input.username,
            email: input.email,
            displayName: input.displayName,
            role: input.role,
            passwordHash,
            mustChangePassword: options.mustChangePassword ?? false,
          });
          await recordAudit(tx, actor, {
            action: 'user.create',
            entityType: 'user',
            entityId: row.id,
            summary: { username: row.username, email: row.email, role: row.role },
          });
          return toUser(row);
        });
      } catch (err) {
        conflictFor(err);
      }
    },

    /**
     * Changes profile, role or active flag. The last active admin can be neither demoted nor
     * deactivated; concurrent changes to admins are serialised so two admins cannot demote each
     * other at once. Deactivation ends the user's sessions and API tokens in the same transaction.
     */
    async update(actor: AuditActor, id: string, patch: UpdateUser): Promise<User> {
      try {
        return await db.transaction(async (tx) => {
          const current = await lockUserForUpdate(tx, id);
          if (!current) throw errors.notFound('User', id);
          const losesAdmin =
            current.role === 'admin' &&
            current.active &&
            ((patch.role !== undefined && patch.role !== 'admin') || patch.active === false);
          if (losesAdmin && (await countActiveAdmins(tx, id)) === 0)
            throw errors.conflict('This is the last active admin: promote another user to admin first', {
              field: patch.active === false ? 'body.active' : 'body.role',
            });

          const changes: Record<string, { from: unknown; to: unknown }> = {};
          for (const key of ['email', 'displayName', 'role', 'active'] as const) {
            const to = patch[key];
            if (to !== undefined && to !== current[key]) changes[key] = { from: current[key], to };
          }
          if (Object.keys(changes).length === 0) return toUser(current);
          const row = await updateUserRow(tx, id, patch);
          if (!row) throw errors.notFound('User', id);
          if (patch.active === false && current.active)
            await deps.revokeCredentials(tx, id, { apiTokens: true });
          // A role change takes effect on the next request (roles are read per request, not from tokens).
          await recordAudit(tx, actor, {
            action: patch.active === false && current.active ? 'user.deactivate' : 'user.update',
            entityType: 'user',
            entityId: id,
            summary: { username: row.username, changes },
          });
          return toUser(row);
        });
      } catch (err) {
        conflictFor(err);
      }
    },

    /** An admin sets a new password; the user's sessions end (API tokens stay). */
    async resetPassword(
      actor: AuditActor,
      id: string,
      input: { password: string; mustChangePassword: boolean },
    ): Promise<User> {
      assertPasswordPolicy(input.password, 'body.password');
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const row = await updateUserRow(tx, id, {
          passwordHash,
          mustChangePassword: input.mustChangePassword,
          passwordChangedAt: new Date(),
        });
        if (!row) throw errors.notFound('User', id);
        await deps.revokeCredentials(tx, id, { apiTokens: false });
        await recordAudit(tx, actor, {
          action: 'user.reset_password',
          entityType: 'user',
          entityId: id,
          summary: { username: row.username, mustChangePassword: input.mustChangePassword },
        });
        return toUser(row);
      });
    },
  };
}
export type UsersService = ReturnType<typeof createUsersService>;
