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
