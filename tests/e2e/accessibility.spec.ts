// Every view of the console, signed in as an administrator (who may open all of them), has no serious or critical
// accessibility violation by axe-core's rules; so does the queue with a ticket open and a chart's data table shown.
import { expect, test } from './fixtures.ts';
import { AiPage } from './pages/AiPage.ts';
import { AuditPage } from './pages/AuditPage.ts';
import { AxeScan } from './pages/AxeScan.ts';
import { ConsoleShell, type ViewId } from './pages/ConsoleShell.ts';
import { ImportsPage } from './pages/ImportsPage.ts';
import { KpisPage } from './pages/KpisPage.ts';
import { OutcomesPage } from './pages/OutcomesPage.ts';
import { PeoplePage } from './pages/people-page.ts';
import { AccessLogPage } from './pages/access-log-page.ts';
import { QueuePage } from './pages/QueuePage.ts';
import { SlaBoardPage } from './pages/SlaBoardPage.ts';

test.use({ account: 'admin' });

test('no serious or critical axe violations on any view', async ({ page, serverUrl }) => {
  test.setTimeout(120_000);
  const shell = new ConsoleShell(page);
  const axe = new AxeScan(page);
  const queue = new QueuePage(page);
  const sla = new SlaBoardPage(page);
  await shell.open(serverUrl);
  await queue.settledTotal();

  const views: Array<[ViewId, () => Promise<void>]> = [
    ['queue', async () => {
      const [ticket] = await queue.rowValues('data-ticket-id');
      await queue.selectTicket(ticket!);
    }],
    ['sla', async () => {
      await sla.show();
      await sla.trendTableToggle.click();
      await expect(sla.trendTable).toBeVisible();
    }],
    ['ai', () => new AiPage(page).open()],
    ['outcomes', () => new OutcomesPage(page).open()],
    ['audit', () => new AuditPage(page).open()],
    ['imports', () => new ImportsPage(page).open()],
    ['kpis', () => new KpisPage(page).open()],
    ['people', () => new PeoplePage(page).open()],
    ['access', () => new AccessLogPage(page).open()],
  ];
  const found: string[] = [];
  for (const [view, open] of views) {
    await open();
    await shell.expectView(view);
    for (const line of await axe.seriousViolations()) found.push(`${view}: ${line}`);
  }
  expect(found).toEqual([]);
});
