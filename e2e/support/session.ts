import type { APIRequestContext, Browser, Page } from '@playwright/test';
import { expect, test } from '@playwright/test';
import { ADMIN } from './server';

/** Signs in the way people do: open the app's address signed out, get the sign-in form, sign in. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('Username or email').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
}

/** A bearer token for API calls that set up data (no cookie, so no CSRF header needed). */
export async function apiToken(
  request: APIRequestContext,
  username: string,
  password: string,
): Promise<string> {
  const res = await request.post('/api/v1/auth/login', { data: { username, password } });
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

export type Role = 'admin' | 'red_tech' | 'blue_tech' | 'red_lead' | 'blue_lead' | 'viewer';
export interface Account {
  username: string;
  password: string;
}

/**
 * A user with `role` made through the API with the admin's token; `tag` keeps names apart between
 * specs (and runs). A retry of the same run finds the account already there (409) and reuses it.
 */
export async function createUser(request: APIRequestContext, role: Role, tag: string): Promise<Account> {
  const token = await apiToken(request, ADMIN.username, ADMIN.password);
  const account = { username: `${role.replace('_', '')}${tag}`, password: 'E2e-Account-Passw0rd!' };
  const res = await request.post('/api/v1/users', {
    headers: { Authorization: `Bearer ${token}` },
    data: { ...account, email: `${account.username}@example.com`, displayName: `${role} ${tag}`, role },
  });
  if (res.status() !== 409) expect(res.status(), await res.text()).toBe(201);
  return account;
}

/** A signed-in page in its own browser context (its own cookies), at a laptop's size by default. */
export async function openAs(
  browser: Browser,
  account: Account,
  viewport = { width: 1280, height: 800 },
): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport });
  const page = await context.newPage();
  await signIn(page, account.username, account.password);
  return page;
}

/** A page opened from the main navigation by its link, once its heading (named like the link) shows. */
export async function openFromNavigation(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}
