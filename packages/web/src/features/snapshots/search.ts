import type { Classification } from '@aegis/contracts';

/**
 * The classifications in the order the page lists them, what got worse first (as the server sorts
 * its techniques). Written here, not imported: the router reads this file, and the contracts'
 * values would bring zod into the first paint.
 */
export const CLASSIFICATIONS = [
  'regressed',
  'improved',
  'newly_tested',
  'moved',
  'added',
  'removed',
  'unchanged',
] as const satisfies readonly Classification[];

/** The threshold the server uses when none is given (points of score). */
export const DEFAULT_THRESHOLD = 1;

/** The Comparison page's state, kept in the URL so a comparison can be shared and reloaded. */
export interface ComparisonSearch {
  /** A snapshot id or `now`; absent: the newest snapshot. */
  from?: string;
  /** A snapshot id or `now`; absent: now. */
  to?: string;
  threshold?: number;
  /** List the unchanged techniques too (`all=true` for the API). */
  all?: boolean;
  /** Show only the techniques of this classification. */
  show?: Classification;
  /** The snapshot list's page (1-based; absent: the first). */
  page?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ref = (v: unknown): string | undefined =>
  typeof v === 'string' && (v === 'now' || UUID.test(v)) ? v : undefined;

export function parseComparisonSearch(search: Record<string, unknown>): ComparisonSearch {
  const out: ComparisonSearch = {};
  const from = ref(search.from);
  const to = ref(search.to);
  if (from) out.from = from;
  if (to) out.to = to;
  // The router may hand numbers and booleans back already parsed, or as the text of the address.
  const threshold = Number(search.threshold);
  if (search.threshold !== undefined && search.threshold !== '' && threshold >= 0 && threshold <= 100)
    out.threshold = threshold;
  if (search.all === true || search.all === 'true') out.all = true;
  if ((CLASSIFICATIONS as readonly unknown[]).includes(search.show)) out.show = search.show as Classification;
  const page = Number(search.page);
  if (Number.isInteger(page) && page > 1) out.page = page;
  return out;
}
