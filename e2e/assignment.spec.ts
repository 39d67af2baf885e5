import { expect, type Page, test } from '@playwright/test';
import { violations } from './support/axe';
import { apiToken, createUser, openAs } from './support/session';

const run = Date.now().toString(36);
const bell = (page: Page) => page.getByRole('button', { name: /^Notifications, \d+ unread$/ });

test('a lead assigns five drafts at once; the assignees are told', async ({ browser, request }) => {
  test.setTimeout(120_000);
  const lead = await createUser(request, 'red_lead', run);
  const leadToken = await apiToken(request, lead.username, lead.password);
  const titles = Array.from({ length: 5 }, (_, i) => `Assign ${run} #${i}`);
  for (const title of titles) {
    const res = await request.post('/api/v1/tests', {
      headers: { Authorization: `Bearer ${leadToken}` },
      data: { technique: 'T1059.001', title },
    });
    expect(res.status(), await res.text()).toBe(201);
  }
  // The people to assign join after the drafts exist, so their bells hold only what this test sends.
  const red = await createUser(request, 'red_tech', run);
  const blue = await createUser(request, 'blue_tech', run);

  const page = await openAs(browser, lead, { width: 1440, height: 900 });
  await page.goto('/tests');
  // The search applies once typing pauses, and a new filter starts a new selection: wait for it.
  const searched = page.waitForResponse((r) => r.url().includes(`q=Assign+${run}`));
  await page.getByLabel('Search').fill(`Assign ${run}`);
  await searched;
  const rows = page.getByTestId('test-row');
  await expect(rows).toHaveCount(5);
  await expect(rows.first()).toContainText('Unassigned');

  for (const title of titles) await page.getByRole('checkbox', { name: `Select ${title}` }).check();
  const toolbar = page.getByRole('toolbar', { name: 'Bulk actions' });
  await expect(toolbar).toContainText('5 selected');
  await expect(page.getByRole('checkbox', { name: 'Select every loaded test' })).toBeChecked();

  await toolbar.getByRole('button', { name: 'Assign…' }).click();
  const form = page.getByRole('form', { name: 'Assign the selected tests' });
  await form.getByLabel('Red person').selectOption({ label: `red_tech ${run} (red tech)` });
  await form.getByLabel('Blue person').selectOption({ label: `blue_tech ${run} (blue tech)` });
  await page.screenshot({ path: 'screenshots/tests-bulk-assign.png' });
  expect(await violations(page)).toEqual([]);

  await form.getByRole('button', { name: 'Assign 5 tests' }).click();
  const report = page.getByRole('status').filter({ hasText: 'Assignment:' });
  await expect(report).toHaveText(/Assignment: 5 done, 0 skipped, 0 failed/);
  await expect(toolbar).toBeHidden();
  for (const row of await rows.all()) {
    await expect(row).toContainText(`red_tech ${run}`);
    await expect(row).toContainText(`blue_tech ${run}`);
  }
  await page.screenshot({ path: 'screenshots/tests-bulk-report.png' });

  // Each assignee has one notification per test in the bell.
  const redPage = await openAs(browser, red);
  await expect(bell(redPage)).toHaveAccessibleName('Notifications, 5 unread');
  await bell(redPage).click();
  await expect(redPage.getByText(`You are the red person of ${titles[0]}`)).toBeVisible();
  const bluePage = await openAs(browser, blue);
  await expect(bell(bluePage)).toHaveAccessibleName('Notifications, 5 unread');

  // Starting execution of the five, plus one already started: each reported.
  await page.getByRole('checkbox', { name: `Select ${titles[0]}` }).check();
  await toolbar.getByRole('button', { name: 'Start execution' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Start execution:' })).toHaveText(
    /Start execution: 1 done, 0 skipped, 0 failed/,
  );
  await page.getByRole('checkbox', { name: 'Select every loaded test' }).check();
  await toolbar.getByRole('button', { name: 'Start execution' }).click();
  const started = page.getByRole('status').filter({ hasText: 'Start execution:' });
  await expect(started).toContainText('4 done, 1 skipped, 0 failed');
  await expect(started).toContainText(`Skipped: ${titles[0]} — Already red executing`);
  await page.screenshot({ path: 'screenshots/tests-bulk-skipped.png' });
  expect(await violations(page)).toEqual([]);

  // The "Assigned to" filter finds them by the person.
  await page.getByLabel('Assigned to').selectOption({ label: `blue_tech ${run} (blue tech)` });
  await expect(rows).toHaveCount(5);
  await page.getByLabel('Assigned to').selectOption('unassigned');
  await expect(page.getByText('No test matches these filters.')).toBeVisible();

  // The red assignee finds them on its pending tasks, with both people named.
  await redPage.goto('/tests/pending');
  const task = redPage.getByRole('listitem').filter({ hasText: titles[1] });
  await expect(task).toContainText(`Red: red_tech ${run} · Blue: blue_tech ${run}`);
  await redPage.screenshot({ path: 'screenshots/pending-assignees.png' });
  expect(await violations(redPage)).toEqual([]);
});
