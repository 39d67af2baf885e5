import { sql } from 'drizzle-orm';
import { type AuditEntityNamer, namerOf } from '../audit-logs';

/** How audit rows name techniques: `T1059.001 PowerShell`. */
export const techniqueNamer: AuditEntityNamer = namerOf(
  'technique',
  (ids) => sql`select id, concat_ws(' ', attack_id, name) as name from attack_objects where id in ${ids}`,
);
