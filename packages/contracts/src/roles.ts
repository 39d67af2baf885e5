/**
 * The roles and who does what, written once: routes' `auth.roles`, the services' rules, the web's
 * navigation, shortcuts and buttons take these groups instead of listing roles by hand (a source
 * check, `server/src/role-groups.test.ts`, refuses a role list anywhere else). Free of zod, so the
 * web app's shell imports it (through `@aegis/contracts/roles`) without loading the schemas.
 */
export const roles = ['admin', 'red_tech', 'blue_tech', 'red_lead', 'blue_lead', 'viewer'] as const;
export type Role = (typeof roles)[number];
type Group = readonly Role[];

/**
 * Who may do what. Every group holds `admin`: the route guard and the web's `hasRole` let admins
 * through anyway, and the services' rules (which check membership directly) rely on it.
 */
const groups = {
  /** System pages: users, audit log, ATT&CK imports, data sources, status. */
  admins: ['admin'],
  /** The red team: create tests and templates, start and execute, hold and edit a test's red side. */
  red: ['admin', 'red_tech', 'red_lead'],
  /** The blue team: evaluate, hold and edit a test's blue side. */
  blue: ['admin', 'blue_tech', 'blue_lead'],
  /**
   * Leads: assign, bulk-edit, vote, reopen, edit any test, manage remediation, curate technique
   * notes and reviews, and see both sides of a test in flight.
   */
  leads: ['admin', 'red_lead', 'blue_lead'],
  /** Red leads: start tests in bulk (bulk is for leads, starting is red's). */
  redLeads: ['admin', 'red_lead'],
  /** Blue leads: deploy detection rules and keep the defence (D3FEND) inventory. */
  blueLeads: ['admin', 'blue_lead'],
  /**
   * Everyone who works on tests and so has pending tasks, uploads evidence, updates remediation
   * steps and picks assignees; viewers only read.
   */
  workers: ['admin', 'red_tech', 'red_lead', 'blue_tech', 'blue_lead'],
} as const satisfies Record<string, Group>;
// Typed as plain role lists so that `group.includes(role)` takes any role.
export const ROLE_GROUPS: { readonly [K in keyof typeof groups]: Group } = groups;

/**
 * Who is told when work waits: the people whose job it is. Admins may do all of it but are not
 * paged for it, so these groups leave them out.
 */
const notified = {
  /** An unassigned test to execute. */
  red: ['red_tech'],
  /** An unassigned test to evaluate. */
  blue: ['blue_tech'],
  /** A test to vote on or reopen; a remediation that reached the re-test limit. */
  leads: ['red_lead', 'blue_lead'],
} as const satisfies Record<string, Group>;
export const NOTIFIED_ROLES: { readonly [K in keyof typeof notified]: Group } = notified;

export type Team = 'red' | 'blue';

/** The team a role belongs to; admins (in both) and viewers (in neither) have none. */
export function teamOf(role: Role): Team | undefined {
  if (role === 'admin') return undefined;
  if (ROLE_GROUPS.red.includes(role)) return 'red';
  if (ROLE_GROUPS.blue.includes(role)) return 'blue';
  return undefined;
}
