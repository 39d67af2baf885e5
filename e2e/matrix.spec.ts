import { expect, test } from '@playwright/test';
import { ADMIN } from './support/server';
import { apiToken, signIn } from './support/session';

interface Listed<T> {
  items: T[];
  total: number;
}

test('an admin signs in and the matrix shows 14 tactics and every technique under each of its tactics', async ({
  page,
  request,
}) => {
  const token = await apiToken(request, ADMIN.username, ADMIN.password);
  const auth = { Authorization: `Bearer ${token}` };
  const tactics = (await (await request.get('/api/v1/tactics', { headers: auth })).json()) as Listed<{
    shortname: string;
  }>;
  const techniques = (await (
    await request.get('/api/v1/techniques?subtechniques=exclude&limit=500', { headers: auth })
  ).json()) as Listed<{ tactics: string[] }>;
  expect(techniques.items.length).toBe(techniques.total);
  const shortnames = new Set(tactics.items.map((t) => t.shortname));
  const expectedCells = techniques.items.reduce(
    (n, t) => n + t.tactics.filter((s) => shortnames.has(s)).length,
    0,
  );

  await signIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('link', { name: 'ATT&CK Matrix' }).click();
  await expect(page.getByTestId('tactic-column')).toHaveCount(14);
  await expect(page.getByTestId('technique-cell')).toHaveCount(expectedCells);
  await expect(page.getByTestId('tactic-column').first()).toContainText('Reconnaissance');

  // Sub-techniques show on expand; a click opens the cell's panel, which links to the technique page.
  await page.getByRole('button', { name: /sub-techniques of OS Credential Dumping/ }).click();
  await expect(page.getByTestId('subtechnique-cell').first()).toBeVisible();
  await page.locator('[data-attack-id="T1003"] button[data-key]').first().click();
  await page.getByTestId('cell-panel').getByRole('link', { name: 'Open T1003' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'OS Credential Dumping' })).toBeVisible();
  await expect(page.getByText('Mitigations (')).toBeVisible();
});

test('a viewer sees no System section', async ({ page, request }) => {
  const token = await apiToken(request, ADMIN.username, ADMIN.password);
  const viewer = { username: 'vera', password: 'Viewer-Passw0rd!' };
  const created = await request.post('/api/v1/users', {
    headers: { Authorization: `Bearer ${token}` },
    data: { ...viewer, email: 'vera@example.com', displayName: 'Vera Viewer', role: 'viewer' },
  });
  expect(created.status(), await created.text()).toBe(201);

  await signIn(page, viewer.username, viewer.password);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'ATT&CK Matrix' })).toBeVisible();
  await expect(nav.getByText('System')).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
});

test('a wrong password is explained in words', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('Username or email').fill('admin');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password.');
});
