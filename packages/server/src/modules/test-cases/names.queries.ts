import { sql } from 'drizzle-orm';
import { type AuditEntityNamer, namerOf } from '../audit-logs';

/** How audit rows name this module's entities: a test by its title, a remediation step by its title. */
export const testCaseNamers: readonly AuditEntityNamer[] = [
  namerOf('test_case', (ids) => sql`select id, title as name from test_cases where id in ${ids}`),
  namerOf(
    'remediation_step',
    (ids) => sql`select id, title as name from remediation_steps where id in ${ids}`,
  ),
];
