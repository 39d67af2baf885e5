import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { violations } from './support/axe';
import { draftTestOn } from './support/coverage';
import { ADMIN } from './support/server';
import { apiToken, signIn } from './support/session';

const SHOTS = 'test-results/matrix-layers';

const grid = (page: Page) => page.getByTestId('matrix-grid');
const cells = (page: Page) => grid(page).locator('li[data-attack-id]');
const layerSelect = (page: Page) => page.getByRole('combobox', { name: 'Layer' });

async function openMatrix(page: Page, search = ''): Promise<void> {
  await page.goto(`/matrix${search}`);
  // A score recompute running in the background (another journey's) can slow the first answer.
  await expect(page.getByTestId('matrix')).toBeVisible({ timeout: 30_000 });
}

/** The (technique, tactic) pairs the grid shows, in reading order. */
async function shownPairs(page: Page): Promise<string[]> {
  return cells(page).evaluateAll((els) =>
    els.map((el) => `${el.getAttribute('data-attack-id')}@${el.getAttribute('data-tactic')}`),
  );
}

test.beforeEach(async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
});

test('the full Enterprise matrix is interactive quickly, every tactic fits at 1440 px, and axe finds nothing', async ({
  page,
}) => {
  await draftTestOn(page.request, 'T1003.001');
  await openMatrix(page);
  // When the heatmap's answer arrived, and when the grid it makes was in the DOM.
  const [arrived, rendered] = (await page.evaluate(`[
    performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/v1/heatmap?')).at(-1)?.responseEnd ?? NaN,
    performance.getEntriesByName('aegis:matrix-rendered')[0]?.startTime ?? NaN,
  ]`)) as [number, number];
  await expect(page.getByTestId('tactic-column')).toHaveCount(14);
  // Fitted: the last tactic's column ends inside the viewport, no sideways scroll.
  const box = await page.getByTestId('tactic-column').last().boundingBox();
  expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(1440);

  // Hover: the tooltip follows without re-rendering the grid.
  const hoverMs = (await page.evaluate(`(async () => {
    const cell = document.querySelector('[data-attack-id="T1003"] button[data-key]');
    const start = performance.now();
    cell.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
    await new Promise(requestAnimationFrame);
    return performance.now() - start;
  })()`)) as number;
  await expect(page.getByRole('tooltip')).toContainText('OS Credential Dumping');
  const expandMs = (await page.evaluate(`(async () => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.startsWith('Expand all'));
    const start = performance.now();
    button.click();
    await new Promise(requestAnimationFrame);
    await new Promise(requestAnimationFrame);
    return performance.now() - start;
  })()`)) as number;
  const total = await cells(page).count();
  const figures =
    `matrix: data at ${arrived.toFixed(0)} ms, rendered at ${rendered.toFixed(0)} ms after navigation start (${(rendered - arrived).toFixed(0)} ms to render); hover→tooltip ${hoverMs.toFixed(1)} ms; ` +
    `expand all (${total} cells) ${expandMs.toFixed(0)} ms`;
  test.info().annotations.push({ type: 'performance', description: figures });
  process.stdout.write(`${figures}\n`);
  await page.getByRole('button', { name: 'Collapse all' }).click();
  expect(await violations(page)).toEqual([]);
});

test('layers switch coverage → score → actor G0016, with a legend; screenshots of each', async ({ page }) => {
  // Scores for every technique, so the score and actor layers have colours.
  const admin = { Authorization: `Bearer ${await apiToken(page.request, ADMIN.username, ADMIN.password)}` };
  expect((await page.request.post('/api/v1/scores/recompute', { headers: admin, data: {} })).status()).toBe(
    202,
  );
  await expect
    .poll(
      async () => {
        const res = await page.request.get('/api/v1/heatmap?layer=score', { headers: admin });
        const body = (await res.json()) as { techniques: { color: string | null }[] };
        return body.techniques.filter((t) => t.color).length;
      },
      { timeout: 30_000, intervals: [500, 1000] },
    )
    .toBeGreaterThan(0);
  await openMatrix(page);
  await expect(page.getByTestId('layer-legend')).toContainText('Validated');
  await page.screenshot({ path: `${SHOTS}/coverage.png` });

  await layerSelect(page).selectOption('score');
  await expect(page).toHaveURL(/layer=score/);
  await expect(page.getByRole('img', { name: 'Gradient from 0 to 100' })).toBeVisible();
  await expect(page.getByTestId('layer-legend')).toContainText('Score');
  await page.screenshot({ path: `${SHOTS}/score.png` });

  await layerSelect(page).selectOption('actor');
  await page.getByRole('searchbox', { name: 'Search threat actors' }).fill('G0016');
  const actor = page.getByRole('combobox', { name: 'Threat actor' });
  await expect(actor.locator('option', { hasText: 'G0016' })).toHaveCount(1);
  await actor.selectOption('G0016');
  await expect(page).toHaveURL(/layer=actor%3AG0016|layer=actor:G0016/);
  await expect(page.getByTestId('layer-legend')).toContainText('Threat actor');
  // APT29 uses Phishing (T1566) directly; the cell says so and unused ones are empty.
  const used = await page.request.get('/api/v1/heatmap?layer=actor:G0016').then((r) => r.json());
  const marked = (
    used as { techniques: { attackId: string; color: string | null; isSubtechnique: boolean }[] }
  ).techniques.filter((t) => t.color && !t.isSubtechnique);
  expect(marked.length).toBeGreaterThan(0);
  const first = marked[0]?.attackId as string;
  await expect(
    cells(page)
      .filter({ has: page.locator(`[aria-label^="${first} "]`) })
      .first(),
  ).toHaveAttribute('style', /background/);
  await page.screenshot({ path: `${SHOTS}/actor.png` });
  expect(await violations(page)).toEqual([]);
});

test('a tactic filter keeps one column, in the URL; the CSV export is exactly the cells shown', async ({
  page,
}) => {
  await openMatrix(page);
  await page.getByRole('combobox', { name: 'Tactic' }).selectOption('credential-access');
  await expect(page).toHaveURL(/tactic=credential-access/);
  await expect(page.getByTestId('tactic-column')).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('tactic-column')).toHaveCount(1);
  await expect(page.getByRole('combobox', { name: 'Tactic' })).toHaveValue('credential-access');

  await page.getByRole('searchbox', { name: 'Search techniques and sub-techniques' }).fill('memory');
  await expect(page.getByTestId('match-count')).toContainText('match');
  const shown = await shownPairs(page);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'CSV', exact: true }).click();
  const csv = await readFile(await (await download).path(), 'utf8');
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe('attackId,name,tactic,value,label,colour');
  expect(lines.slice(1).map((l) => `${l.split(',')[0]}@${l.split(',').at(-4)}`)).toEqual(shown);
  expect(lines).toHaveLength(shown.length + 1);
});

test('searching "LSASS" finds T1003.001, scrolls it into view and can show only the matches', async ({
  page,
}) => {
  await openMatrix(page);
  await page.getByRole('searchbox', { name: 'Search techniques and sub-techniques' }).fill('LSASS');
  const lsass = grid(page).locator('li[data-attack-id="T1003.001"]');
  await expect(lsass).toHaveAttribute('data-match', 'true');
  await expect(lsass).toBeInViewport();
  // LSASS Memory, and LSASS Driver (T1547.008) under persistence and privilege escalation.
  await expect(page.getByTestId('match-count')).toHaveText('3 matches');
  await page.getByRole('checkbox', { name: 'Show only matches' }).check();
  await expect(page).toHaveURL(/only=true/);
  expect(await shownPairs(page)).toEqual([
    'T1547@persistence',
    'T1547.008@persistence',
    'T1547@privilege-escalation',
    'T1547.008@privilege-escalation',
    'T1003@credential-access',
    'T1003.001@credential-access',
  ]);
});

test('keyboard: one Tab reaches the grid, arrows move, Enter opens the panel with the cell’s detail', async ({
  page,
}) => {
  await openMatrix(page);
  const inGrid = async () => (await grid(page).locator(':focus').count()) === 1;
  const focused = async () => (await page.locator(':focus').getAttribute('aria-label')) ?? '';
  await page.getByRole('button', { name: 'CSV', exact: true }).focus();
  await page.keyboard.press('Tab');
  expect(await inGrid()).toBe(true);
  expect(await focused()).toMatch(/^T1595 Active Scanning, Reconnaissance: /);
  await page.keyboard.press('Tab');
  expect(await inGrid()).toBe(false);
  await page.keyboard.press('Shift+Tab');
  expect(await focused()).toMatch(/^T1595 /);

  await page.keyboard.press('ArrowDown');
  expect(await focused()).toMatch(/, Reconnaissance: /);
  expect(await focused()).not.toMatch(/^T1595 /);
  await page.keyboard.press('ArrowRight');
  expect(await focused()).toMatch(/, Resource Development: /);
  await page.keyboard.press('End');
  expect(await focused()).toMatch(/, Impact: /);
  await page.keyboard.press('Home');
  const label = await focused();
  expect(label).toMatch(/, Reconnaissance: /);
  expect(await page.locator('[data-key][tabindex="0"]').count()).toBe(1);

  await page.keyboard.press('Enter');
  const panel = page.getByTestId('cell-panel');
  await expect(panel).toBeVisible();
  const name = label.split(',')[0]?.replace(/^T\d+(\.\d+)? /, '') as string;
  await expect(panel.getByRole('heading', { level: 2 })).toContainText(name);
  const attackId = label.split(' ')[0] as string;
  const heatmap = await page.request.get('/api/v1/heatmap').then((r) => r.json());
  const detail = (heatmap as { techniques: { attackId: string; detail: string }[] }).techniques.find(
    (t) => t.attackId === attackId,
  )?.detail;
  await expect(panel.getByTestId('cell-detail')).toHaveText(detail as string);
  expect(await violations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
  expect(await focused()).toBe(label);
});

test('multi-select with ctrl and shift click, with a count and clear', async ({ page }) => {
  await openMatrix(page, '?tactic=execution');
  const buttons = grid(page).locator('button[data-key]');
  await buttons.nth(0).click({ modifiers: ['Control'] });
  await buttons.nth(3).click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('selection')).toContainText('4 selected');
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(page.getByTestId('selection')).toHaveCount(0);
});

test('the Navigator export downloads a layer with the same filters', async ({ page }) => {
  await openMatrix(page, '?layer=score&tactic=execution');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Navigator JSON' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^aegis-score-\d{8}\.json$/);
  const layer = JSON.parse(await readFile(await file.path(), 'utf8')) as {
    versions: { layer: string };
    techniques: { techniqueID: string; tactic: string }[];
  };
  expect(layer.versions.layer).toBe('4.5');
  expect(layer.techniques.length).toBeGreaterThan(0);
  expect(new Set(layer.techniques.map((t) => t.tactic))).toEqual(new Set(['execution']));
});

test('an empty domain says how to import it', async ({ page }) => {
  await openMatrix(page);
  await page.getByRole('button', { name: 'Mobile' }).click();
  await expect(page).toHaveURL(/domain=mobile-attack/);
  await expect(page.getByText(/No ATT&CK Mobile data is loaded/)).toBeVisible();
});
