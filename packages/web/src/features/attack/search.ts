import type { CoverageStatus } from '@aegis/contracts';
import { compact, searchEnum, searchText } from '../catalog/search';

/**
 * The matrix keeps its layer, domain, filters, search and view in the URL
 * (`/matrix?layer=actor:G0016&tactic=execution&q=lsass`), so a view can be linked and survives a reload.
 * Defaults (coverage, Enterprise, no filter, fitted view) are left out.
 */
export interface MatrixSearch {
  layer?: string;
  domain?: MatrixDomain;
  platform?: string;
  tactic?: string;
  actor?: string;
  hasTests?: boolean;
  status?: CoverageStatus;
  /** Search text over techniques and sub-techniques (ATT&CK id or name). */
  q?: string;
  /** Show only the cells matching `q`. */
  only?: boolean;
  /** `wide`: readable columns that scroll sideways instead of every tactic fitted to the screen. */
  view?: 'wide';
}

// Written out rather than imported: the router parses the URL on first paint, and the contracts'
// values carry zod (ADR 18).
export const MATRIX_DOMAINS = ['enterprise-attack', 'mobile-attack', 'ics-attack'] as const;
export type MatrixDomain = (typeof MATRIX_DOMAINS)[number];
const STATUSES = ['validated', 'partial', 'not_covered', 'in_progress', 'untested'] as const;

/** The router writes booleans bare (`?only=true`) and reads them back as booleans; text is accepted too. */
function searchBoolean(value: unknown): boolean | undefined {
  const text = searchText(value, 5);
  return text === 'true' ? true : text === 'false' ? false : undefined;
}

export function parseMatrixSearch(search: Record<string, unknown>): MatrixSearch {
  const domain = searchEnum(search.domain, MATRIX_DOMAINS);
  const layer = searchText(search.layer, 200);
  return compact({
    layer: layer === 'coverage' ? undefined : layer,
    domain: domain === 'enterprise-attack' ? undefined : domain,
    platform: searchText(search.platform, 60),
    tactic: searchText(search.tactic, 80),
    actor: searchText(search.actor, 80),
    hasTests: searchBoolean(search.hasTests),
    status: searchEnum(search.status, STATUSES),
    q: searchText(search.q, 100),
    only: searchBoolean(search.only) || undefined,
    view: searchEnum(search.view, ['wide'] as const),
  });
}

/** What the server computes from (the search text and view stay in the browser). */
export function heatmapParams(search: MatrixSearch) {
  return compact({
    layer: search.layer ?? 'coverage',
    domain: search.domain ?? 'enterprise-attack',
    platform: search.platform,
    tactic: search.tactic,
    actor: search.actor,
    hasTests: search.hasTests === undefined ? undefined : String(search.hasTests),
    status: search.status,
  });
}
export type HeatmapParams = ReturnType<typeof heatmapParams>;
