import path from 'node:path';
import { type APIRequestContext, expect, test } from '@playwright/test';
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
  expect(await page.getByTestId('actor-technique').count()).toBeGreaterThan(10);
  await page.getByTestId('actor-technique').first().getByRole('link').click();
  await expect(page).toHaveURL(/\/techniques\/T\d{4}/);
});

test('the dashboard charts coverage by tactic', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(page.getByRole('heading', { name: 'Coverage by tactic' })).toBeVisible();
  await expect(page.getByTestId('tactic-chart').getByTestId('tactic-bar')).toHaveCount(14);
  await expect(page.getByRole('heading', { name: 'Recent activity' })).toBeVisible();
});
