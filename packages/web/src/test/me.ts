import type { Me, Role } from '@aegis/contracts';

/** The signed-in user of a component test (put in the query cache under `meQueryKey`). */
export const me = (role: Role, id = '00000000-0000-4000-8000-000000000001'): Me => ({
  id,
  username: role,
  email: `${role}@example.com`,
  displayName: role,
  role,
  active: true,
  mustChangePassword: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  lastLoginAt: null,
  csrfToken: 'csrf',
  sessionExpiresAt: '2026-01-02T00:00:00.000Z',
  authMethod: 'session',
});
