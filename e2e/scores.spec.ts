import { readFile } from 'node:fs/promises';
import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { ADMIN } from './support/server';
import { type Account, apiToken, createUser, openAs } from './support/session';
import { validatedTest as validateTest } from './support/workflow';

const run = Date.now().toString(36);
/** Token Impersonation/Theft: Windows only, and no other journey tests it. */
const TECHNIQUE = 'T1134.001';

async function bearer(request: APIRequestContext, who: Account): Promise<Record<string, string>> {
  return { Authorization: `Bearer ${await apiToken(request, who.username, who.password)}` };
}

/**
 * A test of TECHNIQUE taken all the way to validated through the API (red executes on Windows now,
 * blue detects, both leads approve), then every score recomputed and awaited: the technique's
 * breakdown counts it.
 */
async function validatedTest(request: APIRequestContext): Promise<void> {
  const id = await validateTest(request, {
    technique: TECHNIQUE,
    title: `Steal a token ${run}`,
    platform: 'windows',
    tag: `sc${run}`,
    commands: 'incognito.exe list_tokens -u',
    executionStartedAt: new Date().toISOString(),
    toolResults: [{ tool: 'EDR', outcome: 'detected' }],
  });

  const admin = { Authorization: `Bearer ${await apiToken(request, ADMIN.username, ADMIN.password)}` };
  expect((await request.post('/api/v1/scores/recompute', { headers: admin, data: {} })).status()).toBe(202);
  await expect
    .poll(
      async () => {
        const res = await request.get(`/api/v1/scores/techniques/${TECHNIQUE}`, { headers: admin });
        if (!res.ok()) return [];
        const score = (await res.json()) as { components: { tests: { results: { id: string }[] } } };
        return score.components.tests.results.map((r) => r.id);
      },
      { timeout: 30_000, intervals: [250, 500, 1000] },
    )
    .toContain(id);
}

/** The scoring configuration as it is now (to put back after a journey changed it). */
async function currentConfig(request: APIRequestContext): Promise<{ version: number; values: unknown }> {
  const res = await request.get('/api/v1/scores/config', {
    headers: { Authorization: `Bearer ${await apiToken(request, ADMIN.username, ADMIN.password)}` },
  });
  expect(res.ok(), await res.text()).toBe(true);
  return (await res.json()) as { version: number; values: unknown };
}

const weight = (page: Page, name: string) => page.getByRole('spinbutton', { name, exact: true });
const WEIGHTS = [
  'Validated tests',
  'Detection rules',
  'D3FEND countermeasures',
  'Freshness',
  'Platform diversity',
];

test('an admin weighs the tests alone: the technique’s score follows, the version goes up, and back', async ({
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  await validatedTest(request);
  const original = await currentConfig(request);
  const admin = await openAs(browser, ADMIN);
  try {
    // The technique page: the score, its breakdown and the configuration version it used.
    await admin.goto(`/techniques/${TECHNIQUE}`);
    const panel = admin.getByTestId('technique-score');
    await expect(panel.getByTestId('counted-test')).toContainText(`Steal a token ${run}`);
    await expect(panel.getByTestId('counted-test')).toContainText('Detected');
    const before = await panel.getByTestId('own-score').textContent();
    const testsValue = Number(await panel.getByTestId('component-tests').locator('td').first().textContent());
    expect(testsValue).toBeGreaterThan(0);
    await expect(panel.getByTestId('score-config-version')).toHaveText(`v${original.version}`);

    // The admin page, from the navigation: tests 100, the others 0.
    await admin
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Scoring', exact: true })
      .click();
    await expect(admin.getByRole('heading', { level: 1, name: 'Scoring' })).toBeVisible();
    await expect(admin.getByTestId('config-version')).toHaveText(String(original.version));
    const originalWeights = await Promise.all(WEIGHTS.map((w) => weight(admin, w).inputValue()));

    await weight(admin, 'Validated tests').fill('100');
    // The sum is live; off 100 it is allowed, with a word on why.
    await expect(admin.getByTestId('weight-sum-warning')).toBeVisible();
    // A refused value is named next to its field, and nothing is saved.
    await weight(admin, 'Detection rules').fill('-5');
    await admin.getByRole('button', { name: 'Save and recompute' }).click();
    await expect(admin.getByText('the rules weight must be a whole number from 0 to 100')).toBeVisible();
    await expect(admin.getByTestId('config-version')).toHaveText(String(original.version));

    for (const w of WEIGHTS.slice(1)) await weight(admin, w).fill('0');
    await expect(admin.getByTestId('weight-sum')).toHaveText('100');
    await expect(admin.getByTestId('weight-sum-warning')).toHaveCount(0);
    await admin.getByRole('button', { name: 'Save and recompute' }).click();
    await expect(admin.getByTestId('config-version')).toHaveText(String(original.version + 1));
    await expect(admin.getByText(`Saved as version ${original.version + 1}`)).toBeVisible();
    await expect(admin.getByTestId('config-source').filter({ hasText: 'API' }).first()).toBeVisible();

    // The score is now the tests value alone, computed with the new version.
    await admin.goto(`/techniques/${TECHNIQUE}`);
    await expect(panel.getByTestId('score-config-version')).toHaveText(`v${original.version + 1}`);
    const expected = (100 * testsValue).toFixed(1);
    await expect(panel.getByTestId('own-score')).toHaveText(expected);
    expect(expected).not.toBe(before);
    await expect(panel.getByTestId('component-rules').locator('td').nth(1)).toHaveText('0');

    // Back to the weights it had, through the page.
    await admin.goto('/system/scoring');
    for (const [i, w] of WEIGHTS.entries()) await weight(admin, w).fill(originalWeights[i] ?? '');
    await admin.getByRole('button', { name: 'Save and recompute' }).click();
    await expect(admin.getByTestId('config-version')).toHaveText(String(original.version + 2));
    await admin.goto(`/techniques/${TECHNIQUE}`);
    await expect(panel.getByTestId('own-score')).toHaveText(before ?? '');
  } finally {
    // Whatever happened above, the next journeys score with the configuration they started with.
    const now = await currentConfig(request);
    if (JSON.stringify(now.values) !== JSON.stringify(original.values))
      await request.put('/api/v1/scores/config', {
        headers: { Authorization: `Bearer ${await apiToken(request, ADMIN.username, ADMIN.password)}` },
        data: original.values,
      });
  }
});

test('a viewer reads the organisation score, and the tactic table and CSV say what the chart says', async ({
  browser,
  request,
}) => {
  const admin = { Authorization: `Bearer ${await apiToken(request, ADMIN.username, ADMIN.password)}` };
  expect((await request.post('/api/v1/scores/recompute', { headers: admin, data: {} })).status()).toBe(202);
  await expect
    .poll(async () => {
      const res = await request.get('/api/v1/scores/organization', { headers: admin });
      return ((await res.json()) as { techniqueCount: number }).techniqueCount;
    })
    .toBeGreaterThan(0);
  const organization = (await (
    await request.get('/api/v1/scores/organization', { headers: admin })
  ).json()) as {
    score: { display: number };
    threatScore: { display: number };
  };

  const page = await openAs(browser, await createUser(request, 'viewer', `sc${run}`));
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Scores', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Scores' })).toBeVisible();
  await expect(page.getByTestId('organization-score')).toHaveText(organization.score.display.toFixed(1));
  await expect(page.getByTestId('organization-threat-score')).toHaveText(
    organization.threatScore.display.toFixed(1),
  );
  await expect(page.getByRole('button', { name: 'Recompute now' })).toHaveCount(0);

  // The chart's figures, tactic by tactic, are the table's.
  const bars = page.getByTestId('tactic-score-bar');
  await expect(bars.first()).toBeVisible();
  const chart = await bars.evaluateAll((els) =>
    els.map((el) => [
      el.querySelector('[data-testid=chart-tactic]')?.textContent,
      el.querySelector('[data-testid=chart-score]')?.textContent,
      el.querySelector('[data-testid=chart-threat-score]')?.textContent,
    ]),
  );
  expect(chart.length).toBeGreaterThanOrEqual(14);
  await page.getByText('Show as a table').click();
  const rows = page.getByTestId('tactic-score-row');
  await expect(rows.first()).toBeVisible();
  const table = await rows.evaluateAll((els) =>
    els.map((el) => [
      el.querySelector('[data-testid=table-tactic]')?.textContent,
      el.querySelector('[data-testid=table-score]')?.textContent,
      el.querySelector('[data-testid=table-threat-score]')?.textContent,
    ]),
  );
  expect(table).toEqual(chart);
  expect(chart.find(([tactic]) => tactic === 'Execution')?.[1]).toMatch(/^\d+\.\d$/);

  // The CSV holds exactly those numbers.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('tactic-scores.csv');
  const csv = (await readFile(await download.path(), 'utf8')).trim().split(/\r\n/).slice(1);
  expect(csv.map((line) => line.split(',').slice(-2))).toEqual(
    chart.map(([, score, threat]) => [score === '—' ? '' : score, threat === '—' ? '' : threat]),
  );
  expect(csv.map((line) => line.split(',')[0])).toEqual(chart.map(([tactic]) => tactic));

  // The techniques list, sorted by own score from the filter bar; the URL keeps it.
  await page.getByRole('combobox', { name: 'Sort' }).selectOption('ownScore:desc');
  await expect(page).toHaveURL(/sort=ownScore/);
  // The previous page stays on screen until the sorted one arrives: wait for it, then check the order.
  await expect
    .poll(async () => {
      const shown = (await page.getByTestId('row-own-score').allTextContents()).map(Number);
      return shown.length > 0 && shown.every((score, i) => i === 0 || (shown[i - 1] ?? 0) >= score);
    })
    .toBe(true);
});

test('a lead reads the scoring configuration but cannot change it; a viewer cannot reach it', async ({
  browser,
  request,
}) => {
  const lead = await openAs(browser, await createUser(request, 'blue_lead', `sc${run}`));
  const nav = lead.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await nav.getByRole('link', { name: 'Scoring', exact: true }).click();
  await expect(lead.getByRole('heading', { level: 1, name: 'Scoring' })).toBeVisible();
  await expect(lead.getByTestId('config-read-only')).toBeVisible();
  await expect(weight(lead, 'Validated tests')).toBeDisabled();
  await expect(weight(lead, 'Validated tests')).not.toHaveValue('');
  await expect(lead.getByRole('button', { name: 'Save and recompute' })).toHaveCount(0);
  // Leads may recompute the scores.
  await lead.goto('/scores');
  await lead.getByRole('button', { name: 'Recompute now' }).click();
  await expect(lead.getByText(/^Recompute (queued|done) at /)).toBeVisible();

  const viewerAccount = await createUser(request, 'viewer', `sc${run}`);
  const viewer = await openAs(browser, viewerAccount);
  await expect(
    viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scoring', exact: true }),
  ).toHaveCount(0);
  await viewer.goto('/system/scoring');
  await expect(viewer.getByRole('alert')).toHaveText('Only leads and admins can open this page.');
  await expect(viewer.getByRole('spinbutton')).toHaveCount(0);
  const res = await request.get('/api/v1/scores/config', { headers: await bearer(request, viewerAccount) });
  expect(res.status()).toBe(403);
});
