import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { zipSync } from 'fflate';
import { ADMIN, ATTACK_BUNDLE } from './support/server';
import { signIn } from './support/session';

const sharedData = path.resolve(import.meta.dirname, '../../shared/data');

// Every sync here goes to a source no other journey uses (GTFOBins, CALDERA) or re-imports the
// release already stored (ATT&CK 18.1, a no-change run), so the specs may run in any order.

async function openPage(page: Page, link: string, heading: string): Promise<void> {
  await signIn(page, ADMIN.username, ADMIN.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

/** The list row of the run the page just queued, found through its "Open the run" link. */
async function queuedRunRow(page: Page, what: string): Promise<{ row: Locator; href: string }> {
  const status = page.getByRole('status').filter({ hasText: `${what} queued` });
  await expect(status).toBeVisible();
  const href = await status.getByRole('link', { name: 'Open the run' }).getAttribute('href');
  if (!href) throw new Error('the queued run has no link');
  return { row: page.getByTestId('import-run-row').filter({ has: page.locator(`a[href="${href}"]`) }), href };
}

test('an admin points GTFOBins at a server folder, syncs it and watches it finish', async ({ page }) => {
  const folder = path.join(sharedData, 'gtfobins');
  await openPage(page, 'Data sources', 'Data sources');
  const row = page.getByTestId('data-source-row').filter({ hasText: 'GTFOBins' });

  await row.getByRole('button', { name: 'Edit GTFOBins' }).click();
  const form = page.getByRole('form', { name: 'Edit GTFOBins' });
  await form.getByLabel('Location type').selectOption('folder');
  await form.getByLabel('Location', { exact: true }).fill(folder);
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toHaveCount(0);
  await expect(row).toContainText(folder);

  await row.getByRole('button', { name: 'Sync GTFOBins' }).click();
  await expect(row.getByRole('progressbar', { name: 'GTFOBins sync progress' })).toBeVisible();
  await expect(row.getByTestId('run-status')).toHaveText('succeeded', { timeout: 60_000 });
  // The last run's counts: live templates (one per GTFOBins example) and no file skipped.
  await expect(row).toContainText(/items\s*[1-9]\d{2}/);
  await expect(row).not.toContainText('skipped');
});

test('"Sync ATT&CK now" downloads the configured bundle live and finds nothing changed', async ({ page }) => {
  test.setTimeout(150_000);
  await openPage(page, 'Import runs', 'ATT&CK import runs');
  await expect(page.getByTestId('import-run-row').first()).toBeVisible();

  await page.getByRole('button', { name: 'Sync ATT&CK now' }).click();
  const { row } = await queuedRunRow(page, 'Sync');
  await expect(row).toContainText('127.0.0.1');
  await expect(row.getByRole('progressbar')).toBeVisible();
  await expect(row.getByTestId('run-status')).toHaveText('succeeded', { timeout: 120_000 });
  // Same release as the seed: the importer writes nothing and the list says so.
  await expect(row.getByTestId('run-result')).toHaveText('No changes');
  await expect(row).toContainText('v18.1');

  await page.getByRole('link', { name: 'Open the run' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'ATT&CK import — release 18.1' })).toBeVisible();
  await expect(
    page.getByText(/^No changes: the bundle matches the stored enterprise-attack data exactly/),
  ).toBeVisible();
  await expect(page.getByRole('cell', { name: 'attack-pattern', exact: true })).toBeVisible();
});

test.describe('uploads', () => {
  let dir: string;
  test.beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'aegis-e2e-upload-'));
  });
  test.afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('an archive uploaded to CALDERA becomes its location and syncs', async ({ page }) => {
    // Three real abilities, zipped at test time (no data copy is committed), as someone zipping the
    // abilities folder itself would: its one top folder is the data folder, not a GitHub-style wrapper.
    const folder = path.join(sharedData, 'caldera/abilities/discovery');
    const names = (await readdir(folder)).filter((n) => n.endsWith('.yml')).slice(0, 3);
    const entries: Record<string, Uint8Array> = {};
    for (const name of names)
      entries[`abilities/discovery/${name}`] = await readFile(path.join(folder, name));
    const archive = path.join(dir, 'caldera-abilities.zip');
    await writeFile(archive, zipSync(entries));

    await openPage(page, 'Data sources', 'Data sources');
    const row = page.getByTestId('data-source-row').filter({ hasText: 'MITRE CALDERA abilities' });
    const chooser = page.waitForEvent('filechooser');
    await row.getByRole('button', { name: 'Upload archive to MITRE CALDERA abilities' }).click();
    await (await chooser).setFiles(archive);

    await expect(row.getByTestId('run-status')).toHaveText('succeeded', { timeout: 60_000 });
    await expect(row).toContainText('uploaded archive');
    await expect(row).toContainText(/items\s*3(?!\d)/);
  });

  test('a file that is not an archive is refused in words', async ({ page }) => {
    const notArchive = path.join(dir, 'notes.zip');
    await writeFile(notArchive, 'just text, not a zip');
    await openPage(page, 'Data sources', 'Data sources');
    const row = page.getByTestId('data-source-row').filter({ hasText: 'MITRE CALDERA abilities' });
    const chooser = page.waitForEvent('filechooser');
    await row.getByRole('button', { name: 'Upload archive to MITRE CALDERA abilities' }).click();
    await (await chooser).setFiles(notArchive);
    await expect(row.getByRole('alert')).toHaveText(/^The file is not a \.zip or \.tar\.gz archive/);
  });

  test('a bundle uploaded on the import runs page is imported as a run', async ({ page }) => {
    test.setTimeout(150_000);
    await openPage(page, 'Import runs', 'ATT&CK import runs');

    // Dropping a JSON file that is not STIX: the server's 400 in words, nothing queued.
    // (A string: the e2e project has no DOM types.)
    const dataTransfer = await page.evaluateHandle(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['{"hello": "world"}'], 'hello.json', { type: 'application/json' }));
      return dt;
    })()`);
    await page.getByTestId('file-drop').dispatchEvent('drop', { dataTransfer });
    await expect(page.getByRole('alert')).toContainText('The file is not a STIX bundle the server can read');

    // The real 18.1 file (a small hand-made bundle would be a full release missing most objects,
    // which the importer would mark removed): a no-change run, like the sync.
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose a file…' }).click();
    await (await chooser).setFiles(ATTACK_BUNDLE);
    const { row } = await queuedRunRow(page, `Upload of ${path.basename(ATTACK_BUNDLE)}`);
    await expect(row).toContainText(path.basename(ATTACK_BUNDLE));
    await expect(row.getByTestId('run-status')).toHaveText('succeeded', { timeout: 120_000 });
    await expect(row.getByTestId('run-result')).toHaveText('No changes');
  });
});
