import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { ADMIN } from './support/server';
import { apiToken, signIn } from './support/session';

const run = Date.now().toString(36);

/** WCAG 2.1 A/AA problems axe-core finds on the page as it is now. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('a user changes their password: the old one stops working, the new one signs in', async ({
  page,
  request,
}) => {
  const username = `pwuser${run}`;
  const displayName = `Password User ${run}`;
  const oldPassword = 'First-Passw0rd!';
  const newPassword = 'Second-Passw0rd!';
  const token = await apiToken(request, ADMIN.username, ADMIN.password);
  const created = await request.post('/api/v1/users', {
    headers: { Authorization: `Bearer ${token}` },
    data: { username, email: `${username}@example.com`, displayName, role: 'viewer', password: oldPassword },
  });
  expect(created.ok(), await created.text()).toBe(true);

  await signIn(page, username, oldPassword);
  await page.getByRole('button', { name: displayName }).click();
  await page.getByRole('link', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Change password' })).toBeVisible();
  const form = page.getByRole('form', { name: 'Change password' });
  await expect(form.getByRole('list', { name: 'Password rules' })).toContainText('at least 12 characters');

  // A new password that breaks the policy: the server's rule message under the field.
  await form.getByLabel('Current password').fill(oldPassword);
  await form.getByLabel('New password', { exact: true }).fill('alllowercase-long');
  await form.getByLabel('Confirm new password').fill('alllowercase-long');
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('Password needs an upper-case letter, a digit')).toBeVisible();
  await expect(form.getByLabel('New password', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  expect(await violations(page)).toEqual([]);

  // A wrong current password is named on its field.
  await form.getByLabel('Current password').fill('Not-My-Passw0rd!');
  await form.getByLabel('New password', { exact: true }).fill(newPassword);
  await form.getByLabel('Confirm new password').fill(newPassword);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('is not your current password')).toBeVisible();

  await form.getByLabel('Current password').fill(oldPassword);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('status')).toHaveText(
    'Your password was changed. Your other sessions were signed out.',
  );
  await expect(form.getByLabel('Current password')).toHaveValue('');

  // This session stays signed in until the user signs out.
  await page.getByRole('button', { name: displayName }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Aegis' })).toBeVisible();

  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password').fill(oldPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');

  await signIn(page, username, newPassword);
  await expect(page.getByRole('button', { name: displayName })).toBeVisible();
});

test('an admin sees the system status: health checks and each job with its schedule', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Status', exact: true })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'System status' })).toBeVisible();

  const checks = page.getByTestId('health-check');
  await expect(checks).toHaveCount(3);
  await expect(checks.filter({ hasText: 'Database' }).getByTestId('run-status')).toHaveText('ok');
  await expect(checks.filter({ hasText: 'Job scheduler' }).getByTestId('run-status')).toHaveText('ok');

  const job = (name: string) => page.getByTestId('job-row').filter({ hasText: name });
  // The journeys' server turns the daily ATT&CK sync off (JOB_SCHEDULE_ATTACK_SYNC=off).
  await expect(job('attack.sync').getByTestId('job-schedule')).toHaveText('off');
  await expect(job('sources.sync-scheduled').getByTestId('job-schedule')).toHaveText('every 5 minutes');
  const onDemand = page
    .getByTestId('job-row')
    .filter({ has: page.getByText('sources.sync', { exact: true }) });
  await expect(onDemand.getByTestId('job-schedule')).toHaveText('on demand');
  await expect(job('sources.sync-scheduled')).toContainText(/in \d+ min|within a minute/);
  expect(await page.getByTestId('job-row').count()).toBeGreaterThanOrEqual(5);
  expect(await violations(page)).toEqual([]);
});
