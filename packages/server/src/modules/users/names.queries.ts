import { sql } from 'drizzle-orm';
import { type AuditEntityNamer, namerOf } from '../audit-logs';

/** How audit rows name users (as entity and as actor): their current display name. */
export const userNamer: AuditEntityNamer = namerOf(
  'user',
  (ids) => sql`select id, display_name as name from users where id in ${ids}`,
);
