import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, runCli, test } from './fixtures.ts';
import { SlaBoardPage } from './pages/SlaBoardPage.ts';

const FROM = '2026-05-01';
const TO = '2026-10-31';

test('the SLA board shows what the CLI computes and every figure opens its tickets', async ({ page, demoDb, serverUrl }) => {
  const cli = JSON.parse((await runCli(['sla', '--db', demoDb, '--from', FROM, '--to', TO, '--json'])).stdout);
  const byActor = JSON.parse((await runCli(['sla', '--db', demoDb, '--from', FROM, '--to', TO, '--by', 'actor', '--json'])).stdout);
  const board = new SlaBoardPage(page);
  await board.open(serverUrl, FROM, TO);
  await expect(board.compliance).toBeVisible();
  for (const metric of ['first_reply', 'total_resolution', 'requester_wait']) {
    const counts = cli.metrics[metric];
    await expect(board.cell(metric, 'achieved')).toHaveText(counts.achieved.toLocaleString('en-US'));
    await expect(board.cell(metric, 'breached')).toHaveText(counts.breached.toLocaleString('en-US'));
    await expect(board.cell(metric, 'compliance')).toHaveText(counts.compliance === null ? '—' : `${(counts.compliance * 100).toFixed(1)}%`);
  }
  await expect(board.cell('first_reply', 'achieved', 'ai')).toHaveText(String(byActor.groups.ai.first_reply.achieved));
  await expect(page.getByTestId('sla-trend')).toBeVisible();

  // Drill down: the breached first replies, then one ticket's timeline with its SLA clocks.
  await board.cell('first_reply', 'breached').click();
  await expect(board.drilldown).toContainText(`${cli.metrics.first_reply.breached} tickets`);
  const first = board.drilldown.getByTestId('sla-drilldown-ticket').first();
  const id = (await first.textContent())!;
  await first.click();
  const detail = page.getByTestId('ticket-detail');
  await expect(detail).toHaveAttribute('data-ticket-id', id);
  const panel = detail.getByTestId('sla-panel-first_reply');
  await expect(panel).toContainText('breached');
  await expect(panel).toContainText('breach');
  await expect(panel.getByTestId('sla-panel-seq').first()).toBeVisible();
});

test('the live queue lists clocks about to breach with a countdown, breached ones marked', async ({ page, demoDb, workDir, serverUrl }) => {
  // A ticket nobody answered: standard policy, first reply due 240 business minutes after Mon 09:00 Berlin (12:00Z).
  const file = join(workDir, 'late.jsonl');
  await writeFile(file, JSON.stringify({ ticket: 'T-LATE', type: 'created', at: '2026-11-02T08:00:00Z', channel: 'email', priority: 'normal', category: 'refund', subject: 'Where is my refund?' }) + '\n');
  await runCli(['import', '--db', demoDb, file]);
  const board = new SlaBoardPage(page);
  await board.open(serverUrl, FROM, TO);
  await page.getByTestId('sla-warning').fill('180');
  await page.getByTestId('sla-asof').fill('2026-11-02T10:00');
  const late = board.live.getByTestId('sla-live-approaching').filter({ hasText: 'T-LATE' });
  await expect(late).toBeVisible();
  // The browser runs in UTC here: 2 hours to go, frozen because the time is fixed (durations read "1 h 59 min").
  await expect(late.getByTestId('sla-countdown')).toHaveText(/^due in (1 h( \d{1,2} min)?|2 h)$/);
  await expect(board.live.getByTestId('sla-live-breached').first()).toContainText('breached');
});
