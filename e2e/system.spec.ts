import { expect, test } from '@playwright/test';
import { ADMIN } from './support/server';
import { signIn } from './support/session';

const run = Date.now().toString(36);

test('an admin creates a user (the password rules are explained) and finds it in the audit log', async ({
  page,
}) => {
  const username = `sysuser${run}`;
  await signIn(page, ADMIN.username, ADMIN.password);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expect(page.getByTestId('user-row').first()).toBeVisible();

  await page.getByRole('button', { name: 'New user' }).click();
  const form = page.getByRole('form', { name: 'New user' });
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Display name').fill(`System User ${run}`);
  await form.getByLabel('Email').fill(`${username}@example.com`);
  await form.getByLabel('Role').selectOption('blue_lead');
  await form.getByLabel('Initial password').fill('short');
  await form.getByRole('button', { name: 'Create user' }).click();
  // The server's rule message, next to the field.
  await expect(form.getByText(/^Password needs at least 12 characters/)).toBeVisible();

  await form.getByLabel('Initial password').fill('System-Passw0rd!');
  await form.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByRole('status').filter({ hasText: `User ${username} created.` })).toBeVisible();
  await page.getByLabel('Search').fill(username);
  const row = page.getByTestId('user-row').filter({ hasText: username });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('blue lead');
  await expect(page.getByTestId('user-row')).toHaveCount(1);

  await nav.getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await page.getByLabel('Action').fill('user.create');
  const entry = page.getByTestId('audit-row').filter({ hasText: username });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('user.create');
  // Said in words, not as JSON.
  await expect(entry).toContainText(`Administrator created the user ${username} (`);
  await expect(entry).not.toContainText('{');
  await expect(page.getByTestId('audit-row').filter({ hasNotText: 'user.create' })).toHaveCount(0);
});

test('an admin creates an API token, sees its secret once, and revokes it', async ({ page, request }) => {
  const name = `CI export ${run}`;
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible();

  const form = page.getByRole('form', { name: 'New API token' });
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Expires in (days)').fill('30');
  await form.getByRole('button', { name: 'Create token' }).click();

  const secret = page.getByLabel('Your new token');
  await expect(secret).toHaveValue(/^aegis_pat_/);
  await expect(page.getByText('this is the only time it is shown', { exact: false })).toBeVisible();
  const token = await secret.inputValue();
  const row = page.getByTestId('token-row').filter({ hasText: name });
  await expect(row.getByTestId('token-state')).toHaveText('Active');

  // The secret works for the API (a cookie-less client).
  const me = await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);

  // Shown once: after leaving the page, only the prefix is listed.
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(secret).toHaveCount(0);
  await page.reload();
  await expect(row).toBeVisible();
  await expect(page.getByText(token)).toHaveCount(0);

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await row.getByRole('button', { name: 'Confirm revoke' }).click();
  await expect(row.getByTestId('token-state')).toContainText('Revoked');
  const after = await request.get('/api/v1/auth/me', { headers: { Authorization: `Bearer ${token}` } });
  expect(after.status()).toBe(401);
});

test('the data sources page lists the registered sources', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data sources' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Data sources' })).toBeVisible();
  await expect(page.getByTestId('data-source-row')).toHaveCount(11);
  await expect(page.getByTestId('data-source-row').filter({ hasText: 'LOLBAS' })).toBeVisible();
});

test('the import runs page shows the seed import with its counts', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import runs' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ATT&CK import runs' })).toBeVisible();
  const first = page.getByTestId('import-run-row').last();
  await expect(first).toContainText('succeeded');
  await first.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: /ATT&CK import — release 18/ })).toBeVisible();
  await expect(page.getByText('Counts by type')).toBeVisible();
  await expect(page.getByRole('cell', { name: 'attack-pattern', exact: true })).toBeVisible();
});
