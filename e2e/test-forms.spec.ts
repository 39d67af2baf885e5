import { expect, type Page, test } from '@playwright/test';
import { violations } from './support/axe';
import { type Account, apiToken, createUser, openAs, type Role } from './support/session';

const run = Date.now().toString(36);
const state = (page: Page) => page.getByTestId('test-state');
const records = (page: Page) =>
  page
    .getByRole('region', { name: /^(Red team execution|Blue team evaluation)$/ })
    .locator('input, textarea, select');

/** axe finds nothing on the page as it is, once nothing is loading. */
async function expectAccessible(page: Page) {
  await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
  expect(await violations(page)).toEqual([]);
}

// Techniques no other journey uses, so the coverage other journeys check is not changed here.
test('a red lead creates a test with the picker and assigns it; blue fills its record in place; a validated test reads as records', async ({
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  const accounts = {} as Record<Role, Account>;
  for (const role of ['red_lead', 'red_tech', 'blue_tech', 'blue_lead'] as const)
    accounts[role] = await createUser(request, role, `forms${run}`);
  const name = (role: Role) => `${role} forms${run}`;

  // The red lead: technique from the picker, its only tactic and platform preselected, two people.
  const lead = await openAs(browser, accounts.red_lead);
  await lead.goto('/tests/new');
  await expect(lead.getByRole('heading', { level: 1, name: 'New test' })).toBeVisible();
  const technique = lead.getByRole('combobox', { name: 'Technique' });
  await technique.fill('rundll32');
  await lead.getByRole('option', { name: /T1218\.011/ }).click();
  await expect(lead.getByRole('group', { name: 'Technique' })).toContainText('Rundll32');
  await expect(lead.getByLabel('Tactic')).toHaveValue('defense-evasion');
  await expect(lead.getByLabel('Platform')).toHaveValue('Windows');
  await expect(lead.getByLabel('Platform').locator('option', { hasText: 'PRE' })).toHaveCount(0);
  await lead.getByLabel('Title').fill(`Encoded cradle ${run}`);
  await lead.getByLabel('Red person').selectOption({ label: `${name('red_tech')} (red tech)` });
  await lead.getByLabel('Blue person').selectOption({ label: `${name('blue_tech')} (blue tech)` });
  await lead.screenshot({ path: test.info().outputPath('create.png'), fullPage: true });
  await expectAccessible(lead);
  await lead.getByRole('button', { name: 'Create test' }).click();
  await expect(state(lead)).toHaveText('Draft');
  const testUrl = new URL(lead.url()).pathname;
  const people = lead.getByRole('region', { name: 'People' });
  await expect(people.getByLabel('Red person')).toHaveValue(/[0-9a-f-]{36}/);
  await expect(people.getByLabel('Red person').locator('option:checked')).toHaveText(
    `${name('red_tech')} (red tech)`,
  );
  await expect(people.getByLabel('Blue person').locator('option:checked')).toHaveText(
    `${name('blue_tech')} (blue tech)`,
  );

  // Red executes: the start time is already there.
  const red = await openAs(browser, accounts.red_tech);
  await red.goto(testUrl);
  await expect(red.getByTestId('assignee-red')).toContainText(name('red_tech'));
  await red.getByRole('button', { name: 'Start execution' }).click();
  await expect(state(red)).toHaveText('Red executing');
  const redForm = red.getByRole('form', { name: 'Red team record' });
  await expect(redForm.getByLabel('Execution started')).not.toHaveValue('');
  await redForm.getByLabel('Procedure').fill('Run an encoded download cradle from a user shell.');
  await redForm.getByLabel('Target host').fill('ws-042.lab');
  await red.screenshot({ path: test.info().outputPath('red-executing.png'), fullPage: true });
  await expectAccessible(red);
  await red.getByRole('button', { name: 'Submit to blue' }).click();
  await expect(state(red)).toHaveText('Blue evaluating');
  // Red's record now reads as a record.
  await expect(records(red)).toHaveCount(0);

  // Blue: one tool row is ready; no "Add tool result" first.
  const blue = await openAs(browser, accounts.blue_tech);
  await blue.goto(testUrl);
  await expect(state(blue)).toHaveText('Blue evaluating');
  const blueForm = blue.getByRole('form', { name: 'Blue team record' });
  await expect(blueForm.getByTestId('tool-result')).toHaveCount(1);
  await blueForm.getByLabel('Tool name').fill('Defender for Endpoint');
  await blueForm.getByLabel('Tool outcome').selectOption('not_detected');
  await blueForm.getByLabel('Notes').fill('No alert; the EDR saw the process only.');
  await blue.screenshot({ path: test.info().outputPath('blue-evaluating.png'), fullPage: true });
  await expectAccessible(blue);
  await blue.getByRole('button', { name: 'Submit for review' }).click();
  await expect(state(blue)).toHaveText('In review');

  // Both leads approve (through the API), and the validated test reads as records.
  const id = testUrl.split('/').at(-1) as string;
  for (const role of ['red_lead', 'blue_lead'] as const) {
    const token = await apiToken(request, accounts[role].username, accounts[role].password);
    const res = await request.post(`/api/v1/tests/${id}/votes`, {
      headers: { Authorization: `Bearer ${token}` },
      data: { decision: 'approve', comment: '' },
    });
    expect(res.status(), await res.text()).toBe(200);
  }
  await blue.reload();
  await expect(state(blue)).toHaveText('Validated');
  const blueRecord = blue.getByRole('region', { name: 'Blue team evaluation' });
  await expect(blueRecord.getByTestId('tool-result')).toContainText('Not detected');
  await expect(blue.getByRole('region', { name: 'Red team execution' })).toContainText('ws-042.lab');
  await expect(records(blue)).toHaveCount(0);
  await expect(blue.getByText(/Read-only|its turn/)).toHaveCount(0);
  await blue.screenshot({ path: test.info().outputPath('validated.png'), fullPage: true });
  await expectAccessible(blue);
});

test('a tech takes the free side of its team', async ({ browser, request }) => {
  const blueTech = await createUser(request, 'blue_tech', `take${run}`);
  const redLead = await createUser(request, 'red_lead', `take${run}`);
  const token = await apiToken(request, redLead.username, redLead.password);
  const created = await request.post('/api/v1/tests', {
    headers: { Authorization: `Bearer ${token}` },
    data: { technique: 'T1003.003', title: `Unassigned NTDS copy ${run}` },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };

  const page = await openAs(browser, blueTech);
  await page.goto(`/tests/${id}`);
  await expect(page.getByTestId('assignee-blue')).toContainText('Unassigned');
  // Only the blue side is the blue tech's to take.
  await expect(page.getByRole('button', { name: 'Take the red side' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Take the blue side' }).click();
  await expect(page.getByTestId('assignee-blue')).toContainText(`blue_tech take${run}`);
  await expect(page.getByRole('button', { name: 'Take the blue side' })).toHaveCount(0);
});
