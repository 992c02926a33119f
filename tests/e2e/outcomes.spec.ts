import { expect, runCli, test } from './fixtures.ts';
import { TicketDetailPage } from './pages/TicketDetailPage.ts';

interface StatementJson {
  period: string;
  currency: string;
  verified: number;
  disputed: number;
  subtotal: string;
  total: string;
  lines: { ticket: string; evidence: number[] }[];
}

async function statement(db: string, period: string): Promise<StatementJson> {
  return JSON.parse((await runCli(['statement', '--db', db, '--period', period])).stdout) as StatementJson;
}

test('the console verifies on open, and its statement agrees with the CLI to the cent; a line opens its evidence', async ({ page, serverUrl, demoDb }) => {
  await page.goto(serverUrl);
  await page.getByTestId('view-tab-outcomes').click();
  await expect(page.getByTestId('oc-statement')).toBeVisible();
  await expect(page.getByTestId('oc-contract')).toContainText('demo-ai-pilot-2026 v1');
  const period = await page.getByTestId('oc-period').inputValue();
  expect(period).toMatch(/^2026-\d{2}$/);

  // Choose the busiest period the picker offers (October of the demo) and compare with the CLI.
  await page.getByTestId('oc-period').selectOption('2026-10');
  const cli = await statement(demoDb, '2026-10');
  expect(cli.verified).toBeGreaterThan(0);
  await expect(page.getByTestId('oc-total-total')).toContainText(`${cli.total} ${cli.currency}`);
  await expect(page.getByTestId('oc-total-subtotal')).toContainText(`${cli.subtotal} ${cli.currency}`);
  await expect(page.getByTestId('oc-line')).toHaveCount(cli.lines.length);
  // Running verification again (CLI) changes nothing.
  await runCli(['outcomes', '--db', demoDb, '--as-of', new Date().toISOString()]);
  expect(await statement(demoDb, '2026-10')).toEqual(cli);

  const first = cli.lines[0]!;
  await page.getByTestId('oc-line-ticket').first().click();
  const detail = new TicketDetailPage(page);
  await expect(detail.subject).toBeVisible();
  const highlighted = detail.root.locator('[data-testid="timeline-event"][data-evidence="true"]');
  await expect(highlighted).toHaveCount(first.evidence.length);
  expect((await highlighted.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))))).sort((a, b) => a - b)).toEqual(first.evidence);
  await expect(page.getByTestId('oc-ticket-state')).toHaveText('Verified — billable');
});

test('a dispute is held back, listed with its age, and a supervisor rejects it with a reason', async ({ page, serverUrl, demoDb }) => {
  await page.goto(serverUrl);
  await page.getByTestId('view-tab-outcomes').click();
  await expect(page.getByTestId('oc-statement')).toBeVisible();
  await page.getByTestId('oc-period').selectOption('2026-10');
  const before = await statement(demoDb, '2026-10');
  const ticket = before.lines[0]!.ticket;
  await runCli(['dispute', 'open', '--db', demoDb, '--ticket', ticket, '--reason', 'customer complained by phone', '--user', 'aud-1']);
  const held = await statement(demoDb, '2026-10');
  expect(held.disputed).toBe(1);

  await page.reload();
  await page.getByTestId('view-tab-outcomes').click();
  await page.getByTestId('oc-period').selectOption('2026-10');
  await expect(page.getByTestId('oc-total-total')).toContainText(`${held.total} EUR`);
  const dispute = page.getByTestId('oc-dispute').first();
  await expect(dispute).toContainText(ticket);
  await expect(dispute.getByTestId('oc-dispute-age')).toContainText('open for');
  await dispute.getByTestId('oc-decide-reject').click();
  await expect(dispute).toContainText('Give a reason.');
  await dispute.getByTestId('oc-decide-reason').fill('transcript shows it was resolved');
  await dispute.getByTestId('oc-decide-reject').click();
  await expect(page.getByTestId('oc-disputes-empty')).toBeVisible();
  await expect(page.getByTestId('oc-total-total')).toContainText(`${before.total} EUR`);
  expect(await statement(demoDb, '2026-10')).toEqual(before);
});

test('the attribution counter opens its tickets', async ({ page, serverUrl }) => {
  await page.goto(serverUrl);
  await page.getByTestId('view-tab-outcomes').click();
  const verified = page.getByTestId('oc-count-verified');
  await expect(verified).toBeVisible();
  const count = Number(await verified.locator('strong').textContent());
  await verified.click();
  if (count === 0) await expect(page.getByTestId('oc-bucket-empty')).toBeVisible();
  else await expect(page.getByTestId('oc-bucket-ticket')).toHaveCount(count);
});
