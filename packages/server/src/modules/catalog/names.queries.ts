import { sql } from 'drizzle-orm';
import { type AuditEntityNamer, namerOf } from '../audit-logs';

/** How audit rows name the catalog's entities. */
export const catalogNamers: readonly AuditEntityNamer[] = [
  namerOf('test_template', (ids) => sql`select id, name from test_templates where id in ${ids}`),
  namerOf('detection_rule', (ids) => sql`select id, title as name from detection_rules where id in ${ids}`),
  namerOf('data_source', (ids) => sql`select id, name from data_sources where id in ${ids}`),
  namerOf('d3fend_technique', (ids) => sql`select id, name from d3fend_techniques where id in ${ids}`),
];
