import { join } from 'node:path';
import Database from '../support/sqlite-driver.ts';
import { cliLogin, expect, runCli, test } from './fixtures.ts';
import { SignatureDialog } from './pages/SignatureDialog.ts';
import { DEMO_ACCOUNTS } from '../../electron/core/people/demo-accounts.ts';
import { LoginPage } from './pages/login-page.ts';
import { OutcomesPage } from './pages/OutcomesPage.ts';
import { QueuePage } from './pages/QueuePage.ts';
import { TicketDetailPage } from './pages/TicketDetailPage.ts';

/** The ledger's size and head, read from the file read-only (never through the app under test). */
function ledger(path: string): { events: number; head: string } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT count(*) AS events, coalesce((SELECT hash FROM events ORDER BY seq DESC LIMIT 1), \'\') AS head FROM events').get() as { events: number; head: string };
  } finally {
    db.close();
  }
}

/** Types of the events appended after `events` (by count), read from the file read-only. */
function typesAfter(path: string, events: number): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT type FROM events ORDER BY seq LIMIT -1 OFFSET ?').pluck().all(events) as string[]);
  } finally {
    db.close();
  }
}

interface StatementJson {
  period: string;
  currency: string;
  verified: number;
  disputed: number;
  subtotal: string;
  total: string;
  lines: { ticket: string; evidence: number[] }[];
  signatures: { display: string; meaning: string; signedType: string; valid: boolean }[];
}

async function statement(db: string, period: string): Promise<StatementJson> {
  return JSON.parse((await runCli(['statement', '--db', db, '--period', period])).stdout) as StatementJson;
}

/** "603.9" in EUR → "EUR 603.90", "-0.99" → "−EUR 0.99" — Intl's en-US currency format with the code. */
function amountText(decimal: string, currency: string): string {
  const value = Number(decimal);
  const text = new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'code' }).format(Math.abs(value)).replace(/\u00a0/g, ' ');
  return value < 0 ? `\u2212${text}` : text;
}

test('opening Outcomes writes nothing and says it shows a dry evaluation; a supervisor runs verification, and the statement agrees with the CLI to the cent', async ({ page, serverUrl, demoDb }) => {
  const before = ledger(demoDb);
  await page.goto(serverUrl);
  const outcomes = new OutcomesPage(page);
  await outcomes.open();
  await expect(outcomes.contract).toContainText('demo-ai-pilot-2026 v1');
  await expect(outcomes.dryNote).toContainText('Not yet verified in this session');
  await expect(outcomes.dryNote).toContainText('dry evaluation as of');
  expect(ledger(demoDb)).toEqual(before);

  const result = await outcomes.verify();
  expect(result).toMatch(/^Verified as of \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: [1-9]\d* verified, \d+ reversed, \d+ discrepancies flagged/);
  expect(ledger(demoDb).events).toBeGreaterThan(before.events);
  await expect(outcomes.dryNote).toHaveCount(0);
  await expect(outcomes.statement).toBeVisible();
  const period = await page.getByTestId('oc-period').inputValue();
  expect(period).toMatch(/^2026-\d{2}$/);

  // Choose the busiest period the picker offers (October of the demo) and compare with the CLI.
  await page.getByTestId('oc-period').selectOption('2026-10');
  const cli = await statement(demoDb, '2026-10');
  expect(cli.verified).toBeGreaterThan(0);
  // Amounts read "EUR 1,234.50": the code, grouped digits (formatted here with Intl, independently of the console).
  await expect(page.getByTestId('oc-total-total')).toContainText(amountText(cli.total, cli.currency));
  await expect(page.getByTestId('oc-total-subtotal')).toContainText(amountText(cli.subtotal, cli.currency));
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
  await expect(page.getByTestId('oc-ticket-basis')).toHaveCount(0);
});

test.describe('as an auditor first', () => {
  test.use({ account: 'auditor' });

  test('an auditor flags an outcome, it is held back and listed with its age, and a supervisor rejects it with a reason', async ({ page, serverUrl, demoDb, workDir }) => {
    // Verification is a deliberate job: here the CLI (signed in as a supervisor) runs it before the console opens.
    await runCli(['outcomes', '--db', demoDb], 60_000, await cliLogin(workDir, 'mrivera'));
    const before = await statement(demoDb, '2026-10');
    const ticket = before.lines[0]!.ticket;

    // The auditor (signed in by the fixture) flags the billed ticket from its billing panel.
    const queue = new QueuePage(page);
    await queue.open(serverUrl);
    await queue.searchFor(ticket);
    await queue.row(ticket).click();
    await expect(page.getByTestId('oc-ticket-state')).toHaveText('Verified — billable');
    await page.getByTestId('oc-flag-reason').fill('customer complained by phone');
    await page.getByTestId('oc-flag-open').click();
    await expect.poll(async () => (await statement(demoDb, '2026-10')).disputed).toBe(1);
    const held = await statement(demoDb, '2026-10');

    // A supervisor decides it. (This console lists no demo accounts: the auditor was signed in before it opened.)
    const supervisor = DEMO_ACCOUNTS.find((a) => a.role === 'supervisor')!;
    const login = new LoginPage(page);
    await login.signOutNow();
    await login.signIn(supervisor.account, supervisor.password);
    await page.getByTestId('view-tab-outcomes').click();
    await page.getByTestId('oc-period').selectOption('2026-10');
    await expect(page.getByTestId('oc-total-total')).toContainText(amountText(held.total, 'EUR'));
    const dispute = page.getByTestId('oc-dispute').first();
    await expect(dispute).toContainText(ticket);
    await expect(dispute).toContainText('flagged by acct:jlindqvist');
    await expect(dispute.getByTestId('oc-dispute-age')).toContainText('open for');
    await dispute.getByTestId('oc-decide-reject').click();
    await expect(dispute).toContainText('Give a reason.');
    await dispute.getByTestId('oc-decide-reason').fill('transcript shows it was resolved');
    await dispute.getByTestId('oc-decide-reject').click();
    // Deciding a dispute is signed: the supervisor's password again, a meaning and why.
    await new SignatureDialog(page).sign(supervisor.password, 'approved', 'transcript shows it was resolved');
    await expect(page.getByTestId('oc-disputes-empty')).toBeVisible();
    await expect(page.getByTestId('oc-total-total')).toContainText(amountText(before.total, 'EUR'));
    // The same figures as before the flag; the statement now also lists the signed decision it relies on.
    const { signatures: signedAfter, ...after } = await statement(demoDb, '2026-10');
    const { signatures: signedBefore, ...figures } = before;
    expect(after).toEqual(figures);
    expect(signedAfter.slice(0, signedBefore.length)).toEqual(signedBefore);
    expect(signedAfter.slice(signedBefore.length)).toMatchObject([{ display: 'Maya Rivera', meaning: 'approved', signedType: 'outcome.dispute_rejected', valid: true }]);
  });
});

test('the attribution counter opens on the latest period with data (the demo ends in October 2026), not the calendar month', async ({ page, serverUrl }) => {
  await page.goto(serverUrl);
  const outcomes = new OutcomesPage(page);
  await outcomes.open();
  await expect(outcomes.attribution).toContainText('Attribution · 2026-10');
  await expect(outcomes.attributionPeriod).toHaveValue('2026-10');
  // Before any verification nothing is verified yet, but the period's rejections and the pending AI solves are counted.
  await expect(outcomes.countNumber('rejected')).not.toHaveText('0');
  await expect(outcomes.countNumber('pending')).not.toHaveText('0');
  await outcomes.attributionPeriod.selectOption('2026-09');
  await expect(outcomes.attribution).toContainText('Attribution · 2026-09');
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

test('opening every console view and several tickets writes nothing but the access record of the settings viewed (5,000-ticket demo)', async ({ page, workDir, startServer }) => {
  test.setTimeout(240_000);
  const db = join(workDir, 'demo-5k.db');
  await runCli(['demo', '--db', db, '--tickets', '5000', '--seed', '1'], 180_000);
  const url = await startServer(db);
  const before = ledger(db);

  const queue = new QueuePage(page);
  await queue.open(url);
  const detail = new TicketDetailPage(page);
  const openTicket = async (row: number): Promise<void> => {
    await queue.rows.nth(row).click();
    await expect(detail.subject).toBeVisible();
    await expect(detail.events.first()).toBeVisible();
    await expect(page.getByTestId('sla-panel')).toBeVisible();
    await expect(page.getByTestId('oc-ticket-state')).toBeVisible();
  };
  for (const row of [0, 1, 2, 5, 8]) await openTicket(row);
  // An AI-resolved ticket in the pilot's scope: its billing panel is a dry evaluation until verification runs.
  await queue.filter('resolved', 'ai').click();
  await openTicket(0);
  await expect(page.getByTestId('oc-ticket-basis')).toContainText('not yet verified — dry evaluation as of');

  await page.getByTestId('view-tab-sla').click();
  await expect(page.getByTestId('sla-board')).toBeVisible();
  await expect(page.getByTestId('sla-loading')).toHaveCount(0, { timeout: 60_000 });
  await page.getByTestId('view-tab-ai').click();
  await expect(page.getByTestId('ai-gaps')).toBeVisible();
  await expect(page.getByTestId('kb-panel')).toBeVisible();
  await page.getByTestId('view-tab-imports').click();
  await expect(page.getByTestId('imports-view')).toBeVisible();
  await page.getByTestId('view-tab-kpis').click();
  await expect(page.getByTestId('kpis-overview')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('kpis-tab-board').click();
  await expect(page.getByTestId('kpis-board')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('kpis-tab-roi').click();
  await expect(page.getByTestId('kpis-roi')).toBeVisible({ timeout: 60_000 });

  const outcomes = new OutcomesPage(page);
  await outcomes.open();
  await expect(outcomes.dryNote).toBeVisible();
  await outcomes.count('pending').click();
  const pending = page.getByTestId('oc-bucket-ticket');
  await expect(pending.first()).toBeVisible();
  await pending.first().click();
  await expect(detail.subject).toBeVisible();
  await expect(page.getByTestId('oc-ticket-state')).toHaveText('Pending');

  await page.getByTestId('view-tab-queue').click();
  await expect(queue.rows.first()).toBeVisible();
  // Reads write nothing; viewing the AI settings is an access record (the access log lists who saw them), once.
  expect(typesAfter(db, before.events)).toEqual(['access.settingsViewed']);
});
