import { readFile } from 'node:fs/promises';
import { expect, type Locator, type Page } from '@playwright/test';

/**
 * A table's body, row by row, as its cells read (a "low sample" label left out: the CSV holds the
 * numbers only). A chart's table is opened from its "Show as a table" first.
 */
export async function tableRows(page: Page, testId: string): Promise<string[][]> {
  const table = page.getByTestId(testId);
  const details = table.locator('xpath=ancestor::details');
  if ((await details.count()) > 0 && (await details.getAttribute('open')) === null)
    await details.locator('summary').click();
  await expect(table).toBeVisible();
  return table.locator('tbody tr').evaluateAll((rows) =>
    rows.map((row) =>
      [...row.querySelectorAll('th, td')].map((cell) => {
        const copy = cell.cloneNode(true) as typeof cell;
        for (const label of copy.querySelectorAll('[data-testid="low-sample"]')) label.remove();
        return (copy.textContent ?? '').trim();
      }),
    ),
  );
}

/** A "Download CSV" as downloaded, without its header. */
export async function csvRows(page: Page, link: Locator, filename: string): Promise<string[][]> {
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe(filename);
  const lines = (await readFile(await download.path(), 'utf8')).trim().split('\r\n').slice(1);
  return lines.map((line) => line.split(','));
}

/** What the CSV holds for a table's rows: an empty cell for "—". */
export const asCsv = (rows: string[][]): string[][] =>
  rows.map((row) => row.map((cell) => (cell === '—' ? '' : cell)));
