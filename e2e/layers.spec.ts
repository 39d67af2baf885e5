import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { violations } from './support/axe';
import { createUser, openAs } from './support/session';

const run = Date.now().toString(36);
const RED_PINS = path.resolve(
  import.meta.dirname,
  '../../shared/data/navigator/samples/ATTACKcon 2018/Red_Pins.json',
);

/** The Claimed layers page from the navigation. */
async function openLayers(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Claimed layers', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Claimed layers' })).toBeVisible();
  await expect(page.getByText('Loading the layers…')).toHaveCount(0);
}

const fileField = (page: Page) => page.getByLabel(/^Layer file/);
const count = (scope: Locator, key: string) => scope.getByTestId(`count-${key}`).locator('dd');

/** The whole page at 1440 px wide (the shell scrolls inside, so a tall viewport instead of fullPage). */
async function screenshot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1440, height: 2400 });
  await page.screenshot({ path: test.info().outputPath(name) });
  await page.setViewportSize({ width: 1440, height: 900 });
}

async function preview(page: Page, file: Parameters<Locator['setInputFiles']>[0]): Promise<void> {
  await fileField(page).setInputFiles(file);
  await page.getByRole('form', { name: 'Import a layer' }).getByRole('button', { name: 'Preview' }).click();
}

test('a lead previews a Navigator layer, applies it, opens it, and deletes it; a viewer only reads', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const [leadAccount, viewerAccount] = await Promise.all([
    createUser(request, 'blue_lead', `ly${run}`),
    createUser(request, 'viewer', `ly${run}`),
  ]);
  const page = await openAs(browser, leadAccount, { width: 1440, height: 900 });
  await openLayers(page);

  // A file that is not JSON is refused in words, next to the file field; nothing is previewed.
  await preview(page, {
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('these are notes, not a layer'),
  });
  await expect(page.getByTestId('file-error')).toContainText('The file is not JSON');
  await expect(fileField(page)).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('import-preview')).toHaveCount(0);

  // The second layer of an array without a name: the field is named as the server names it.
  const two = [{ name: 'One', domain: 'enterprise-attack', techniques: [] }, { domain: 'enterprise-attack' }];
  await preview(page, {
    name: 'two.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(two)),
  });
  await expect(page.getByTestId('file-error')).toHaveText('file[1].name is required: a layer has a name.');

  // The real ATTACKcon 2018 pins: the preview counts of analysis spec §3.6, nothing written yet.
  await preview(page, RED_PINS);
  const shown = page.getByTestId('layer-preview');
  await expect(shown.getByRole('heading', { level: 3, name: 'Red Pins' })).toBeVisible();
  await expect(page.getByTestId('file-error')).toHaveCount(0);
  await expect(shown.getByTestId('layer-description')).toHaveText(
    /least likely\s+ATT&CK technique to\s+be seen/,
  );
  await expect(count(shown, 'entries')).toHaveText('24');
  await expect(count(shown, 'active')).toHaveText('13');
  await expect(count(shown, 'revoked')).toHaveText('10');
  await expect(count(shown, 'deprecated')).toHaveText('1');
  await expect(count(shown, 'unknown')).toHaveText('0');
  await expect(count(shown, 'tacticDropped')).toHaveText('2');
  await expect(count(shown, 'collisions')).toHaveText('1');
  await expect(page.getByTestId('import-status')).toContainText(
    'Preview of Red_Pins.json: 1 layer. Red Pins: 24 entries',
  );
  // T1024 and T1079 both land on T1573: the collision names the entry and its chain.
  const collision = shown.locator('[data-code="DUPLICATE_AFTER_RESOLUTION"]');
  await expect(collision.getByTestId('warning-chain')).toHaveText(/^T10(24|79) → T1573$/);
  await expect(shown.locator('[data-code="TECHNIQUE_DEPRECATED"]')).toContainText('T1062');
  await expect(
    shown.getByRole('region', { name: 'Unresolved entries of Red Pins' }).getByTestId('claimed-item'),
  ).toHaveCount(1);
  expect(await violations(page)).toEqual([]);
  await screenshot(page, 'layers-preview.png');

  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('import-status')).toContainText(
    'Imported Red_Pins.json. Red Pins: 24 entries',
  );
  await expect(page.getByTestId('import-preview')).toHaveCount(0);
  const opened = page.getByRole('link', { name: 'Red Pins', exact: true }).first();
  const href = (await opened.getAttribute('href')) ?? '';
  const id = href.replace('/layers/', '');
  expect(id).toMatch(/^[0-9a-f-]{36}$/);

  // Listed with its counts, newest first.
  const row = page.getByTestId('layer-row').filter({ has: page.locator(`a[href="/layers/${id}"]`) });
  await expect(row.getByTestId('layer-file')).toHaveText('Red_Pins.json');
  await expect(row.getByTestId('layer-release')).toHaveText(
    'Resolved against ATT&CK 18.1 (enterprise-attack)',
  );
  await expect(row.getByTestId('layer-count-entries')).toHaveText('24');
  await expect(row.getByTestId('layer-count-revoked')).toHaveText('10');
  await expect(row.getByTestId('layer-count-collisions')).toHaveText('1');
  expect(await violations(page)).toEqual([]);
  await screenshot(page, 'layers-list.png');

  // On the matrix, as the claimed heatmap layer.
  await row.getByRole('link', { name: 'claimed by Red Pins' }).click();
  await expect(page).toHaveURL(new RegExp(`/matrix\\?layer=claimed(%3A|:)${id}$`));
  await expect(page.getByRole('heading', { level: 1, name: 'ATT&CK Matrix' })).toBeVisible();
  await page.goBack();
  await expect(row.getByRole('link', { name: 'claimed vs validated for Red Pins' })).toHaveAttribute(
    'href',
    new RegExp(`/matrix\\?layer=claimed-vs-validated(%3A|:)${id}$`),
  );

  // A viewer reads the list, and is offered no import, re-resolve or delete.
  const viewer = await openAs(browser, viewerAccount, { width: 1440, height: 900 });
  await openLayers(viewer);
  await expect(viewer.locator(`a[href="/layers/${id}"]`)).toBeVisible();
  await expect(viewer.getByRole('form', { name: 'Import a layer' })).toHaveCount(0);
  await expect(viewer.getByRole('button', { name: /^(Delete|Re-resolve) / })).toHaveCount(0);
  expect(await violations(viewer)).toEqual([]);
  await viewer.context().close();

  // The layer itself: its entries, filtered to the revoked ones, each with where it landed.
  await row.getByRole('link', { name: 'Red Pins', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Red Pins' })).toBeVisible();
  await expect(count(page.getByTestId('layer-counts'), 'entries')).toHaveText('24');
  await page.getByLabel('Resolution').selectOption('revoked');
  await expect(page).toHaveURL(/resolution=revoked/);
  await expect(page.getByTestId('claimed-item')).toHaveCount(10);
  await expect(page.getByTestId('item-chain').filter({ hasText: /^T1024 → T1573$/ })).toHaveCount(1);
  await screenshot(page, 'layer-detail.png');
  expect(await violations(page)).toEqual([]);

  await page.getByRole('button', { name: 'Re-resolve Red Pins' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'resolved again against ATT&CK 18.1' }),
  ).toBeVisible();

  await page.getByRole('button', { name: 'Delete Red Pins' }).click();
  await page.getByRole('button', { name: 'Confirm delete of Red Pins' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Claimed layers' })).toBeVisible();
  await expect(page.locator(`a[href="/layers/${id}"]`)).toHaveCount(0);
});

test('a layer exported from the matrix imports back as a claim: every entry active, no warning', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const page = await openAs(browser, await createUser(request, 'red_lead', `lx${run}`), {
    width: 1440,
    height: 900,
  });
  await page.goto('/matrix?layer=coverage&tactic=execution');
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Navigator JSON' }).click();
  const file = await download;
  const exported = JSON.parse(await readFile(await file.path(), 'utf8')) as { techniques: unknown[] };
  expect(exported.techniques.length).toBeGreaterThan(0);

  await page.goto('/');
  await openLayers(page);
  await preview(page, await file.path());
  const shown = page.getByTestId('layer-preview');
  await expect(shown.getByRole('heading', { level: 3, name: 'Aegis — Coverage' })).toBeVisible();
  const n = String(exported.techniques.length);
  await expect(count(shown, 'entries')).toHaveText(n);
  await expect(count(shown, 'active')).toHaveText(n);
  for (const key of ['revoked', 'deprecated', 'unknown', 'collisions'])
    await expect(count(shown, key)).toHaveText('0');
  await expect(shown.getByTestId('warning-group')).toHaveCount(0);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('import-status')).toContainText('Aegis — Coverage');
});
