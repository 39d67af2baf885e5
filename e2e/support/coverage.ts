import type { CoverageGroup, CoverageReport } from '@aegis/contracts';
import { type APIRequestContext, expect, type Page } from '@playwright/test';
import { ADMIN } from './server';
import { apiToken } from './session';

/** The statuses in the order the pages show them, with their labels. */
export const STATUSES = [
  ['validated', 'Validated'],
  ['partial', 'Partial'],
  ['not_covered', 'Not covered'],
  ['in_progress', 'In progress'],
  ['untested', 'Untested'],
] as const;

/** A draft test on `technique`, by the admin: it and its parent technique become "in progress". */
export async function draftTestOn(request: APIRequestContext, technique: string): Promise<void> {
  const token = await apiToken(request, ADMIN.username, ADMIN.password);
  const res = await request.post('/api/v1/tests', {
    headers: { Authorization: `Bearer ${token}` },
    data: { technique, title: `Coverage counts ${technique} ${Date.now().toString(36)}` },
  });
  expect(res.status(), await res.text()).toBe(201);
}

/**
 * What `GET /api/v1/coverage` answers for `query`, asked through `request` — a page's own
 * (`page.request`), so with the signed-in user's session, as the page asks it.
 */
export async function coverageReport(
  request: APIRequestContext,
  query: Record<string, string> = {},
): Promise<CoverageReport> {
  const res = await request.get('/api/v1/coverage', { params: query });
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()) as CoverageReport;
}

/** One group's counts (`key` is our id); a group with no in-scope technique is left out: zero. */
export async function coverageGroup(
  request: APIRequestContext,
  query: { by: string; key: string; framework?: string },
): Promise<CoverageGroup> {
  const report = await coverageReport(request, query);
  const zero = { validated: 0, partial: 0, not_covered: 0, in_progress: 0, untested: 0 };
  return (
    report.items.find((g) => g.key === query.key) ?? {
      key: query.key,
      name: '',
      attackId: null,
      total: 0,
      counts: zero,
    }
  );
}

/** The line under a group's counts: what they count beside a list of `listed` techniques. */
export function countedNote(group: CoverageGroup, listed: number): string {
  const left = listed - group.total;
  return `Counts: ${group.total} in-scope technique${group.total === 1 ? '' : 's'}${left > 0 ? `; ${left} out of scope` : ''}`;
}

/** The summary above a control's or a countermeasure's techniques: "3 of 12 validated · 9 untested". */
export function summaryText(group: CoverageGroup): string {
  if (group.total === 0) return 'No technique';
  const others = STATUSES.filter(([s]) => s !== 'validated' && group.counts[s] > 0).map(
    ([s, label]) => ` · ${group.counts[s]} ${label.toLowerCase()}`,
  );
  return `${group.counts.validated} of ${group.total} validated${others.join('')}`;
}

/**
 * A group's or a software's techniques panel shows `group`, the server's counts: the validated bar,
 * one count per status filter, and the line saying they are of the in-scope ones among `listed`.
 */
export async function expectTechniqueCounts(page: Page, group: CoverageGroup, listed: number): Promise<void> {
  await expect(
    page.getByRole('img', { name: `${group.counts.validated} of ${group.total} techniques validated` }),
  ).toBeVisible();
  for (const [status, label] of STATUSES)
    await expect(page.getByRole('button', { name: new RegExp(`^${label}`) })).toHaveText(
      `${label}${group.counts[status]}`,
    );
  await expect(page.getByTestId('counted-note')).toHaveText(countedNote(group, listed));
}

/** A control's or a countermeasure's summary above its techniques shows `group`, the server's counts. */
export async function expectGroupCoverage(page: Page, group: CoverageGroup, listed: number): Promise<void> {
  const summary = page.getByTestId('group-coverage');
  await expect(summary.getByTestId('counted-note')).toHaveText(countedNote(group, listed));
  await expect(summary).toContainText(summaryText(group));
}
