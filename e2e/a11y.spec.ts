import { expect, type Page, test } from '@playwright/test';
import { violations } from './support/axe';
import { ADMIN } from './support/server';
import { signIn } from './support/session';

/** Every main page, checked by axe-core against WCAG 2.1 A and AA once its content has loaded. */
const pages: { path: string; ready: (page: Page) => Promise<void> }[] = [
  // The coverage cards are there before their counts: the chart's bars say the data has arrived.
  { path: '/', ready: (p) => expect(p.getByTestId('tactic-bar').first()).toBeVisible() },
  { path: '/matrix', ready: (p) => expect(p.getByTestId('matrix')).toBeVisible() },
  {
    path: '/techniques/T1059.001',
    ready: (p) => expect(p.getByRole('heading', { level: 1, name: 'PowerShell' })).toBeVisible(),
  },
  {
    path: '/tests',
    ready: (p) => expect(p.getByRole('heading', { level: 1, name: 'All tests' })).toBeVisible(),
  },
  { path: '/executive', ready: (p) => expect(p.getByTestId('trend-chart')).toBeVisible() },
  { path: '/metrics', ready: (p) => expect(p.getByTestId('team-table')).toBeVisible() },
  {
    path: '/scores',
    ready: (p) => expect(p.getByRole('heading', { level: 1, name: 'Scores' })).toBeVisible(),
  },
  {
    path: '/system/scoring',
    ready: (p) => expect(p.getByRole('spinbutton', { name: 'Validated tests' })).toBeVisible(),
  },
  { path: '/tests/pending', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '/tests/new', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '/catalog', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '/detection-rules', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  {
    path: '/threat-actors',
    ready: (p) => expect(p.getByRole('link', { name: /APT29/ }).first()).toBeVisible(),
  },
  { path: '/system/users', ready: (p) => expect(p.getByTestId('user-row').first()).toBeVisible() },
  { path: '/system/audit-log', ready: (p) => expect(p.getByTestId('audit-row').first()).toBeVisible() },
  { path: '/notifications', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '/system/import-runs', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  {
    path: '/system/data-sources',
    ready: (p) => expect(p.getByTestId('data-source-row').first()).toBeVisible(),
  },
  { path: '/settings/tokens', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '/settings/password', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '/system/status', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '/catalog/new', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '/defenses', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  { path: '/compliance', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  {
    path: '/software/S0002',
    ready: (p) => expect(p.getByRole('heading', { level: 1, name: 'Mimikatz' })).toBeVisible(),
  },
  { path: '/intrusions', ready: (p) => expect(p.getByRole('heading', { level: 1 })).toBeVisible() },
  {
    path: '/threat-actors/G0016',
    ready: (p) => expect(p.getByRole('heading', { level: 1, name: 'APT29' })).toBeVisible(),
  },
];

test('the sign-in page has no WCAG 2.1 A/AA violations', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('the main pages have no WCAG 2.1 A/AA violations', async ({ page }) => {
  test.setTimeout(180_000);
  await signIn(page, ADMIN.username, ADMIN.password);
  const found: string[] = [];
  for (const { path, ready } of pages) {
    await page.goto(path);
    await ready(page);
    await expect(page.getByRole('status').filter({ hasText: /^Loading/ })).toHaveCount(0);
    for (const v of await violations(page)) found.push(`${path}: ${v}`);
  }
  expect(found).toEqual([]);
});

test('a keyboard user can skip the navigation to the page content', async ({ page }) => {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.goto('/tests');
  await expect(page.getByRole('heading', { level: 1, name: 'All tests' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main')).toBeFocused();
});
