import { createHash } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { ADMIN } from './support/server';
import { type Account, apiToken, openAs, type Role } from './support/session';

const run = Date.now().toString(36);

const bell = (page: Page) => page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
const state = (page: Page) => page.getByTestId('test-state');

test('red → blue → both leads: a test is validated with evidence, and the matrix shows it', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const token = await apiToken(request, ADMIN.username, ADMIN.password);
  const accounts = {} as Record<Role, Account>;
  for (const role of ['red_tech', 'blue_tech', 'red_lead', 'blue_lead', 'viewer'] as const) {
    const account = { username: `${role.replace('_', '')}${run}`, password: 'Workflow-Passw0rd!' };
    const res = await request.post('/api/v1/users', {
      headers: { Authorization: `Bearer ${token}` },
      data: {
        ...account,
        email: `${account.username}@example.com`,
        displayName: `${role.replace('_', ' ')} ${run}`,
        role,
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    accounts[role] = account;
  }

  // Blue keeps a page open with the bell: it starts at zero.
  const blue = await openAs(browser, accounts.blue_tech);
  await expect(bell(blue)).toHaveAccessibleName('Notifications, 0 unread');

  // Red creates the test from the technique page, starts it, records the execution, hands over.
  const red = await openAs(browser, accounts.red_tech);
  await red.goto('/techniques/T1059.001');
  await expect(red.getByRole('heading', { level: 1, name: 'PowerShell' })).toBeVisible();
  await red.getByRole('link', { name: 'New test' }).click();
  await expect(red.getByRole('group', { name: 'Technique' })).toContainText('T1059.001');
  await expect(red.getByLabel('Tactic')).toHaveValue('execution'); // PowerShell's only tactic
  await red.getByRole('button', { name: 'Create test' }).click();
  await expect(red.getByText('required', { exact: true })).toBeVisible(); // the title, explained next to the field
  await red.getByLabel('Title').fill(`Encoded PowerShell download cradle ${run}`);
  await red.getByLabel('Expected outcome').selectOption('detected');
  await red.getByRole('button', { name: 'Create test' }).click();
  await expect(state(red)).toHaveText('Draft');
  const testUrl = new URL(red.url()).pathname;
  expect(testUrl).toMatch(/^\/tests\/[0-9a-f-]{36}$/);

  await red.getByRole('button', { name: 'Start execution' }).click();
  await expect(state(red)).toHaveText('Red executing');
  const redForm = red.getByRole('form', { name: 'Red team record' });
  await redForm.getByLabel('Procedure').fill('Run an encoded download cradle from a user shell.');
  await redForm.getByLabel('Commands').fill('powershell.exe -NoP -enc SQBFAFgA');
  await redForm.getByLabel('Target host').fill('ws-042.lab');
  // The start is prefilled with when execution started; red only says when it ended.
  await expect(redForm.getByLabel('Execution started')).not.toHaveValue('');
  await redForm.getByRole('button', { name: 'Ended now' }).click();
  // "Submit to blue" saves the record first.
  await red.getByRole('button', { name: 'Submit to blue' }).click();
  await expect(state(red)).toHaveText('Blue evaluating');

  // Blue's bell goes up live (SSE), without a reload.
  await expect(bell(blue)).toHaveAccessibleName('Notifications, 1 unread');
  await blue.goto(testUrl);
  await expect(state(blue)).toHaveText('Blue evaluating');
  const blueForm = blue.getByRole('form', { name: 'Blue team record' });
  await blueForm.getByLabel('Tool name').fill('Defender for Endpoint');
  await blueForm.getByLabel('Tool outcome').selectOption('detected');
  await blueForm.getByLabel('Detected at').fill('2026-01-05T10:02');
  await blueForm.getByLabel('Rules that fired (one per line)').fill('Suspicious encoded PowerShell');

  const content = Buffer.from(`EDR alert export for ${run}\nprocess=powershell.exe\n`);
  const sha256 = createHash('sha256').update(content).digest('hex');
  await blue.getByLabel('Evidence file').setInputFiles({
    name: 'edr-alert.txt',
    mimeType: 'text/plain',
    buffer: content,
  });
  await expect(blue.getByRole('link', { name: 'edr-alert.txt' })).toBeVisible();
  await expect(blue.getByTestId('evidence-sha256')).toHaveText(sha256);
  await blue.getByRole('button', { name: 'Submit for review' }).click();
  await expect(state(blue)).toHaveText('In review');

  // The two leads approve, each in their own browser.
  const redLead = await openAs(browser, accounts.red_lead);
  await redLead.goto(testUrl);
  await expect(state(redLead)).toHaveText('In review');
  await redLead.getByLabel('Vote comment').fill('Procedure is sound.');
  await redLead.getByRole('button', { name: 'Approve' }).click();
  await expect(redLead.getByTestId('vote-red')).toContainText('Approved');
  await expect(state(redLead)).toHaveText('In review');

  const blueLead = await openAs(browser, accounts.blue_lead);
  await blueLead.goto(testUrl);
  await blueLead.getByRole('button', { name: 'Approve' }).click();
  await expect(state(blueLead)).toHaveText('Validated');
  await expect(blueLead.getByTestId('vote-blue')).toContainText('Approved');

  // The matrix: PowerShell (a sub-technique of T1059) is validated.
  await blueLead.goto('/matrix?layer=coverage');
  await expect(blueLead.getByTestId('matrix')).toBeVisible({ timeout: 30_000 });
  await blueLead.getByRole('button', { name: /^Expand all/ }).click();
  const cell = blueLead.getByTestId('matrix-grid').locator('li[data-attack-id="T1059.001"]').first();
  await expect(cell).toHaveAttribute('data-status', 'validated');

  // A viewer reads the test but sees no edit action.
  const viewer = await openAs(browser, accounts.viewer);
  await viewer.goto(testUrl);
  await expect(state(viewer)).toHaveText('Validated');
  await expect(viewer.getByRole('region', { name: 'Red team execution' })).toContainText('ws-042.lab');
  await expect(viewer.getByRole('form', { name: 'Red team record' })).toHaveCount(0);
  await expect(
    viewer.getByRole('button', {
      name: /Save|Start execution|Submit|Reopen|Approve|Reject|Add tool result|Remove|choose a file|Add step/,
    }),
  ).toHaveCount(0);
  await expect(viewer.getByRole('region', { name: 'Workflow actions' })).toHaveCount(0);
  await expect(viewer.getByTestId('evidence-dropzone')).toHaveCount(0);
  await expect(viewer.locator('main input, main textarea, main select')).toHaveCount(0);
  await viewer.goto('/tests');
  await expect(viewer.getByRole('link', { name: 'New test' })).toHaveCount(0);
});
