import { type APIRequestContext, expect, test } from '@playwright/test';
import { ADMIN } from './support/server';
import { apiToken, signIn } from './support/session';

const run = Date.now().toString(36);
const PASSWORD = 'Retest-Passw0rd!';

async function lead(request: APIRequestContext, admin: string, role: 'red_lead' | 'blue_lead') {
  const username = `${role.replace('_', '')}r${run}`;
  const res = await request.post('/api/v1/users', {
    headers: { Authorization: `Bearer ${admin}` },
    data: {
      username,
      password: PASSWORD,
      email: `${username}@example.com`,
      displayName: `${role} ${run}`,
      role,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return { username, token: await apiToken(request, username, PASSWORD) };
}

test('a gap is remediated in the UI, the re-test appears, and the chain links both tests', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const admin = await apiToken(request, ADMIN.username, ADMIN.password);
  const red = await lead(request, admin, 'red_lead');
  const blue = await lead(request, admin, 'blue_lead');
  const call = async (token: string, method: 'post' | 'put', url: string, data: object) => {
    const res = await request[method](`/api/v1${url}`, {
      headers: { Authorization: `Bearer ${token}` },
      data,
    });
    expect(res.ok(), `${method} ${url}: ${await res.text()}`).toBe(true);
    return res.json();
  };

  // Through the API: a test that logged the attack but detected nothing, validated by both leads.
  const title = `Chain ${run}`;
  const { id } = await call(red.token, 'post', '/tests', {
    technique: 'T1003.001',
    title,
    expectedOutcome: 'detected',
  });
  await call(red.token, 'post', `/tests/${id}/transitions`, { action: 'start_execution' });
  await call(red.token, 'put', `/tests/${id}/red`, {
    commands: 'rundll32 comsvcs.dll MiniDump',
    executionStartedAt: new Date().toISOString(),
  });
  await call(red.token, 'post', `/tests/${id}/transitions`, { action: 'submit_to_blue' });
  await call(blue.token, 'put', `/tests/${id}/blue`, { outcome: 'logged' });
  await call(blue.token, 'post', `/tests/${id}/transitions`, { action: 'submit_for_review' });
  await call(red.token, 'post', `/tests/${id}/votes`, { decision: 'approve' });
  await call(blue.token, 'post', `/tests/${id}/votes`, { decision: 'approve' });

  // In the browser: the blue lead adds a remediation step and closes it.
  await signIn(page, blue.username, PASSWORD);
  await page.goto(`/tests/${id}`);
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByText('Re-test chain')).toHaveCount(0);
  await page.getByLabel('Step title').fill('Alert on LSASS access');
  await page.getByRole('button', { name: 'Add step' }).click();
  const status = page.getByLabel('Status of Alert on LSASS access');
  await expect(status).toBeVisible();
  await status.selectOption('done');

  // Closing the last step made the re-test; follow it.
  await page.getByRole('link', { name: 'open the re-test' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Re-test 1: ${title}` })).toBeVisible();
  const chain = page.getByTestId('chain-test');
  await expect(chain).toHaveCount(2);
  await expect(chain.nth(0)).toContainText('First test');
  await expect(chain.nth(0)).toContainText('Validated');
  await expect(chain.nth(1)).toContainText('Re-test #1 (this test)');
  await expect(chain.nth(1)).toContainText('Draft');

  // And back to the first test, whose chain now lists the re-test as a link.
  await chain.nth(0).getByRole('link', { name: 'First test' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId('chain-test').nth(1).getByRole('link', { name: 'Re-test #1' })).toBeVisible();
});
