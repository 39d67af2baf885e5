import { expect, test } from '@playwright/test';
import { ADMIN } from './support/server';
import { apiToken, signIn } from './support/session';

const run = Date.now().toString(36);

test('the tests list renders only the rows in view and loads the rest as it scrolls', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const token = await apiToken(request, ADMIN.username, ADMIN.password);
  const headers = { Authorization: `Bearer ${token}` };
  const account = { username: `lister${run}`, password: 'Lister-Passw0rd!' };
  const created = await request.post('/api/v1/users', {
    headers,
    data: { ...account, email: `${account.username}@example.com`, displayName: 'Lister', role: 'red_lead' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const redToken = await apiToken(request, account.username, account.password);

  // 260 tests with a common marker in their titles, made through the API ten at a time.
  const COUNT = 260;
  for (let start = 0; start < COUNT; start += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, COUNT - start) }, async (_, i) => {
        const n = String(start + i).padStart(3, '0');
        const res = await request.post('/api/v1/tests', {
          headers: { Authorization: `Bearer ${redToken}` },
          data: { technique: 'T1059.001', title: `Scroll ${run} #${n}` },
        });
        expect(res.status(), await res.text()).toBe(201);
      }),
    );
  }

  await signIn(page, account.username, account.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'All Tests' }).click();
  await page.getByLabel('Search').fill(`Scroll ${run}`);
  await page.getByLabel('Sort').selectOption('title:asc');

  const rows = page.getByTestId('test-row');
  await expect(rows.first()).toHaveText(new RegExp(`Scroll ${run} #000`));
  const status = page.getByText(/\d+ of \d+ loaded/);
  await expect(status).toHaveText(`100 of ${COUNT} loaded`);
  // Virtualised: far fewer rows in the DOM than loaded.
  expect(await rows.count()).toBeLessThan(60);

  // Scrolling the list to its end loads the other pages and shows the last test.
  const region = page.getByRole('region', { name: 'Tests' });
  await expect(async () => {
    await region.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(status).toHaveText(`${COUNT} of ${COUNT} loaded`, { timeout: 1_000 });
    await expect(rows.last()).toContainText(`Scroll ${run} #${String(COUNT - 1).padStart(3, '0')}`, {
      timeout: 1_000,
    });
  }).toPass({ timeout: 20_000 });
  expect(await rows.count()).toBeLessThan(60);

  // Keyboard: the scroll area takes focus and scrolls back to the top with Home.
  await region.focus();
  await page.keyboard.press('Home');
  await expect(rows.first()).toContainText(`Scroll ${run} #000`);

  // A row opens its test.
  await rows.first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: `Scroll ${run} #000` })).toBeVisible();
});
