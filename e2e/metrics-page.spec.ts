import { type APIRequestContext, expect, type Page, test } from '@playwright/test';
import { violations } from './support/axe';
import { asCsv, csvRows, tableRows } from './support/charts';
import { type Account, createUser, openAs, openFromNavigation } from './support/session';
import { validatedTest } from './support/workflow';

const run = Date.now().toString(36);
const tag = `mp${run}`;
/** A tool of this run only: filtering by it leaves exactly the tests made here. */
const TOOL = `Sensor ${run}`;

/**
 * Two tests on LSASS Memory (Credential Access) seen by `TOOL`, made once for the file: one both
 * leads approve, one the red lead rejects (that one vote decides it).
 */
let seeded: Promise<void> | undefined;
function seed(request: APIRequestContext): Promise<void> {
  seeded ??= (async () => {
    for (const review of ['approve', 'reject'] as const) {
      const started = Date.now() - 10 * 60_000;
      const detectedAt = new Date(started + 120_000).toISOString();
      await validatedTest(request, {
        technique: 'T1003.001',
        title: `Dump LSASS (${review}) ${run}`,
        platform: 'windows',
        tag,
        commands: 'rundll32.exe comsvcs.dll, MiniDump 624 lsass.dmp full',
        executionStartedAt: new Date(started).toISOString(),
        toolResults: [{ tool: TOOL, outcome: 'detected', detectedAt }],
        detectedAt,
        review,
      });
    }
  })();
  return seeded;
}

/** The metrics page from the navigation, once its sections have loaded. */
async function openMetrics(page: Page): Promise<void> {
  await openFromNavigation(page, 'Metrics');
  await expect(page.getByRole('status')).toHaveCount(0);
}

const lead = (request: APIRequestContext): Promise<Account> => createUser(request, 'blue_lead', tag);

test('a lead filters the metrics by a tool: the funnel, review decisions and results by tactic, each CSV its table', async ({
  browser,
  request,
}) => {
  test.setTimeout(120_000);
  await seed(request);
  const page = await openAs(browser, await lead(request));
  await openMetrics(page);
  await page.getByRole('combobox', { name: 'Tool' }).fill(TOOL);
  await expect(page).toHaveURL(/tool=Sensor/);
  await expect(page.getByTestId('metrics-period')).toContainText(`Only tests of tool ${TOOL}.`);

  // Both tests went all the way to a decision; one was validated.
  const funnel = [
    ['Created', '2', '—', '—'],
    ['Red executing', '2', '2', '100.0'],
    ['Blue evaluating', '2', '2', '100.0'],
    ['In review', '2', '2', '100.0'],
    ['Validated', '1', '2', '50.0'],
  ];
  await expect.poll(() => tableRows(page, 'funnel-table')).toEqual(funnel);
  await expect(page.getByTestId('funnel-basis')).toContainText('Of the 2 tests created in the period');
  // Each share rests on two tests: a low sample.
  await expect(page.getByTestId('funnel-table').getByTestId('low-sample')).toHaveCount(4);
  expect(await csvRows(page, page.getByTestId('funnel-csv'), 'pipeline-funnel.csv')).toEqual(asCsv(funnel));
  expect(await tableRows(page, 'snapshot-table')).toEqual([
    ['Draft', '0'],
    ['Red executing', '0'],
    ['Blue evaluating', '0'],
    ['In review', '0'],
    ['Validated', '1'],
    ['Rejected', '1'],
  ]);
  await expect(page.getByTestId('time-in_review').getByTestId('metric-basis')).toHaveText(
    'median of 2 tests that left it',
  );

  // The rates, each with what it is over; the rejection was one lead's vote, so agreement leaves it out.
  const figure = (id: string) => page.getByTestId(id);
  await expect(figure('validation-rate').getByTestId('metric-value')).toHaveText('50.0%');
  await expect(figure('validation-rate').getByTestId('metric-basis')).toHaveText(
    '1 of 2 decisions validated, the rest rejected',
  );
  await expect(figure('validation-rate').getByTestId('low-sample')).toBeVisible();
  await expect(figure('first-pass-rate').getByTestId('metric-basis')).toHaveText(
    '1 of 1 validations without an earlier rejection',
  );
  await expect(figure('lead-agreement').getByTestId('metric-value')).toHaveText('100.0%');
  await expect(figure('lead-agreement').getByTestId('metric-basis')).toHaveText(
    'same vote in 1 of 1 decision both leads voted in',
  );
  await expect(page.getByTestId('one-vote')).toHaveText(
    'Of 2 decisions, both leads voted in 1; 1 was decided by one vote (a lead’s rejection decides ' +
      'before the other lead votes), so lead agreement leaves it out.',
  );

  // The validated test is the current result of its procedure: detected, under Credential Access.
  const tactics = await tableRows(page, 'tactics-table');
  expect(tactics).toEqual([['Credential Access', '0', '1', '0', '0', '1', '100.0']]);
  expect(await csvRows(page, page.getByTestId('tactics-csv'), 'results-by-tactic.csv')).toEqual(
    asCsv(tactics),
  );

  // The filter survives a reload (it is in the URL) and clears.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Tool' })).toHaveValue(TOOL);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).not.toHaveURL(/tool=/);
  await expect(page.getByTestId('metrics-period')).toContainText('All in-scope tests.');
});

test('a lead sees each person’s actions, adding up to the team totals; a viewer sees the totals only', async ({
  browser,
  request,
}) => {
  await seed(request);
  const page = await openAs(browser, await lead(request));
  await openMetrics(page);
  const teams = await tableRows(page, 'team-table');
  expect(teams.map((row) => row[0])).toEqual(['Red team', 'Blue team', 'Admins and viewers', 'All teams']);
  const people = await tableRows(page, 'person-table');
  // The red lead of this run cast two votes (an approval and the rejection).
  expect(people).toContainEqual([
    `red_lead ${tag} (redlead${tag})`,
    'red lead',
    '0',
    '0',
    '0',
    '2',
    '0',
    '0',
  ]);
  const teamOf = (role: string) =>
    role.startsWith('red') ? 'Red team' : role.startsWith('blue') ? 'Blue team' : 'Admins and viewers';
  for (const [team, ...counts] of teams.slice(0, 3)) {
    const sums = counts.map((_, i) =>
      people
        .filter((p) => teamOf(p[1] ?? '') === team)
        .reduce((sum, p) => sum + Number(p[i + 2]), 0)
        .toString(),
    );
    expect(sums, team).toEqual(counts);
  }
  expect(await csvRows(page, page.getByTestId('team-csv'), 'team-activity.csv')).toEqual(teams);

  const viewer = await openAs(browser, await createUser(request, 'viewer', tag));
  await openMetrics(viewer);
  expect(await tableRows(viewer, 'team-table')).toEqual(teams);
  await expect(viewer.getByTestId('person-table')).toHaveCount(0);
  await expect(viewer.getByTestId('per-person-note')).toHaveText(
    'Leads and admins also see each person’s actions.',
  );
});

test('the metrics page has no WCAG 2.1 A/AA violations, and prints without its controls', async ({
  browser,
  request,
}) => {
  await seed(request);
  const page = await openAs(browser, await lead(request), { width: 1440, height: 900 });
  await openMetrics(page);
  await expect(page.getByTestId('funnel-chart')).toBeVisible();
  await expect(page.getByTestId('tactics-chart')).toBeVisible();
  expect(await violations(page)).toEqual([]);

  // For the record: the page as shown (the shell scrolls its main area, so a tall window shows it
  // whole) and as printed.
  await page.setViewportSize({ width: 1440, height: 2600 });
  await page.screenshot({ path: test.info().outputPath('metrics.png') });
  // Printed on A4 (210 mm less 2 × 12 mm margins is ≈ 700 px at 96 dpi).
  await page.setViewportSize({ width: 704, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  await page.screenshot({ path: test.info().outputPath('metrics-print.png'), fullPage: true });
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
  await expect(page.getByRole('combobox', { name: 'Tool' })).toBeHidden();
  // The charts' tables print open.
  await expect(page.getByTestId('funnel-table')).toBeVisible();
  await expect(page.getByTestId('metrics-period')).toBeVisible();
});
