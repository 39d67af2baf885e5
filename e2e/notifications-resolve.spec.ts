import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { type Account, apiToken, createUser, openAs } from './support/session';

const run = Date.now().toString(36);
const bell = (page: Page) => page.getByRole('button', { name: /^Notifications, \d+ unread$/ });
const shots = process.env.SCREENSHOTS_DIR;

/** A test taken through red and blue by API, so it waits in review for both leads. */
async function testInReview(
  request: APIRequestContext,
  red: Account,
  blue: Account,
  title: string,
): Promise<string> {
  const as = async (who: Account) => ({
    Authorization: `Bearer ${await apiToken(request, who.username, who.password)}`,
  });
  const redAuth = await as(red);
  const blueAuth = await as(blue);
  const created = await request.post('/api/v1/tests', {
    headers: redAuth,
    data: { technique: 'T1558.003', title },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = ((await created.json()) as { id: string }).id;
  const step = async (headers: Record<string, string>, method: 'post' | 'put', url: string, data: object) => {
    const res = await request[method](`/api/v1/tests/${id}${url}`, { headers, data });
    expect(res.ok(), await res.text()).toBe(true);
  };
  await step(redAuth, 'post', '/transitions', { action: 'start_execution' });
  await step(redAuth, 'put', '/red', {
    commands: 'Rubeus kerberoast',
    executionStartedAt: '2026-01-05T10:00:00Z',
  });
  await step(redAuth, 'post', '/transitions', { action: 'submit_to_blue' });
  await step(blueAuth, 'put', '/blue', { toolResults: [{ tool: 'EDR', outcome: 'detected', notes: '' }] });
  await step(blueAuth, 'post', '/transitions', { action: 'submit_for_review' });
  return id;
}

test('a lead sees "your vote is needed" resolve itself once both leads have voted', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  const [red, blue, redLead, blueLead] = [
    await createUser(request, 'red_tech', `res${run}`),
    await createUser(request, 'blue_tech', `res${run}`),
    await createUser(request, 'red_lead', `res${run}`),
    await createUser(request, 'blue_lead', `res${run}`),
  ];
  const title = `Kerberoasting ${run}`;
  const id = await testInReview(request, red, blue, title);

  // Both leads were asked to vote.
  const blueLeadPage = await openAs(browser, blueLead);
  await expect(bell(blueLeadPage)).toHaveAccessibleName('Notifications, 1 unread');
  const redLeadPage = await openAs(browser, redLead);
  await expect(bell(redLeadPage)).toHaveAccessibleName('Notifications, 1 unread');

  // The red lead votes on the test page: their own "vote needed" is done; the blue lead is asked.
  await redLeadPage.goto(`/tests/${id}`);
  await redLeadPage.getByRole('button', { name: 'Approve' }).click();
  await expect(redLeadPage.getByTestId('vote-red')).toContainText('Approved');
  await expect(bell(redLeadPage)).toHaveAccessibleName('Notifications, 0 unread');
  await expect(bell(blueLeadPage)).toHaveAccessibleName('Notifications, 2 unread');

  // The blue lead watches the bell drop live (SSE) as they cast the second vote.
  await blueLeadPage.goto(`/tests/${id}`);
  await blueLeadPage.getByRole('button', { name: 'Approve' }).click();
  await expect(blueLeadPage.getByTestId('vote-blue')).toContainText('Approved');
  await expect(bell(blueLeadPage)).toHaveAccessibleName('Notifications, 0 unread');
  await expect(bell(redLeadPage)).toHaveAccessibleName('Notifications, 0 unread');

  // The bell's list keeps them, marked done with the reason.
  await bell(blueLeadPage).click();
  const dropdown = blueLeadPage.getByRole('region', { name: 'Notifications' });
  await expect(dropdown.getByTestId('notification-done').first()).toHaveText('Done — test validated');
  if (shots) await blueLeadPage.screenshot({ path: `${shots}/bell-dropdown.png` });

  // The notifications page: nothing needs the lead; "All" shows the done ones.
  await blueLeadPage.getByRole('link', { name: 'All notifications' }).click();
  await expect(blueLeadPage.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  await expect(blueLeadPage.getByText('Nothing needs you right now.')).toBeVisible();
  await blueLeadPage.getByLabel('All, including done').check();
  await expect(blueLeadPage.getByTestId('notification')).toHaveCount(2);
  await expect(blueLeadPage.getByTestId('notification-done')).toHaveText([
    'Done — test validated',
    'Done — test validated',
  ]);
  if (shots) await blueLeadPage.screenshot({ path: `${shots}/notifications-page.png`, fullPage: true });
});

test('a viewer is offered no pending tasks', async ({ browser, request }) => {
  const viewer = await createUser(request, 'viewer', `res${run}`);
  const page = await openAs(browser, viewer);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'All Tests' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'My Pending Tasks' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Recent activity' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'My pending tasks' })).toHaveCount(0);
});
