/**
 * The roles and who does what, written once: routes' `auth.roles`, the web's navigation, shortcuts
 * and buttons derive from these groups instead of listing roles by hand. Free of zod, so the web
 * app's shell imports it (through `@aegis/contracts/roles`) without loading the schemas.
 */
export const roles = ['admin', 'red_tech', 'blue_tech', 'red_lead', 'blue_lead', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const ROLE_GROUPS = {
  admins: ['admin'],
  red: ['admin', 'red_tech', 'red_lead'],
  blue: ['admin', 'blue_tech', 'blue_lead'],
  leads: ['admin', 'red_lead', 'blue_lead'],
  /** Everyone who works on tests and so has pending tasks; viewers only read. */
  workers: ['admin', 'red_tech', 'red_lead', 'blue_tech', 'blue_lead'],
} as const satisfies Record<string, readonly Role[]>;
