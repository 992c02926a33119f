// Electronic signatures in the console: an auditor sees the dispute decision controls disabled with the reason and
// flags a dispute; a supervisor decides it with a signature (a wrong password first, refused in the dialog); the
// signature is shown in the ticket's timeline, with the statement, and printed in the statement PDF.
import { readFile } from 'node:fs/promises';
import Database from '../support/sqlite-driver.ts';
import { pdfTextLines } from '../pdf-text.ts';
import { expect, test } from './fixtures.ts';
import { LoginPage } from './pages/login-page.ts';
import { OutcomesPage } from './pages/OutcomesPage.ts';
import { SignatureDialog } from './pages/SignatureDialog.ts';
import { TicketDetailPage } from './pages/TicketDetailPage.ts';

/** The signature events of the ledger with the period their dispute decision is credited in, read from the file. */
function signaturesIn(path: string): { seq: number; signedSeq: number; signedHash: string; display: string; period: string }[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT s.seq, s.actor, s.payload, json_extract(e.payload, '$.period') AS period
           FROM events s JOIN events e ON e.seq = json_extract(s.payload, '$.signedSeq')
          WHERE s.type = 'signature' AND e.type = 'outcome.dispute_upheld' ORDER BY s.seq`,
      )
      .all() as { seq: number; actor: string; payload: string; period: string }[];
    return rows.map((row) => {
      const payload = JSON.parse(row.payload) as { signedSeq: number; signedHash: string };
      return { seq: row.seq, signedSeq: payload.signedSeq, signedHash: payload.signedHash, display: (JSON.parse(row.actor) as { name: string }).name, period: row.period };
    });
  } finally {
    db.close();
  }
}

test.use({ account: null });

test('an auditor flags a dispute but may not decide it; a supervisor decides it with a signature shown in the timeline and the statement PDF', async ({ page, demoDb, startServer }) => {
  test.setTimeout(120_000);
  const url = await startServer(demoDb);
  const login = new LoginPage(page);
  const outcomes = new OutcomesPage(page);
  const dialog = new SignatureDialog(page);
  const detail = new TicketDetailPage(page);

  await login.open(url);
  const supervisor = (await login.demoAccounts()).find((account) => account.role === 'supervisor')!;
  // Verification is a supervisor's job: it makes billable outcomes to dispute.
  await login.signInAsDemo('supervisor');
  await outcomes.open();
  await outcomes.verify();
  await login.signOutNow();

  await login.signInAsDemo('auditor');
  await outcomes.open();
  await outcomes.period.selectOption('2026-10');
  const ticket = (await page.getByTestId('oc-line-ticket').first().textContent())!;
  await page.getByTestId('oc-line-ticket').first().click();
  await expect(detail.subject).toBeVisible();
  await page.getByTestId('oc-flag-reason').fill('the customer says the answer was wrong');
  await page.getByTestId('oc-flag-open').click();
  await expect(page.getByTestId('oc-flag')).toHaveCount(0);

  await outcomes.open();
  const dispute = outcomes.disputes.getByTestId('oc-dispute').filter({ hasText: ticket });
  await expect(dispute.getByTestId('oc-dispute-state')).toHaveText('open');
  for (const action of ['uphold', 'reject']) {
    const button = dispute.getByTestId(`oc-decide-${action}`);
    await expect(button).toBeDisabled();
    await expect(button).toHaveAttribute('title', /uphold a dispute|reject a dispute/);
  }
  await expect(dispute.getByTestId('refusal-note')).toContainText('auditor');
  await login.signOutNow();

  await login.signInAsDemo(supervisor.account);
  await outcomes.open();
  const open = outcomes.disputes.getByTestId('oc-dispute').filter({ hasText: ticket });
  await open.getByTestId('oc-decide-reason').fill('transcript confirms a wrong answer');
  await open.getByTestId('oc-decide-uphold').click();
  await expect(dialog.root).toBeVisible();
  await expect(dialog.signer).toHaveText(supervisor.display);
  // A wrong password is refused inside the dialog, which stays open.
  await dialog.password.fill('not-the-password');
  await dialog.submit.click();
  await expect(dialog.error).toContainText('wrong password');
  await dialog.sign(supervisor.password, 'approved', 'reviewed the transcript with the customer');

  await expect(outcomes.disputes.getByTestId('oc-dispute').filter({ hasText: ticket }).getByTestId('oc-dispute-state')).toHaveText('upheld');
  const [signature] = signaturesIn(demoDb);
  expect(signature).toMatchObject({ display: supervisor.display });
  // The console writes " UTC" (its one date format), the statement PDF its own "Z": the same instant either way.
  const line = new RegExp(`^Signed by ${supervisor.display} — approved — \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}(?:Z| UTC) — reviewed the transcript with the customer`);

  // The timeline: the decision carries its signature.
  await outcomes.period.selectOption(signature!.period);
  // The statement lists it beside the demo contract's own signature.
  await expect(page.getByTestId('oc-signatures').getByTestId('signature-line').filter({ hasText: 'reviewed the transcript' })).toHaveText(line);
  await expect(page.getByTestId('oc-signatures').getByTestId('signature-line').filter({ hasText: 'Pilot contract as agreed' })).toHaveCount(1);
  await page.getByTestId('oc-line-ticket').filter({ hasText: ticket }).first().click();
  await expect(detail.event(signature!.signedSeq).getByTestId('signature-line')).toHaveText(line);
  await expect(detail.event(signature!.signedSeq).getByTestId('signature-line')).toHaveAttribute('data-valid', 'true');

  // The statement PDF of the period the credit falls in prints the signature with the signed event's seq and hash.
  await outcomes.open();
  await outcomes.period.selectOption(signature!.period);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('oc-pdf').click()]);
  // The PDF's signature block: printed name, meaning and time on one line, then the reason and what it signs (wrapped).
  const text = pdfTextLines(await readFile((await download.path())!));
  const printed = new RegExp(`^${supervisor.display} — approved — \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC$`);
  expect(text.some((row) => printed.test(row))).toBe(true);
  expect(text.join(' ').replace(/\s+/g, ' ')).toContain(`Reason: reviewed the transcript with the customer. Signs #${signature!.signedSeq} (outcome.dispute_upheld) hash ${signature!.signedHash}`);
});
