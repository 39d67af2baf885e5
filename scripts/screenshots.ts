// Screenshots of the main pages at 1440×900 into screenshots/ (git-ignored), and the matrix's
// interactive time. Uses BASE_URL when given (an admin/Admin-Passw0rd! account must exist there);
// otherwise starts the built server seeded with ATT&CK 18.1, like the e2e tests.
//   npm run build && npx tsx scripts/screenshots.ts
import { mkdir } from 'node:fs/promises';
import { chromium, request } from 'playwright-core';
import { ADMIN, startServer } from '../e2e/support/server';

const server = process.env.BASE_URL ? null : await startServer();
const base = process.env.BASE_URL ?? server?.url ?? '';
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
  ],
});
try {
  await mkdir('screenshots', { recursive: true });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(`${base}/login`);
  await page.screenshot({ path: 'screenshots/login.png' });
  await page.getByLabel('Username or email').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.getByTestId('tactic-bar').first().waitFor();
  await page.screenshot({ path: 'screenshots/dashboard.png' });

  // Interactive time: a fresh navigation (cold query cache) to the last cell in the DOM.
  const started = Date.now();
  await page.goto(`${base}/matrix`);
  await page.getByTestId('matrix').waitFor();
  const ms = Date.now() - started;
  const cells = await page.getByTestId('technique-cell').count();
  const mark = await page.evaluate(
    () => performance.getEntriesByName('aegis:matrix-rendered')[0]?.startTime ?? -1,
  );
  process.stdout.write(
    `matrix: ${cells} cells; navigation → last cell ${ms} ms (in-page mark ${Math.round(mark)} ms)\n`,
  );
  await page.screenshot({ path: 'screenshots/matrix.png' });

  await page.getByRole('button', { name: /sub-techniques of OS Credential Dumping/ }).click();
  await page.getByTestId('subtechnique-cell').first().waitFor();
  await page.locator('#matrix-status').selectOption('untested');
  await page.screenshot({ path: 'screenshots/matrix-expanded.png' });

  await page.goto(`${base}/techniques/T1003`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByText('Loading tests…').waitFor({ state: 'detached' });
  await page.screenshot({ path: 'screenshots/technique.png' });

  await page.getByRole('button', { name: /Notifications/ }).click();
  await page
    .getByText(/You have no notifications|Mark all read/)
    .first()
    .waitFor();
  await page.getByRole('button', { name: /Administrator/ }).click();
  await page.screenshot({ path: 'screenshots/menus.png' });

  // A test in blue's hands (created through the API as the admin) for the tests list and detail pages.
  const apiContext = await request.newContext({ baseURL: base });
  const login = await apiContext.post('/api/v1/auth/login', { data: ADMIN });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const call = async (method: 'POST' | 'PUT', path: string, data: unknown) => {
    const res = await apiContext.fetch(`/api/v1${path}`, {
      method,
      data,
      headers: { Authorization: `Bearer ${accessToken}` },
    });
    if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as { id: string };
  };
  const created = await call('POST', '/tests', {
    technique: 'T1059.001',
    title: 'Encoded PowerShell download cradle',
    description: 'Run an encoded download cradle from an interactive user shell on a lab workstation.',
    platform: 'Windows',
    expectedOutcome: 'detected',
  });
  await call('POST', `/tests/${created.id}/transitions`, { action: 'start_execution', comment: 'Starting' });
  await call('PUT', `/tests/${created.id}/red`, {
    procedure: 'Open a user shell and run the encoded cradle.',
    commands: 'powershell.exe -NoP -NonI -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA…',
    targetHost: 'ws-042.lab',
    executionStartedAt: new Date(Date.now() - 3_600_000).toISOString(),
    executionEndedAt: new Date(Date.now() - 3_300_000).toISOString(),
  });
  await call('POST', `/tests/${created.id}/transitions`, {
    action: 'submit_to_blue',
    comment: 'Over to blue',
  });
  await call('PUT', `/tests/${created.id}/blue`, {
    toolResults: [
      { tool: 'Defender for Endpoint', outcome: 'detected', detectedAt: new Date().toISOString() },
      { tool: 'Sysmon → SIEM', outcome: 'logged', firstLoggedAt: new Date().toISOString() },
    ],
    firedRules: [{ name: 'Suspicious encoded PowerShell command line' }],
    notes: 'EDR raised a medium alert within two minutes.',
  });
  await call('POST', '/tests', { technique: 'T1003.001', title: 'LSASS memory dump with comsvcs.dll' });
  await apiContext.dispose();

  await page.goto(`${base}/tests`);
  await page.getByTestId('test-row').first().waitFor();
  await page.screenshot({ path: 'screenshots/tests.png' });

  await page.goto(`${base}/tests/${created.id}`);
  await page.getByTestId('test-state').waitFor();
  await page.getByText('Loading evidence…').waitFor({ state: 'detached' });
  await page.screenshot({ path: 'screenshots/test-detail.png' });
  await page.getByRole('form', { name: 'Blue team record' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'screenshots/test-detail-blue.png' });

  await page.goto(`${base}/tests/pending`);
  await page.getByText('Loading your tasks…').waitFor({ state: 'detached' });
  await page.screenshot({ path: 'screenshots/pending.png' });
  // The other main pages, each once its heading (and content) is there.
  const shots: Array<[string, string, string?]> = [
    ['software', '/software/S0002', 'Mimikatz'],
    ['intrusion', '/intrusions/C0024'],
    ['threat-actor', '/threat-actors/G0016', 'APT29'],
    ['catalog', '/catalog'],
    ['template-new', '/catalog/new'],
    ['rules', '/detection-rules'],
    ['defenses', '/defenses'],
    ['compliance', '/compliance'],
    ['import-runs', '/system/import-runs'],
    ['data-sources', '/system/data-sources'],
    ['status', '/system/status'],
    ['users', '/system/users'],
    ['audit-log', '/system/audit-log'],
    ['password', '/settings/password'],
  ];
  for (const [name, path, heading] of shots) {
    await page.goto(`${base}${path}`);
    await page.getByRole('heading', { level: 1, ...(heading ? { name: heading } : {}) }).waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: `screenshots/${name}.png` });
  }
  // A laptop screen: the matrix and a test at 1280×800.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/matrix`);
  await page.getByTestId('matrix').waitFor();
  await page.screenshot({ path: 'screenshots/matrix-1280.png' });
  await page.goto(`${base}/tests/${created.id}`);
  await page.getByTestId('test-state').waitFor();
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: 'screenshots/test-detail-1280.png' });
  process.stdout.write('screenshots written to screenshots/\n');
} finally {
  await browser.close();
  await server?.stop();
}
