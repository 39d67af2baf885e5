import { compact, searchText } from '../catalog/search';

/** The executive page's period: the last 30, 90 or 365 days (90 by default), kept in the URL. */
export const PERIODS = [30, 90, 365] as const;
export type PeriodDays = (typeof PERIODS)[number];

export interface ExecutiveSearch {
  days?: PeriodDays;
}

export function parseExecutiveSearch(search: Record<string, unknown>): ExecutiveSearch {
  const days = Number(search.days);
  return (PERIODS as readonly number[]).includes(days) ? { days: days as PeriodDays } : {};
}

/** The metrics page's period and filters, kept in the URL so a filtered view can be linked. */
export interface MetricsSearch extends ExecutiveSearch {
  /** An ATT&CK tactic's shortname (`credential-access`). */
  tactic?: string;
  platform?: string;
  tool?: string;
}

const TACTIC = /^[a-z0-9-]{1,64}$/;

/** What the router hands over, read loosely: a value the API would refuse is dropped. */
export function parseMetricsSearch(search: Record<string, unknown>): MetricsSearch {
  const tactic = searchText(search.tactic, 64);
  return compact({
    ...parseExecutiveSearch(search),
    tactic: tactic && TACTIC.test(tactic) ? tactic : undefined,
    platform: searchText(search.platform, 100),
    tool: searchText(search.tool, 100),
  });
}
