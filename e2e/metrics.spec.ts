import { type APIRequestContext, expect, type Locator, type Page, test } from '@playwright/test';
import { violations } from './support/axe';
import { asCsv, csvRows, tableRows } from './support/charts';
import { type Account, apiToken, createUser, openAs, openFromNavigation } from './support/session';
import { validatedTest } from './support/workflow';

const run = Date.now().toString(36);
/** LSASS Memory on Windows; a test without a template is a procedure of its own, so it always counts. */
const TECHNIQUE = 'T1003.001';

/**
 * A validated test, executed ten minutes ago and detected by the EDR `after` ms later (by default
 * five minutes: TTD 300 s; a negative `after` is a data error the metrics leave out).
 */
async function detectedTest(
  request: APIRequestContext,
  { after = 300_000, title = `Dump LSASS ${run}` } = {},
): Promise<string> {
  const started = Date.now() - 10 * 60_000;
  const detectedAt = new Date(started + after).toISOString();
  return validatedTest(request, {
    technique: TECHNIQUE,
    title,
    platform: 'windows',
    tag: `mt${run}`,
    commands: 'procdump.exe -ma lsass.exe lsass.dmp',
    executionStartedAt: new Date(started).toISOString(),
    toolResults: [{ tool: `EDR ${run}`, outcome: 'detected', detectedAt }],
    detectedAt,
  });
}

const lead = (request: APIRequestContext) => createUser(request, 'blue_lead', `mt${run}`);

/** The executive page from the navigation, once its figures are there. */
async function openExecutive(page: Page): Promise<void> {
  await openFromNavigation(page, 'Executive Dashboard');
  await expect(page.getByTestId('exec-efficacy')).toBeVisible();
}

const count = async (locator: Locator, pattern: RegExp): Promise<number> =>
  Number(pattern.exec((await locator.textContent()) ?? '')?.[1] ?? 0);

test('a lead validates a detected test and the executive dashboard counts it', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const page = await openAs(browser, await lead(request));
  await openExecutive(page);
  // "3 of 4 results" or "no results in the period"; "1 detection; median …".
  const efficacyBasis = page.getByTestId('efficacy-basis');
  const mttdBasis = page.getByTestId('mttd-basis');
  const resultsBefore = await count(efficacyBasis, /of (\d+) results/);
  const detectionsBefore = await count(mttdBasis, /^(\d+) detections?;/);

  await detectedTest(request);
  await page.reload();
  await expect(efficacyBasis).toHaveText(new RegExp(` of ${resultsBefore + 1} results$`));
  await expect(mttdBasis).toHaveText(new RegExp(`^${detectionsBefore + 1} detections?;`));
  // Its EDR is a tool of its own: one detection, 5.0 minutes, in the per-tool table.
  expect(await tableRows(page, 'tools-table')).toContainEqual([`EDR ${run}`, '5.0', '5.0', '1']);
  // A first detection is a low sample, and says so.
  if (detectionsBefore + 1 < 5)
    await expect(page.getByTestId('exec-mttd').getByTestId('low-sample')).toBeVisible();

  // The organisation score's trend is drawn from the period's snapshots: take one, and it is there.
  const account = await lead(request);
  const token = await apiToken(request, account.username, account.password);
  const snap = await request.post('/api/v1/snapshots', {
    headers: { Authorization: `Bearer ${token}` },
    data: { name: `Executive ${run}` },
  });
  expect(snap.status(), await snap.text()).toBe(201);
  await page.reload();
  await expect(page.getByTestId('exec-score-trend')).toBeVisible();
  const trend = await tableRows(page, 'exec-score-trend-table');
  expect(trend.length).toBeGreaterThan(0);
  expect(trend.at(-1)?.[1]).toBe('Manual');

  // For the record: the page as shown and as printed.
  await page.setViewportSize({ width: 1440, height: 3200 });
  await page.screenshot({ path: test.info().outputPath('executive.png') });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: test.info().outputPath('executive-print.png'), fullPage: true });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
});

test('a viewer is refused the executive dashboard, on the page and by the API', async ({
  browser,
  request,
}) => {
  const viewer: Account = await createUser(request, 'viewer', `mt${run}`);
  const page = await openAs(browser, viewer);
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Executive Dashboard' }),
  ).toHaveCount(0);
  await page.goto('/executive');
  await expect(page.getByRole('alert')).toHaveText('Only leads and admins can open this page.');
  await expect(page.getByTestId('exec-efficacy')).toHaveCount(0);
  const token = await apiToken(request, viewer.username, viewer.password);
  const res = await request.get('/api/v1/metrics/executive', {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(res.status()).toBe(403);
  // The dashboard's summary is everyone's.
  await page.goto('/');
  await expect(page.getByTestId('metrics-summary')).toBeVisible();
});

test('each chart’s CSV holds exactly the numbers of its table', async ({ browser, request }) => {
  await detectedTest(request);
  const page = await openAs(browser, await lead(request));
  await openExecutive(page);
  for (const [name, filename] of [
    ['trend', 'weekly-trend.csv'],
    ['tools', 'mttd-per-tool.csv'],
  ] as const) {
    const table = await tableRows(page, `${name}-table`);
    expect(table.length, name).toBeGreaterThan(0);
    const csv = await csvRows(page, page.getByTestId(`${name}-csv`), filename);
    expect(csv, name).toEqual(asCsv(table));
  }
  // The trend follows the period: 90 days are 12 weeks and 6 days, so 13 or 14 ISO weeks (part weeks
  // at either end count).
  const weeks = await tableRows(page, 'trend-table');
  expect(weeks.length).toBeGreaterThanOrEqual(13);
  expect(weeks.length).toBeLessThanOrEqual(14);
  expect(weeks.at(-1)?.[3]).not.toBe('0');
  const trendTitle = page.locator('#exec-trend-title');
  await expect(trendTitle).toHaveText('Weekly trend, last 90 days');

  // The period picker: the URL keeps the choice, the figures and the trend say which period they are.
  const period = page.getByRole('combobox', { name: 'Period' });
  await period.selectOption('365');
  await expect(page).toHaveURL(/days=365/);
  await expect(page.getByTestId('executive-period')).toContainText('Last 365 days');
  await expect(trendTitle).toHaveText('Weekly trend, last 365 days');
  // 52 weeks and a day: 53 or 54 ISO weeks.
  await expect.poll(async () => (await tableRows(page, 'trend-table')).length).toBeGreaterThanOrEqual(53);
  expect((await tableRows(page, 'trend-table')).length).toBeLessThanOrEqual(54);
  // A month is too short for a line: the trend keeps twelve weeks.
  await period.selectOption('30');
  await expect(trendTitle).toHaveText('Weekly trend, last 12 weeks');
  await expect.poll(async () => (await tableRows(page, 'trend-table')).length).toBeLessThanOrEqual(13);
  expect((await tableRows(page, 'trend-table')).length).toBeGreaterThanOrEqual(12);
  await period.selectOption('365');
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Period' })).toHaveValue('365');
});

test('a detection recorded before its execution is left out of MTTD and listed for the leads', async ({
  browser,
  request,
}) => {
  const title = `Clock skew ${run}`;
  const id = await detectedTest(request, { after: -60_000, title });
  const page = await openAs(browser, await lead(request));
  await openExecutive(page);
  const row = page.getByTestId('integrity-row').filter({ hasText: title }).first();
  await expect(row).toContainText('MTTD');
  await expect(row).toContainText('Ends before it starts');
  await expect(row.locator('td').last()).toHaveText('-60.0');
  await expect(row.getByRole('link', { name: title })).toHaveAttribute('href', `/tests/${id}`);
});

test('the executive page and the dashboard’s metrics have no WCAG 2.1 A/AA violations', async ({
  browser,
  request,
}) => {
  const page = await openAs(browser, await lead(request));
  await openExecutive(page);
  await expect(page.getByTestId('trend-chart')).toBeVisible();
  await expect(page.getByText('Loading the data integrity report…')).toHaveCount(0);
  expect(await violations(page)).toEqual([]);

  await page.goto('/');
  await expect(page.getByTestId('metrics-summary').locator('[aria-busy="false"]')).toBeVisible();
  expect(await violations(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('dashboard.png') });
});
