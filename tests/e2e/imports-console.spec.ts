// The Imports console end to end: CSAT words mapped after a value check (nothing imported by the check), the
// finishing phase, anomalies grouped by kind (paged, exported as CSV), the past-imports list, the queue's
// category filter learning the new category without a reload, and the KPI overview leaving flagged tickets out.
import { readFile } from 'node:fs/promises';
import { expect, test } from './fixtures.ts';
import { ImportsPage } from './pages/ImportsPage.ts';
import { KpiFlaggedPanel } from './pages/KpiFlaggedPanel.ts';
import { QueuePage } from './pages/QueuePage.ts';

const HEADER = 'Ticket ID,Opened,First Reply,Solved At,State,Priority,Rating,Channel,Category';
// L-1, L-2: solved after exactly one reply (first-contact); L-3: solved with no reply; L-4: solved at 14:00 but
// opened at 15:00 (resolved before created: left out of FCR); L-10…L-69: status "Parked", which nothing maps
// (60 unknown-status anomalies); L-70: priority "P9" (one unknown-priority anomaly). CSAT is written as words.
const ROWS = [
  'L-1,2026-03-02 09:00,2026-03-02 09:30,2026-03-02 10:00,Solved,Medium,Happy,email,legacy_billing',
  'L-2,2026-03-02 09:00,2026-03-02 09:40,2026-03-02 11:00,Solved,Medium,Unhappy,email,legacy_billing',
  'L-3,2026-03-02 09:00,,2026-03-02 12:00,Solved,Medium,Happy,email,legacy_billing',
  'L-4,2026-03-02 15:00,,2026-03-02 14:00,Solved,Medium,Unhappy,email,legacy_billing',
  ...Array.from({ length: 60 }, (_, i) => `L-${10 + i},2026-03-03 09:00,,,Parked,Medium,,email,legacy_billing`),
  'L-70,2026-03-03 10:00,,,Open,P9,,email,legacy_billing',
];
const CSV = `${HEADER}\n${ROWS.join('\n')}\n`;

test('maps CSAT words after a value check, shows the finishing phase, grouped anomalies, past imports, new filter values and KPI exclusions', async ({ page, serverUrl }, testInfo) => {
  const queue = new QueuePage(page);
  await queue.open(serverUrl);
  // The demo has no such category yet.
  await expect(queue.filter('category', 'legacy_billing')).toHaveCount(0);

  const imports = new ImportsPage(page);
  await imports.open();
  const before = await imports.historyRows.count();
  await imports.chooseCsv('legacy.csv', CSV);
  await expect(imports.column('csat')).toHaveValue('Rating');
  await imports.idPrefix.fill('old-');

  // The check reads the whole file: CSAT words are not understood until mapped.
  await imports.checkValues();
  await expect(imports.surveyValue('csat', 'Happy')).toHaveAttribute('data-state', 'unmapped');
  await expect(imports.surveyCount('csat', 'Happy')).toHaveText('2');
  await expect(imports.unmappedNote('csat')).toContainText('2 values not understood on 4 rows');
  await expect(imports.surveyCount('status', 'Parked')).toHaveText('60');
  await expect(imports.surveyValue('category', 'legacy_billing')).toContainText('new to the ledger');
  // Nothing was imported by the check.
  await expect(imports.historyRows).toHaveCount(before);

  await imports.mapValue('csat', 'Happy', '5');
  await imports.mapValue('csat', 'Unhappy', '1');
  await expect(imports.valueMap('csat')).toHaveValue('Happy=5, Unhappy=1');
  await expect(imports.unmappedNote('csat')).toHaveText('Every value is understood');
  await imports.checkValues();
  await expect(imports.surveyValue('csat', 'Happy')).toHaveAttribute('data-state', 'mapped');
  await page.screenshot({ path: testInfo.outputPath('imports-value-check.png'), fullPage: true });
  expect(await imports.saveMapping()).toMatchObject({ columns: { csat: 'Rating' }, values: { csat: { Happy: 5, Unhappy: 1 } }, idPrefix: 'old-' });

  await imports.start();
  await expect(imports.reportImported).toHaveText('65');
  // Reading, then finishing (import record, one projection batch, ledger-wide projections, commit).
  await expect(imports.reading).toContainText('65 rows · done');
  await expect(imports.finishing).toContainText('committed · 4 of 4 steps · 100%');

  // Anomalies grouped by kind, most frequent first; no CSAT anomalies: the words were mapped.
  await expect(imports.anomalyTotal).toHaveText('62');
  await expect(imports.anomalyGroups).toHaveCount(3);
  await expect(imports.anomalyGroups.first()).toHaveAttribute('data-kind', 'unknown_status');
  await expect(imports.groupCount('unknown_status')).toHaveText('60');
  await expect(imports.anomalyGroup('csat_out_of_range')).toHaveCount(0);
  // A large group starts closed and pages 50 rows at a time; small ones start open.
  await expect(imports.groupRows('unknown_status')).toHaveCount(0);
  await expect(imports.groupRows('resolved_before_created')).toHaveCount(1);
  await imports.toggleGroup('unknown_status');
  await expect(imports.groupRows('unknown_status')).toHaveCount(50);
  await expect(imports.groupPage('unknown_status')).toHaveText('Rows 1–50 of 60');
  await imports.nextGroupPage('unknown_status');
  await expect(imports.groupRows('unknown_status')).toHaveCount(10);
  await expect(imports.groupPage('unknown_status')).toHaveText('Rows 51–60 of 60');
  await page.screenshot({ path: testInfo.outputPath('imports-report.png'), fullPage: true });

  // The CSV export: a header and one line per anomaly, the largest group first.
  const download = await imports.exportAnomalies();
  expect(download.suggestedFilename()).toBe('legacy-anomalies.csv');
  const lines = (await readFile((await download.path())!, 'utf8')).trimEnd().split('\r\n');
  expect(lines[0]).toBe('Line,Ticket,Anomaly,Detail,Left out of KPIs,Kind code');
  expect(lines).toHaveLength(1 + 62);
  expect(lines.filter((line) => line.endsWith(',unknown_status'))).toHaveLength(60);
  expect(lines[1]).toMatch(/^6,old-L-10,Unknown status,/);
  expect(lines.at(-1)).toMatch(/,old-L-70,Unknown priority,.*,unknown_priority$/);

  // Past imports: this file on top, with its SHA-256 and who imported it.
  await expect(imports.historyRows).toHaveCount(before + 1);
  const latest = imports.historyRow(0);
  await expect(latest.file).toHaveText('legacy.csv');
  await expect(latest.sha).toHaveText((await imports.reportSha.textContent())!);
  await expect(latest.who).toHaveText('Maya Rivera');
  await expect(latest.imported).toHaveText('65');
  await expect(latest.anomalies).toHaveText('62');

  // The queue's filters learned the new category without a reload.
  await queue.showTab();
  await expect(queue.filter('category', 'legacy_billing')).toBeVisible();

  // KPIs: the ticket resolved before it was created leaves FCR (2 of 3 = 66.7%) until included (2 of 4 = 50.0%).
  const kpis = new KpiFlaggedPanel(page);
  await kpis.open();
  await kpis.setPeriod('2026-03-02', '2026-03-03');
  await expect(kpis.summary).toContainText('62 import-flagged tickets left out of the KPIs their data-quality flags spoil');
  await expect(kpis.summary).toContainText('First-contact resolution 1');
  await expect(kpis.fcrValue).toHaveText('66.7%');
  await kpis.includeToggle.check();
  await expect(kpis.summary).toContainText('62 import-flagged tickets counted in every KPI');
  await expect(kpis.fcrValue).toHaveText('50.0%');
  await page.screenshot({ path: testInfo.outputPath('kpis-flagged.png') });
});
