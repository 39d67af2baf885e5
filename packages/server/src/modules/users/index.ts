export { ensureFirstAdmin, generatePassword } from './first-admin';
export { userNamer } from './names.queries';
export { assertPasswordPolicy, dummyPasswordHash, hashPassword, verifyPassword } from './passwords';
export {
  activeUserIdsWithRoles,
  findUserById,
  findUserByLogin,
  findUserByUsername,
  findUsersByIds,
  touchLastLogin,
  type UserBrief,
  type UserRow,
  updateUserRow,
} from './users.queries';
export { userRoutes } from './users.routes';
export { createUsersService, type RevokeCredentials, toUser, type UsersService } from './users.service';
