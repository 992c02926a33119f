import { fileURLToPath } from 'node:url';
import { expect, runCli, test } from './fixtures.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/importers/${name}`, import.meta.url));

test('imports a Freshdesk export with progress and shows the data-quality report; a re-import adds nothing', async ({ page, serverUrl, demoDb }) => {
  await page.goto(serverUrl);
  await page.getByTestId('view-tab-imports').click();
  await page.getByTestId('import-format').selectOption('freshdesk');
  await page.getByTestId('import-file').setInputFiles(fixture('freshdesk-tickets.csv'));
  await page.getByTestId('import-start').click();
  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible();
  await expect(report.getByTestId('report-rows')).toHaveText('8');
  await expect(report.getByTestId('report-imported')).toHaveText('6');
  await expect(report.getByTestId('report-duplicates')).toHaveText('1');
  await expect(report.getByTestId('report-anomaly')).toHaveCount(6);
  await expect(report.getByTestId('report-exclusions')).toContainText('first response time 2 tickets');

  // The CLI sees the same tickets; importing the same file again changes nothing.
  const again = JSON.parse((await runCli(['import', '--db', demoDb, '--format', 'freshdesk', fixture('freshdesk-tickets.csv'), '--json'])).stdout);
  expect(again).toMatchObject({ rows: 8, imported: 0, events: 0 });

  // A flagged ticket opens from the report.
  await report.getByRole('button', { name: 'fd-1004' }).first().click();
  await expect(page.getByTestId('ticket-detail')).toBeVisible();
});

test('maps a CSV: preview, guessed columns, then import', async ({ page, serverUrl }) => {
  await page.goto(serverUrl);
  await page.getByTestId('view-tab-imports').click();
  await page.getByTestId('import-format').selectOption('csv');
  await page.getByTestId('import-file').setInputFiles(fixture('generic.csv'));
  const mapping = page.getByTestId('import-mapping');
  await expect(mapping.getByTestId('import-preview').locator('tbody tr')).toHaveCount(5);
  await expect(mapping.getByTestId('map-id')).toHaveValue('Ticket ID');
  await expect(mapping.getByTestId('map-created')).toHaveValue('Created');
  await expect(mapping.getByTestId('map-firstResponse')).toHaveValue('First Reply');
  await expect(mapping.getByTestId('map-csat')).toHaveValue('Rating');
  await mapping.getByTestId('map-time-format').fill('yyyy-MM-dd H:mm');
  await mapping.getByTestId('map-priority-values').fill('Critical=urgent, Medium=normal');
  // The demo database already has tickets T-1…: a prefix keeps the sources apart.
  await mapping.getByTestId('map-id-prefix').fill('legacy-');
  const download = page.waitForEvent('download');
  await mapping.getByTestId('map-save').click();
  expect((await download).suggestedFilename()).toBe('generic-mapping.json');
  await page.getByTestId('import-start').click();
  const report = page.getByTestId('import-report');
  await expect(report.getByTestId('report-imported')).toHaveText('4');
  await expect(report.getByTestId('report-anomaly')).toHaveCount(4);
  // Anomalies are grouped by kind (most frequent first): legacy-T-3's is in one of the groups.
  await expect(report.getByTestId('report-anomaly').filter({ hasText: 'legacy-T-3' })).not.toHaveCount(0);
});

test('a broken file reports FILE:LINE: field: reason and imports nothing', async ({ page, serverUrl }) => {
  await page.goto(serverUrl);
  await page.getByTestId('view-tab-imports').click();
  await page.getByTestId('import-format').selectOption('freshdesk');
  await page.getByTestId('import-file').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from('Ticket ID,Created time\n1,2024-01-01 10:00:00\n2,someday\n') });
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('import-error')).toContainText('broken.csv:3: Created time: "someday" is not a date and time');
  await expect(page.getByTestId('import-report')).toHaveCount(0);
});
