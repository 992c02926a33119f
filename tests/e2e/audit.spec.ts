import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from '../support/sqlite-driver.ts';
import { cliLogin, expect, runCli, test } from './fixtures.ts';
import { AuditPage } from './pages/AuditPage.ts';
import { OutcomesPage } from './pages/OutcomesPage.ts';
import { SignatureDialog } from './pages/SignatureDialog.ts';
import { DEMO_ACCOUNTS } from '../../electron/core/people/demo-accounts.ts';

interface StatementJson {
  lines: { ticket: string; status: string; verifiedSeq: number }[];
}


/** The events of one type, read from the file read-only (never through the app under test). */
function eventsOfType(path: string, type: string): { seq: number; ticket: string | null; actor: Record<string, unknown>; payload: Record<string, unknown> }[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT seq, ticket_id, actor, payload FROM events WHERE type = ? ORDER BY seq').all(type) as { seq: number; ticket_id: string | null; actor: string; payload: string }[];
    return rows.map((r) => ({ seq: r.seq, ticket: r.ticket_id, actor: JSON.parse(r.actor), payload: JSON.parse(r.payload) }));
  } finally {
    db.close();
  }
}

/** The published sampling rule, redone here from the CLI's statement with node:crypto alone. */
async function sampleByHand(db: string, period: string, seed: string, size: number): Promise<string[]> {
  const statement = JSON.parse((await runCli(['statement', '--db', db, '--period', period])).stdout) as StatementJson;
  return statement.lines
    .filter((l) => l.status === 'billed' || l.status === 'billed_and_reversed')
    .map((l) => ({ ticket: l.ticket, key: createHash('sha256').update(`${seed}:${l.ticket}`).digest('hex') }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, size)
    .map((l) => l.ticket);
}

test.describe('as an auditor', () => {
  test.use({ account: 'auditor' });

  test('an auditor verifies the chain, draws a reproducible sample, records a note, downloads a receipt, and sees issuing refused with the reason', async ({ page, startServer, demoDb, workDir }) => {
    await runCli(['outcomes', '--db', demoDb], 60_000, await cliLogin(workDir, 'mrivera'));
    // The server's user-data folder (its installation key signs the receipt's checkpoint) in this test's folder.
    await page.goto(await startServer(demoDb, { ATTEST_HOME: join(workDir, 'home') }));
    const audit = new AuditPage(page);
    await audit.open();
    expect(await audit.verifyChain()).toBe('intact');
    await expect(audit.verdict).toContainText('every stored checkpoint matches the ledger');

    // The session gap report, as the CLI computes it.
    const gaps = JSON.parse((await runCli(['audit', 'gaps', '--db', demoDb, '--json'])).stdout) as { events: number; findings: unknown[] };
    await expect(page.getByTestId('au-gaps-summary')).toContainText(`${gaps.findings.length} finding`);
    await expect(page.getByTestId('au-gap')).toHaveCount(gaps.findings.length);

    const seed = 'e2e-audit-7';
    const expected = await sampleByHand(demoDb, '2026-10', seed, 5);
    expect(expected).toHaveLength(5);
    expect(await audit.drawSample('2026-10', seed, 5)).toEqual(expected);
    await expect(audit.sampleRule).toContainText('SHA-256 of "<seed>:<ticket>"');
    // Another seed draws another sample; the first seed draws the first one again.
    expect(await audit.drawSample('2026-10', 'another-seed', 5)).not.toEqual(expected);
    expect(await audit.drawSample('2026-10', seed, 5)).toEqual(expected);

    const ticket = expected[0]!;
    const review = await audit.reviewTicket(ticket);
    await audit.recordNote(review, 'finding', 'the CSAT survey is missing from the transcript');
    await expect(audit.notes.first()).toContainText('the CSAT survey is missing from the transcript');
    await expect(audit.notes.first()).toContainText('Johanna Lindqvist');
    await expect(audit.notes.first()).toHaveAttribute('data-verdict', 'finding');
    const [note] = eventsOfType(demoDb, 'audit.note');
    expect(note).toMatchObject({
      ticket,
      actor: { kind: 'human', id: 'acct:jlindqvist', name: 'Johanna Lindqvist' },
      payload: { period: '2026-10', contract: 'demo-ai-pilot-2026', sample: { seed, size: 5 }, verdict: 'finding', note: 'the CSAT survey is missing from the transcript' },
    });

    // The receipt of the sampled ticket, as a file; handing it out is in the access log.
    const download = page.waitForEvent('download');
    await review.getByTestId('au-receipt').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`${ticket}.receipt.json`);
    const receipt = JSON.parse(await readFile((await file.path())!, 'utf8')) as { format: string; ticket: string; outcome: { state: string } };
    expect(receipt).toMatchObject({ format: 'attest-receipt/v1', ticket, outcome: { state: 'billed' } });
    expect(eventsOfType(demoDb, 'access.export').at(-1)).toMatchObject({ payload: { account: 'jlindqvist', what: `receipt ${ticket}` } });

    // A dispute opened from another sampled ticket.
    const disputed = expected[1]!;
    const second = await audit.reviewTicket(disputed);
    await second.getByTestId('au-dispute-reason').fill('the customer wrote again the next day');
    await second.getByTestId('au-dispute-open').click();
    await expect(second.getByTestId('au-review-done')).toHaveText(`Dispute on ${disputed} opened.`);
    expect(eventsOfType(demoDb, 'outcome.disputed')).toMatchObject([{ ticket: disputed, actor: { id: 'acct:jlindqvist' }, payload: { reason: 'the customer wrote again the next day' } }]);

    // Issuing a statement is for supervisors and admins: the auditor sees the button disabled, and why.
    const outcomes = new OutcomesPage(page);
    await outcomes.open();
    const first = (await outcomes.periods()).sort()[0]!;
    await outcomes.choosePeriod(first);
    await expect(outcomes.periodStateLabel).toHaveText('open');
    await expect(outcomes.issue).toBeDisabled();
    await expect(outcomes.periodState.getByTestId('refusal-note')).toHaveText('The auditor role may not issue a statement (signed); only admins and supervisors may.');
    expect(eventsOfType(demoDb, 'statement.issued')).toEqual([]);
  });
});

test('a supervisor issues the first period with an e-signature and sees it marked issued, by name, with its SHA-256; a dispute upheld later is an adjustment of the next period', async ({ page, startServer, demoDb, workDir }) => {
  await runCli(['outcomes', '--db', demoDb], 60_000, await cliLogin(workDir, 'mrivera'));
  // The server's user-data folder (its installation key signs the issue's checkpoint) in this test's folder.
  await page.goto(await startServer(demoDb, { ATTEST_HOME: join(workDir, 'home') }));
  const outcomes = new OutcomesPage(page);
  await outcomes.open();
  const first = (await outcomes.periods()).sort()[0]!;
  await outcomes.choosePeriod(first);
  await expect(outcomes.periodStateLabel).toHaveText('open');
  await expect(outcomes.issue).toBeEnabled();
  await outcomes.issue.click();
  const supervisor = DEMO_ACCOUNTS.find((a) => a.account === 'mrivera')!;
  await new SignatureDialog(page).sign(supervisor.password, 'approved', `Statement ${first} reviewed`);

  await expect(outcomes.periodStateLabel).toHaveText('issued');
  await expect(outcomes.issuedBy).toContainText('Maya Rivera');
  const [issued] = eventsOfType(demoDb, 'statement.issued');
  expect(issued).toMatchObject({ actor: { id: 'acct:mrivera', name: 'Maya Rivera' }, payload: { period: first } });
  await expect(outcomes.issuedSha).toHaveText(String(issued!.payload.sha256));
  await expect(outcomes.issuedBy).toContainText(`checkpoint of ${(issued!.payload.checkpoint as { treeSize: number }).treeSize} events`);
  await expect(page.locator(`[data-testid="oc-period-row"][data-period="${first}"]`)).toHaveAttribute('data-state', 'issued');
  await expect(outcomes.issue).toHaveCount(0);
  // The signature names the issue; the CLI prints the issued document byte for byte.
  expect(eventsOfType(demoDb, 'signature').at(-1)).toMatchObject({ payload: { signedSeq: issued!.seq, meaning: 'approved' } });
  expect((await runCli(['statement', '--db', demoDb, '--period', first])).stdout).toBe(issued!.payload.document);

  // A dispute on a ticket of the issued period, upheld after the issue: the issued statement stays as it was, and the
  // credit is an adjustment of the next period, naming the original period and ticket.
  const ticket = (JSON.parse(issued!.payload.document as string) as StatementJson).lines.find((l) => l.status === 'billed')!.ticket;
  const opened = JSON.parse((await runCli(['dispute', 'open', '--db', demoDb, '--ticket', ticket, '--reason', 'found in the audit', '--json'], 60_000, await cliLogin(workDir, 'jlindqvist'))).stdout) as { seq: number };
  await runCli(['dispute', 'uphold', '--db', demoDb, '--dispute', String(opened.seq), '--reason', 'not resolved', '--meaning', 'approved', '--json']);
  const [year, month] = first.split('-').map(Number) as [number, number];
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  const frontier = JSON.parse((await runCli(['statement', '--db', demoDb, '--period', next])).stdout) as { adjustments: { ticket: string; period: string; net: string }[] };
  expect(frontier.adjustments).toMatchObject([{ ticket, period: first, net: '-0.99' }]);
  await page.reload();
  await outcomes.open();
  await outcomes.choosePeriod(next);
  const adjustment = page.getByTestId('oc-adjustment');
  await expect(adjustment).toHaveCount(1);
  await expect(adjustment).toContainText(first);
  await expect(adjustment).toContainText(ticket);
  await expect(adjustment).toContainText('billed → billed and reversed');
  await expect(adjustment).toContainText('\u2212EUR 0.99');
  await expect(page.getByTestId('oc-total-adjustments')).toContainText('\u2212EUR 0.99');
  await outcomes.choosePeriod(first);
  await expect(outcomes.periodStateLabel).toHaveText('issued');
  await expect(page.getByTestId('oc-adjustment')).toHaveCount(0);
});

test('exporting a pack from the Audit tab shows the folder it was written to', async ({ page, demoDb, workDir, startServer }) => {
  // The server's user-data folder (installation key, packs) inside this test's own folder.
  const home = join(workDir, 'home');
  const url = await startServer(demoDb, { ATTEST_HOME: home });
  await page.goto(url);
  const audit = new AuditPage(page);
  await audit.open();
  await audit.exportPack.click();
  await expect(audit.exportResult).toBeVisible({ timeout: 60_000 });
  const dir = (await page.getByTestId('au-export-dir').textContent()) ?? '';
  expect(dir.startsWith(join(home, 'packs') + '/')).toBe(true);
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { format: string; treeSize: number };
  expect(manifest.format).toBe('attest-pack/v1');
  await expect(audit.exportResult).toContainText(`checkpoint of ${manifest.treeSize} events`);
  expect(eventsOfType(demoDb, 'access.export').at(-1)).toMatchObject({ payload: { account: 'mrivera', what: `pack ${dir}` } });
});
