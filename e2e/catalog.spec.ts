import path from 'node:path';
import { type APIRequestContext, expect, test } from '@playwright/test';
import {
  coverageGroup,
  coverageReport,
  draftTestOn,
  expectTechniqueCounts,
  STATUSES,
} from './support/coverage';
import { ADMIN } from './support/server';
import { apiToken, signIn } from './support/session';

const lolbasFolder = path.resolve(import.meta.dirname, '../../shared/data/lolbas');

/** Points the LOLBAS source at the local copy under ../shared/data and syncs it through the API. */
async function syncLolbas(request: APIRequestContext): Promise<void> {
  const token = await apiToken(request, ADMIN.username, ADMIN.password);
  const headers = { Authorization: `Bearer ${token}` };
  const list = await request.get('/api/v1/data-sources', { headers });
  expect(list.ok(), await list.text()).toBe(true);
  const sources = ((await list.json()) as { items: { id: string; key: string }[] }).items;
  const lolbas = sources.find((s) => s.key === 'lolbas');
  if (!lolbas) throw new Error('the lolbas data source is not registered');

  const patched = await request.patch(`/api/v1/data-sources/${lolbas.id}`, {
    headers,
    data: { locationType: 'folder', location: lolbasFolder },
  });
  expect(patched.ok(), await patched.text()).toBe(true);
  const synced = await request.post(`/api/v1/data-sources/${lolbas.id}/sync`, { headers, data: {} });
  expect(synced.ok(), await synced.text()).toBe(true);

  await expect
    .poll(
      async () => {
        const runs = await request.get(`/api/v1/data-sources/${lolbas.id}/runs?limit=1`, { headers });
        const run = ((await runs.json()) as { items: { status: string; errors: unknown[] }[] }).items[0];
        if (run?.status === 'failed')
          throw new Error(`the LOLBAS sync failed: ${JSON.stringify(run.errors)}`);
        return run?.status;
      },
      { timeout: 45_000, intervals: [250, 500, 1000] },
    )
    .toBe('succeeded');
}

test('an admin finds a LOLBAS template in the catalog and starts a test from it', async ({
  page,
  request,
}) => {
  await syncLolbas(request);

  await signIn(page, ADMIN.username, ADMIN.password);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Test Catalog' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Test catalog' })).toBeVisible();
  await expect(page.getByTestId('template-row').first()).toBeVisible();

  await page.getByLabel('Search').fill('certutil');
  const rows = page.getByTestId('template-row');
  await expect(rows.first()).toContainText(/certutil/i);
  await expect(rows.filter({ hasNotText: /certutil/i })).toHaveCount(0);

  await rows.first().getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: /certutil/i })).toBeVisible();
  await expect(page.getByText('Command', { exact: true }).first()).toBeVisible();
  await expect(page.locator('pre code').first()).toContainText(/certutil/i);

  await page.getByRole('button', { name: 'Create test from template' }).click();
  await expect(page).toHaveURL(/\/tests\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: /certutil/i })).toBeVisible();
  await expect(page.getByTestId('test-state')).toBeVisible();

  // The technique page lists the catalog's templates for it.
  await page
    .getByRole('link', { name: /^T\d{4}/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: /^Test templates \([1-9]\d*\)$/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Detection rules \(0\)$/ })).toBeVisible();
});

test('the threat actors page lists APT29 and its page shows its techniques', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Threat actors' })).toBeVisible();
  await page.getByLabel('Search').fill('APT29');
  const row = page.getByTestId('actor-row').filter({ hasText: 'APT29' }).first();
  await expect(row).toBeVisible();
  await row.getByRole('link', { name: 'APT29' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'APT29' })).toBeVisible();
  await expect(page.getByTestId('actor-technique').first()).toBeVisible();
  const listed = await page.getByTestId('actor-technique').count();
  expect(listed).toBeGreaterThan(10);
  // Its counts are the server's, of its in-scope techniques.
  const actor = (await (await page.request.get('/api/v1/threat-actors/G0016')).json()) as { id: string };
  await expectTechniqueCounts(
    page,
    await coverageGroup(page.request, { by: 'actor', key: actor.id }),
    listed,
  );
  await page.getByTestId('actor-technique').first().getByRole('link').click();
  await expect(page).toHaveURL(/\/techniques\/T\d{4}/);
});

test('the dashboard shows the coverage the server counted, by status and by tactic', async ({
  page,
  request,
}) => {
  // Valid Accounts: Cloud Accounts and its parent in progress, so not every figure is "untested".
  await draftTestOn(request, 'T1078.004');
  const asked: string[] = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await signIn(page, ADMIN.username, ADMIN.password);
  const all = await coverageReport(page.request);
  const byTactic = await coverageReport(page.request, { by: 'tactic', subtechniques: 'exclude' });

  // The status cards: the server's totals over every in-scope technique, and what that leaves out.
  const cards = page.getByTestId('status-counts').getByRole('listitem');
  await expect(cards).toHaveText(STATUSES.map(([s, label]) => `${all.totals[s]}${label}`));
  await expect(
    page.getByRole('region', { name: 'Technique coverage' }).getByTestId('counted-note'),
  ).toHaveText(
    `Counts: ${all.inScope} in-scope techniques and sub-techniques; ${all.outOfScope} PRE-only out of scope`,
  );
  expect(all.totals.in_progress).toBeGreaterThanOrEqual(2);
  expect(all.outOfScope).toBeGreaterThan(0);

  // The chart: one bar per tactic the server counted, in its (matrix) order, each segment its figure.
  const panel = page.getByRole('region', { name: 'Coverage by tactic' });
  await expect(panel.getByTestId('counted-note')).toHaveText(
    `Counts: top-level in-scope techniques, once under each of their tactics; ${byTactic.outOfScope} PRE-only out of scope`,
  );
  const bars = panel.getByTestId('tactic-chart').getByTestId('tactic-bar');
  await expect(bars).toHaveCount(byTactic.items.length);
  expect(byTactic.items.map((t) => t.name)).not.toContain('Reconnaissance'); // PRE only
  expect(byTactic.items.find((t) => t.key === 'initial-access')?.counts.in_progress).toBeGreaterThan(0);
  const segments = await bars.evaluateAll((els) =>
    els.map((bar) => [...bar.children].map((segment) => segment.getAttribute('title'))),
  );
  expect(segments).toEqual(
    byTactic.items.map((t) =>
      STATUSES.filter(([s]) => t.counts[s] > 0).map(
        ([s, label]) => `${t.name}: ${t.counts[s]} ${label.toLowerCase()}`,
      ),
    ),
  );

  // Its table alternative lists the same figures.
  await panel.getByText('Show as a table').click();
  const table = panel.getByRole('table', {
    name: 'Top-level in-scope techniques per tactic by coverage status',
  });
  await expect(table.locator('tbody tr')).toHaveCount(byTactic.items.length);
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => cell.textContent)));
  expect(rows).toEqual(
    byTactic.items.map((t) => [t.name, ...STATUSES.map(([s]) => String(t.counts[s])), String(t.total)]),
  );

  await expect(page.getByRole('heading', { name: 'Recent activity' })).toBeVisible();
  // The counts are the server's: the page no longer fetches every technique to count them.
  expect(asked.filter((p) => p.startsWith('/api/v1/techniques'))).toEqual([]);
});
