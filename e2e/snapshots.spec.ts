import { readFile } from 'node:fs/promises';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { violations } from './support/axe';
import { ADMIN } from './support/server';
import { type Account, apiToken, createUser, openAs } from './support/session';
import { validatedTest } from './support/workflow';

const run = Date.now().toString(36);
/** Registry Run Keys / Startup Folder (Windows): no other journey tests it, so it starts untested. */
const TECHNIQUE = 'T1547.001';

const lead = (request: APIRequestContext) => createUser(request, 'red_lead', `sn${run}`);

async function bearer(request: APIRequestContext, who: Account): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await apiToken(request, who.username, who.password)}` };
}

/** The Comparison page from the navigation. */
async function openComparison(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Comparison', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Comparison' })).toBeVisible();
}

/** Takes a snapshot through the form and waits for the live region to say it was taken. */
async function takeSnapshot(page: Page, name: string, note: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Take a snapshot' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Note (optional)').fill(note);
  await form.getByRole('button', { name: 'Take snapshot' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Snapshot “${name}” taken` })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByTestId('snapshot-row').filter({ hasText: name })).toBeVisible();
}

/** Picks the snapshot called `name` as one end of the comparison. */
async function pick(page: Page, end: 'From' | 'To', name: string): Promise<void> {
  const select = page.getByRole('combobox', { name: end, exact: true });
  const value = await select.locator('option', { hasText: name }).getAttribute('value');
  await select.selectOption(value ?? '');
}

test('a lead takes two snapshots around a validated test and sees the technique improve', async ({
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  const page = await openAs(browser, await lead(request), { width: 1440, height: 900 });
  await openComparison(page);
  const [before, after] = [`Before run keys ${run}`, `After run keys ${run}`];

  // For the record: the page before any snapshot (a first journey of the run finds none).
  await expect(page.getByText('Loading the snapshots…')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('comparison-first.png') });

  // A name the API refuses is named next to its field, and nothing is taken.
  const form = page.getByRole('form', { name: 'Take a snapshot' });
  await form.getByLabel('Name').fill('   ');
  await form.getByRole('button', { name: 'Take snapshot' }).click();
  await expect(form.getByText('name must not be empty')).toBeVisible();
  await expect(form.getByLabel(/^Name/)).toHaveAttribute('aria-invalid', 'true');

  await takeSnapshot(page, before, 'Registry run keys untested');
  await validatedTest(request, {
    technique: TECHNIQUE,
    title: `Run key persistence ${run}`,
    platform: 'windows',
    tag: `sn${run}`,
    commands: 'reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v x /d calc.exe',
    executionStartedAt: new Date().toISOString(),
    toolResults: [{ tool: 'EDR', outcome: 'detected' }],
  });
  await takeSnapshot(page, after, 'Registry run keys validated');
  // Leads take and compare; deleting is the admin's.
  await expect(page.getByRole('button', { name: `Delete ${before}` })).toHaveCount(0);

  await pick(page, 'From', before);
  await pick(page, 'To', after);
  await expect(page).toHaveURL(/[?&]from=/);
  await expect(page).toHaveURL(/[?&]to=/);
  await expect(page.getByTestId('comparison-ends')).toContainText(`From ${before}`);
  await expect(page.getByTestId('comparison-ends')).toContainText(`to ${after}`);

  // The technique's row: improved, untested → validated, a score that rose.
  const row = page.getByTestId('compared-technique').filter({ hasText: TECHNIQUE }).first();
  await expect(row.getByTestId('classification')).toHaveText('Improved');
  await expect(row.getByTestId('status-move')).toContainText(/Untested.*Validated/);
  await expect(row.getByTestId('technique-delta')).toHaveText(/^\+\d+\.\d$/);
  await expect(row.getByRole('link', { name: TECHNIQUE })).toHaveAttribute(
    'href',
    `/techniques/${TECHNIQUE}`,
  );
  expect(
    Number(await page.getByTestId('total-improved').locator('span').last().textContent()),
  ).toBeGreaterThan(0);

  // The organisation's move can be recomputed from the working beside it.
  const working = (await page.getByTestId('org-move').getByTestId('score-working').textContent()) ?? '';
  const [, to, from, delta] = /^(\d+\.\d\d) − (\d+\.\d\d) = ([+−]?\d+\.\d\d)$/.exec(working) ?? [];
  expect(Number(to) - Number(from)).toBeCloseTo(Number(delta?.replace('−', '-')), 5);

  // Only the improved ones, from the totals; pressed again, every change.
  await page.getByTestId('total-improved').click();
  await expect(page).toHaveURL(/show=improved/);
  for (const label of await page.getByTestId('classification').allTextContents())
    expect(label).toBe('Improved');
  await page.getByTestId('total-improved').click();
  await expect(page).not.toHaveURL(/show=/);

  // The tactic chart's CSV holds exactly its table's numbers.
  const table = page.getByTestId('tactics-table');
  await table.locator('xpath=ancestor::details').locator('summary').click();
  const shown = await table
    .locator('tr')
    .evaluateAll((rows) =>
      rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => (c.textContent ?? '').trim())),
    );
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('tactics-csv').click(),
  ]);
  expect(download.suggestedFilename()).toBe('tactic-score-changes.csv');
  const csv = (await readFile(await download.path(), 'utf8')).trim().split('\r\n');
  expect(csv.map((line) => line.split(','))).toEqual(
    shown.map((cells) => cells.map((cell) => (cell === '—' ? '' : cell))),
  );
  expect(csv.length).toBeGreaterThan(10);

  // The trend has both snapshots.
  await expect(page.getByTestId('trend-chart')).toBeVisible();

  await page.setViewportSize({ width: 1440, height: 3000 });
  await page.screenshot({ path: test.info().outputPath('comparison.png'), fullPage: true });

  // The comparison as Navigator layers, and its changes on the matrix: the technique improved there too.
  const [layers] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('comparison-navigator').click(),
  ]);
  expect(layers.suggestedFilename()).toMatch(/^aegis-comparison-\d{8}\.json$/);
  const parsed = JSON.parse(await readFile(await layers.path(), 'utf8')) as Array<{ name: string }>;
  expect(parsed.map((l) => l.name)).toHaveLength(3);
  expect(parsed[2]?.name).toMatch(/^Aegis — Change: /);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('delta-on-matrix').click();
  await expect(page).toHaveURL(/\/matrix\?layer=snapshot-delta/);
  await expect(page.getByRole('heading', { level: 1, name: 'ATT&CK Matrix' })).toBeVisible();
});

test('an admin deletes a manual snapshot after confirming', async ({ browser, request }) => {
  const name = `Throwaway ${run}`;
  const res = await request.post('/api/v1/snapshots', {
    headers: await bearer(request, ADMIN),
    data: { name, note: '' },
  });
  expect(res.status(), await res.text()).toBe(201);
  const page = await openAs(browser, ADMIN);
  await openComparison(page);
  const row = page.getByTestId('snapshot-row').filter({ hasText: name });
  await row.getByRole('button', { name: `Delete ${name}` }).click();
  await row.getByRole('button', { name: 'Cancel' }).click();
  await row.getByRole('button', { name: `Delete ${name}` }).click();
  await row.getByRole('button', { name: `Confirm delete of ${name}` }).click();
  await expect(page.getByTestId('snapshot-row').filter({ hasText: name })).toHaveCount(0);
});

test('a viewer is refused the comparison, on the page and by the API', async ({ browser, request }) => {
  const viewer = await createUser(request, 'viewer', `sn${run}`);
  const page = await openAs(browser, viewer);
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Comparison' }),
  ).toHaveCount(0);
  await page.goto('/snapshots');
  await expect(page.getByRole('alert')).toHaveText('Only leads and admins can open this page.');
  await expect(page.getByRole('form', { name: 'Take a snapshot' })).toHaveCount(0);
  const res = await request.get('/api/v1/snapshots', { headers: await bearer(request, viewer) });
  expect(res.status()).toBe(403);
});

test('the comparison page has no WCAG 2.1 A/AA violations', async ({ browser, request }) => {
  const page = await openAs(browser, await lead(request));
  await openComparison(page);
  await takeSnapshot(page, `Accessibility ${run}`, '');
  await expect(page.getByTestId('org-move')).toBeVisible();
  await expect(page.getByTestId('trend-chart')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});
