import { expect, type Page, test } from '@playwright/test';
import { ADMIN } from './support/server';
import { apiToken } from './support/session';

// Where new users start: the URL the server prints (`/`) or a link someone sent them, signed out.

async function fillSignIn(page: Page): Promise<void> {
  await page.getByLabel('Username or email').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const dashboard = (page: Page) => page.getByRole('heading', { level: 1, name: /^Welcome, / });

test('opening / signed out shows the sign-in form, and signing in lands on the dashboard', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole('heading', { name: 'Sign in to Aegis' })).toBeVisible();
  await expect(page).toHaveTitle('Sign in · Aegis');
  await fillSignIn(page);
  await expect(dashboard(page)).toBeVisible();
  await expect(page).toHaveURL(/\/$/);
  await expect(page).toHaveTitle('Aegis');
});

test('a deep link opened signed out comes back to that page after sign-in', async ({ page, request }) => {
  const token = await apiToken(request, ADMIN.username, ADMIN.password);
  const title = `Deep link ${Date.now().toString(36)}`;
  const res = await request.post('/api/v1/tests', {
    headers: { Authorization: `Bearer ${token}` },
    data: { technique: 'T1059.001', title },
  });
  expect(res.status(), await res.text()).toBe(201);
  const { id } = (await res.json()) as { id: string };

  await page.goto(`/tests/${id}`);
  await expect(page).toHaveURL(/\/login\?/);
  expect(new URL(page.url()).searchParams.get('redirect')).toBe(`/tests/${id}`);
  await fillSignIn(page);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(`/tests/${id}`);
});

test('a session that ends on a page sends the user to sign in and back to that page', async ({ page }) => {
  await page.goto('/login');
  await fillSignIn(page);
  await expect(dashboard(page)).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'All Tests' }).click();
  await expect(page).toHaveURL(/\/tests$/);
  await expect(page.getByRole('heading', { level: 1, name: 'All tests' })).toBeVisible();
  // Every request of the page (list, filters, bell) has answered: none can meet the ended session
  // first and send the user away from this page before the click below.
  await page.waitForLoadState('networkidle');

  // The session ends (here: its cookie is gone); the next page that asks the API gets a 401.
  await page.context().clearCookies();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/login\?/);
  expect(new URL(page.url()).searchParams.get('redirect')).toBe('/system/audit-log');
  await fillSignIn(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe('/system/audit-log');
});

for (const target of [
  'https://evil.example/',
  '//evil.example/',
  '/\\evil.example/',
  'javascript:alert(1)',
]) {
  test(`a redirect to ${target} after sign-in is ignored (no open redirect)`, async ({ page }) => {
    await page.goto(`/login?redirect=${encodeURIComponent(target)}`);
    await fillSignIn(page);
    await expect(dashboard(page)).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(test.info().project.use.baseURL ?? '').origin);
    expect(new URL(page.url()).pathname).toBe('/');
  });
}
