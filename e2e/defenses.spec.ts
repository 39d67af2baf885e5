import path from 'node:path';
import { type APIRequestContext, expect, test } from '@playwright/test';
import { coverageGroup, draftTestOn, expectGroupCoverage } from './support/coverage';
import { ADMIN } from './support/server';
import { apiToken, createUser, openAs } from './support/session';

const data = path.resolve(import.meta.dirname, '../../shared/data');
/** Data-source key → the local copy under ../shared/data (folder locations, see MANIFEST.md). */
const folders = {
  d3fend: path.join(data, 'd3fend'),
  'nist-800-53-r5': path.join(data, 'compliance/nist-800-53'),
} as const;

const run = Date.now().toString(36);

/**
 * Points a data source at its folder under ../shared/data and syncs it through the API, waiting for
 * the run to succeed. A source already synced from that folder (an earlier test) is left as it is.
 */
async function syncFromFolder(request: APIRequestContext, key: keyof typeof folders): Promise<void> {
  const token = await apiToken(request, ADMIN.username, ADMIN.password);
  const headers = { Authorization: `Bearer ${token}` };
  const list = await request.get('/api/v1/data-sources', { headers });
  expect(list.ok(), await list.text()).toBe(true);
  const sources = (
    (await list.json()) as { items: { id: string; key: string; location: string; status: string }[] }
  ).items;
  const source = sources.find((s) => s.key === key);
  if (!source) throw new Error(`the ${key} data source is not registered`);
  if (source.location === folders[key] && source.status === 'succeeded') return;

  const patched = await request.patch(`/api/v1/data-sources/${source.id}`, {
    headers,
    data: { locationType: 'folder', location: folders[key] },
  });
  expect(patched.ok(), await patched.text()).toBe(true);
  const synced = await request.post(`/api/v1/data-sources/${source.id}/sync`, { headers, data: {} });
  expect(synced.ok(), await synced.text()).toBe(true);
  await expect
    .poll(
      async () => {
        const runs = await request.get(`/api/v1/data-sources/${source.id}/runs?limit=1`, { headers });
        const last = ((await runs.json()) as { items: { status: string; errors: unknown[] }[] }).items[0];
        if (last?.status === 'failed')
          throw new Error(`the ${key} sync failed: ${JSON.stringify(last.errors)}`);
        return last?.status;
      },
      { timeout: 60_000, intervals: [250, 500, 1000] },
    )
    .toBe('succeeded');
}

/** Account Locking (D3-AL) back to "not assessed", so the journey starts from the same state on a retry. */
async function resetAccountLocking(request: APIRequestContext): Promise<void> {
  const token = await apiToken(request, ADMIN.username, ADMIN.password);
  const res = await request.patch('/api/v1/d3fend/D3-AL', {
    headers: { Authorization: `Bearer ${token}` },
    data: { implementation: null },
  });
  expect(res.ok(), await res.text()).toBe(true);
}

test('a blue lead finds a D3FEND countermeasure and records that it is implemented', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  await syncFromFolder(request, 'd3fend');
  await resetAccountLocking(request);
  // Valid Accounts (which Account Locking counters) in progress: the counts are not all "untested".
  await draftTestOn(request, 'T1078.004');
  const page = await openAs(browser, await createUser(request, 'blue_lead', `def${run}`));

  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByTestId('nav-section-Compliance')).toBeVisible();
  await nav.getByRole('link', { name: 'D3FEND defenses' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'D3FEND defenses' })).toBeVisible();
  await expect(page.getByTestId('defense-row').first()).toBeVisible();

  // The tactic filter lists the synced tactics with their counts; choosing one filters the list.
  const tactic = page.getByRole('combobox', { name: 'Tactic' });
  await expect(tactic.locator('option', { hasText: /^Harden \(\d+\)$/ })).toHaveCount(1);
  await tactic.selectOption('Harden');
  await expect(page).toHaveURL(/tactic=Harden/);
  await expect(page.getByTestId('defense-row').filter({ hasNotText: 'Harden' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear filters' }).click();

  await page.getByLabel('Search').fill('account locking');
  const rows = page.getByTestId('defense-row');
  await expect(rows).toHaveCount(1);
  await expect(page).toHaveURL(/q=account(\+|%20)locking/);
  await expect(rows.first()).toContainText('D3-AL');
  await expect(rows.first().getByTestId('implementation')).toHaveText('Not assessed');
  await rows.first().getByRole('link', { name: 'Account Locking' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Account Locking' })).toBeVisible();
  await expect(page.getByText('The process of temporarily disabling user accounts')).toBeVisible();
  // The ATT&CK techniques it counters, each with its coverage.
  const techniques = page.getByTestId('technique-row');
  await expect(techniques.filter({ hasText: 'T1078' }).first()).toBeVisible();
  await expect(techniques.first()).toContainText(/Untested|Validated|Partial|Not covered|In progress/);
  // The counts above the list are the server's, of the in-scope techniques among those listed.
  const defense = (await (await page.request.get('/api/v1/d3fend/D3-AL')).json()) as {
    id: string;
    techniques: unknown[];
  };
  await expect(techniques).toHaveCount(defense.techniques.length);
  const countered = await coverageGroup(page.request, { by: 'd3fend', key: defense.id });
  expect(countered.counts.in_progress).toBeGreaterThan(0);
  await expectGroupCoverage(page, countered, defense.techniques.length);

  const status = page.getByRole('combobox', { name: 'Implementation status' });
  await expect(status).toHaveValue('unset');
  await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
  await status.selectOption({ label: 'Implemented' });
  await expect(page.getByText('Not saved yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(page.getByTestId('implementation').first()).toHaveText('Implemented');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Account Locking' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Implementation status' })).toHaveValue('implemented');
  await expect(page.getByTestId('implementation').first()).toHaveText('Implemented');

  // The list's implementation filter finds it among the implemented ones.
  await page.goto('/defenses?implementation=implemented');
  await expect(page.getByRole('combobox', { name: 'Implementation' })).toHaveValue('implemented');
  await expect(rows.filter({ hasText: 'Account Locking' })).toHaveCount(1);
  await expect(rows.filter({ hasNotText: 'Implemented' })).toHaveCount(0);
});

test('a viewer sees the implementation status of a countermeasure but cannot change it', async ({
  browser,
  request,
}) => {
  await syncFromFolder(request, 'd3fend');
  const viewer = await createUser(request, 'viewer', `def${run}`);
  const page = await openAs(browser, viewer);

  // Countermeasures for a technique: the URL carries the filter.
  await page.goto('/defenses?technique=T1078');
  await expect(page.getByTestId('technique-chip')).toContainText('T1078');
  await expect(page.getByTestId('defense-row').filter({ hasText: 'Account Locking' })).toBeVisible();
  await page.getByRole('link', { name: 'Account Locking' }).click();

  await expect(page.getByRole('heading', { level: 1, name: 'Account Locking' })).toBeVisible();
  await expect(page.getByTestId('implementation').first()).toBeVisible();
  await expect(page.getByText('Blue leads and admins record whether it is implemented.')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Implementation status' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);

  // The API agrees: a viewer's change is refused.
  const token = await apiToken(request, viewer.username, viewer.password);
  const res = await request.patch('/api/v1/d3fend/D3-AL', {
    headers: { Authorization: `Bearer ${token}` },
    data: { implementation: 'none' },
  });
  expect(res.status()).toBe(403);
});

test('a link by the D3FEND id two countermeasures share offers both; each opens by its IRI', async ({
  browser,
  request,
}) => {
  await syncFromFolder(request, 'd3fend');
  const page = await openAs(browser, await createUser(request, 'viewer', `def${run}`));

  await page.goto('/defenses/D3-RC');
  await expect(page.getByRole('heading', { level: 1, name: 'D3-RC names 2 countermeasures' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Restore Configuration' })).toBeVisible();
  await page.getByRole('link', { name: 'Reissue Credential' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reissue Credential' })).toBeVisible();
  await expect(page).toHaveURL(/\/defenses\/d3f(:|%3A)ReissueCredential$/);
  await expect(page.getByText('D3-RC', { exact: true })).toBeVisible();

  // The list links each by its IRI, so both are reachable from it.
  await page.goto('/defenses?q=D3-RC');
  await expect(page.getByTestId('defense-row')).toHaveCount(2);
  await page.getByRole('link', { name: 'Restore Configuration' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Restore Configuration' })).toBeVisible();
});

test('a NIST 800-53 control shows the ATT&CK techniques it maps to, with their coverage', async ({
  browser,
  request,
}) => {
  test.setTimeout(90_000);
  await syncFromFolder(request, 'nist-800-53-r5');
  // Valid Accounts (which AC-2 maps to) in progress: the counts are not all "untested".
  await draftTestOn(request, 'T1078.004');
  const page = await openAs(browser, await createUser(request, 'viewer', `def${run}`));

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Controls' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Compliance controls' })).toBeVisible();
  await page.getByRole('link', { name: /NIST SP 800-53 Rev\. 5/ }).click();
  await expect(page.getByRole('link', { name: /NIST SP 800-53 Rev\. 5/ })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page).toHaveURL(/framework=nist-800-53-r5/);

  // The family filter: only access-control (AC) controls, then back to all.
  const family = page.getByRole('combobox', { name: 'Family' });
  await family.selectOption('AC');
  await expect(page).toHaveURL(/family=AC/);
  const familyRows = page.getByTestId('control-row');
  await expect(familyRows.first()).toBeVisible();
  await expect(familyRows.filter({ hasNotText: /\bAC-\d/ })).toHaveCount(0);
  await family.selectOption('');

  await page.getByLabel('Search').fill('AC-2');
  const rows = page.getByTestId('control-row');
  await expect(rows.filter({ hasNotText: 'AC-2' })).toHaveCount(0);
  await rows.getByRole('link', { name: 'AC-2', exact: true }).click();

  await expect(page).toHaveURL(/\/compliance\/controls\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Account Management' })).toBeVisible();
  await expect(page.getByText('AC-2', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Mapped ATT&CK techniques \(\d+\)$/ })).toBeVisible();
  const techniques = page.getByTestId('technique-row');
  expect(await techniques.count()).toBeGreaterThan(10);
  await expect(techniques.filter({ hasText: 'T1078' }).first()).toContainText('Valid Accounts');
  await expect(techniques.first()).toContainText(/Untested|Validated|Partial|Not covered|In progress/);
  // The counts above the list are the server's, of the in-scope techniques among those listed.
  const controlId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
  const mapped = await coverageGroup(page.request, {
    by: 'control',
    framework: 'nist-800-53-r5',
    key: controlId,
  });
  expect(mapped.counts.in_progress).toBeGreaterThan(0);
  await expectGroupCoverage(page, mapped, await techniques.count());

  await techniques.filter({ hasText: 'T1078' }).first().getByRole('link').click();
  await expect(page).toHaveURL(/\/techniques\/T1078/);
});
