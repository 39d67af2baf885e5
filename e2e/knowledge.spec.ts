import { type Browser, expect, type Page, test } from '@playwright/test';
import { coverageGroup, expectTechniqueCounts } from './support/coverage';
import { ADMIN } from './support/server';
import { apiToken, signIn } from './support/session';

const run = Date.now().toString(36);
const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/** A new user with `role`, created through the API with the admin's token. */
async function createUser(browser: Browser, role: 'red_lead' | 'viewer') {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const token = await apiToken(context.request, ADMIN.username, ADMIN.password);
  const account = { username: `${role.replace('_', '')}k${run}`, password: 'Knowledge-Passw0rd!' };
  const res = await context.request.post('/api/v1/users', {
    headers: { Authorization: `Bearer ${token}` },
    data: { ...account, email: `${account.username}@example.com`, displayName: `${role} ${run}`, role },
  });
  expect(res.status(), await res.text()).toBe(201);
  await context.close();
  return account;
}

test('software: search Mimikatz, see its techniques with coverage and the groups using it', async ({
  page,
}) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await expect(nav(page).getByTestId('nav-section-Threat Actors')).toBeVisible();
  await nav(page).getByRole('link', { name: 'Software', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Software' })).toBeVisible();
  await expect(page.getByTestId('software-row').first()).toBeVisible();

  // The type filter: only malware, then back to both.
  const rows = page.getByTestId('software-row');
  await page.getByLabel('Type').selectOption('malware');
  await expect(rows.first()).toContainText('Malware');
  await expect(rows.locator('td:nth-child(2)').filter({ hasText: /^Tool$/ })).toHaveCount(0);
  await page.getByLabel('Type').selectOption('');

  await page.getByLabel('Search').fill('Mimikatz');
  await expect(rows.filter({ hasText: 'S0002' })).toHaveCount(1);
  await expect(rows.filter({ hasNotText: /mimikatz/i })).toHaveCount(0);
  await expect(rows.first()).toContainText('Tool');
  await rows.filter({ hasText: 'S0002' }).getByRole('link', { name: 'Mimikatz' }).click();

  await expect(page).toHaveURL(/\/software\/S0002$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Mimikatz' })).toBeVisible();
  await expect(page.getByText('Tool · Windows')).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Techniques \(\d+\)$/ })).toBeVisible();
  const techniques = page.getByTestId('technique-use');
  expect(await techniques.count()).toBeGreaterThan(5);
  await expect(techniques.filter({ hasText: 'T1003.006' })).toContainText('DCSync');
  await expect(techniques.first()).toContainText(/Validated|Partial|Not covered|In progress|Untested/);
  // The counts are the server's, of Mimikatz's in-scope techniques.
  const mimikatz = (await (await page.request.get('/api/v1/software/S0002')).json()) as { id: string };
  await expectTechniqueCounts(
    page,
    await coverageGroup(page.request, { by: 'software', key: mimikatz.id }),
    await techniques.count(),
  );

  // Campaigns are told apart from groups, each with its own list and pages.
  await expect(
    page.getByTestId('related-campaign').getByRole('link', { name: 'SolarWinds Compromise' }),
  ).toBeVisible();
  const groups = page.getByTestId('related-group');
  await expect(groups.getByText(/^C\d{4}$/)).toHaveCount(0);
  await groups.getByRole('link', { name: 'APT29', exact: true }).click();
  await expect(page).toHaveURL(/\/threat-actors\/G0016$/);
  await expect(page.getByRole('heading', { level: 1, name: 'APT29' })).toBeVisible();
  await expect(page.getByTestId('actor-technique').first()).toBeVisible();

  // The group's software and campaigns lead to their pages.
  await page.getByTestId('related-software').getByRole('link', { name: 'Mimikatz' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mimikatz' })).toBeVisible();
});

test('intrusion campaigns: open SolarWinds Compromise, its techniques and the group it is attributed to', async ({
  page,
}) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await nav(page).getByRole('link', { name: 'Intrusion campaigns' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Intrusion campaigns' })).toBeVisible();
  await page.getByLabel('Search').fill('SolarWinds');
  const row = page.getByTestId('intrusion-row').filter({ hasText: 'C0024' });
  await expect(row).toContainText('August 2019');
  await row.getByRole('link', { name: 'SolarWinds Compromise' }).click();

  await expect(page).toHaveURL(/\/intrusions\/C0024$/);
  await expect(page.getByRole('heading', { level: 1, name: 'SolarWinds Compromise' })).toBeVisible();
  await expect(page.getByText(/First seen August 2019 · last seen January 2021/)).toBeVisible();
  const techniques = page.getByTestId('technique-use');
  await expect(techniques.first()).toBeVisible();
  expect(await techniques.count()).toBeGreaterThan(30);

  // Sorted by name, then narrowed to one coverage status.
  await page.getByRole('button', { name: /^Technique/ }).click();
  const names = await techniques.getByRole('link').allTextContents();
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
  await page.getByRole('button', { name: /^Untested/ }).click();
  await expect(techniques.filter({ hasNotText: 'Untested' })).toHaveCount(0);

  await expect(page.getByTestId('related-software').getByRole('link', { name: 'SUNBURST' })).toBeVisible();
  await page.getByTestId('related-group').getByRole('link', { name: 'APT29' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'APT29' })).toBeVisible();
  await page.getByTestId('related-campaign').getByRole('link', { name: 'SolarWinds Compromise' }).click();
  await expect(page).toHaveURL(/\/intrusions\/C0024$/);

  // A technique links back to its page, which lists the campaign among those using it.
  await techniques.first().getByRole('link').click();
  await expect(page).toHaveURL(/\/techniques\/T\d{4}/);
  await expect(page.getByRole('heading', { name: /^Intrusion campaigns \([1-9]\d*\)$/ })).toBeVisible();
});

test('a red lead edits a technique’s notes; a viewer reads them without an edit action', async ({
  browser,
}) => {
  const lead = await createUser(browser, 'red_lead');
  const viewer = await createUser(browser, 'viewer');
  const marker = `lsass-${run}`;

  const leadContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await leadContext.newPage();
  await signIn(page, lead.username, lead.password);
  await page.goto('/techniques/T1003');
  await expect(page.getByRole('heading', { level: 1, name: 'OS Credential Dumping' })).toBeVisible();
  const notes = page.getByRole('region', { name: 'Our notes' });
  await notes.getByRole('button', { name: /^(Add|Edit) notes$/ }).click();
  const field = notes.getByLabel('Notes (Markdown)');
  await expect(field).toBeFocused();
  await field.fill(`Alert on **${marker}** access.\n\n- runbook RB-12\n<script>window.pwned = 1</script>`);
  await notes.getByRole('button', { name: 'Save notes' }).click();
  await expect(notes.getByRole('status')).toHaveText('Notes saved.');
  await expect(notes.locator('strong', { hasText: marker })).toBeVisible();
  await expect(notes.getByRole('button', { name: 'Edit notes' })).toBeFocused();

  await page.reload();
  await expect(notes.locator('strong', { hasText: marker })).toBeVisible();
  await expect(notes.getByRole('listitem')).toHaveText('runbook RB-12');
  await expect(notes.locator('script')).toHaveCount(0);
  expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();

  // Too long for the contract: said next to the field, and nothing is sent.
  await notes.getByRole('button', { name: 'Edit notes' }).click();
  await field.fill('x'.repeat(20_001));
  await expect(notes.getByText('Notes can be at most 20,000 characters.')).toBeVisible();
  await expect(notes.getByRole('button', { name: 'Save notes' })).toBeDisabled();
  await notes.getByRole('button', { name: 'Cancel' }).click();
  await expect(notes.locator('strong', { hasText: marker })).toBeVisible();
  await leadContext.close();

  const viewerContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const reader = await viewerContext.newPage();
  await signIn(reader, viewer.username, viewer.password);
  await reader.goto('/techniques/T1003');
  const readerNotes = reader.getByRole('region', { name: 'Our notes' });
  await expect(readerNotes.locator('strong', { hasText: marker })).toBeVisible();
  await expect(readerNotes.getByRole('button')).toHaveCount(0);
  await expect(reader.getByRole('form', { name: 'Edit notes' })).toHaveCount(0);
  await viewerContext.close();
});

test('the knowledge pages fit a 1280×800 screen and are usable by keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/intrusions/C0024');
  await expect(page.getByTestId('technique-use').first()).toBeVisible();
  const overflow = await page.locator('html').evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The coverage filters are reached with Tab and toggled with Enter.
  const untested = page.getByRole('button', { name: /^Untested/ });
  await page.getByRole('link', { name: 'Intrusion campaigns' }).last().focus();
  for (let i = 0; i < 80 && !(await untested.evaluate((el) => el.matches(':focus'))); i++)
    await page.keyboard.press('Tab');
  await expect(untested).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(untested).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Enter');
  await expect(untested).toHaveAttribute('aria-pressed', 'false');

  // An unknown id is explained in words.
  await page.goto('/software/S9999');
  await expect(page.getByRole('alert')).toContainText('The software could not be loaded.');
  await expect(page.getByRole('alert')).toContainText('Not found');
});
