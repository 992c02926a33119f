import Database from '../support/sqlite-driver.ts';
import { expect, test } from './fixtures.ts';
import { QueuePage } from './pages/QueuePage.ts';
import { StatusBar, VERIFIED_TEXT } from './pages/StatusBar.ts';
import { TicketDetailPage } from './pages/TicketDetailPage.ts';

test('an untouched ledger verifies as intact', async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  const status = new StatusBar(page);
  await queue.open(serverUrl);

  await expect(status.chain).toHaveAttribute('data-chain-state', 'intact');
  await expect(status.chain).toHaveText(VERIFIED_TEXT);
  const events = await status.eventCount();
  expect(events).toBeGreaterThan(300);
  // What it says it verified is what it re-read since it opened the file: every event, in one full check.
  await expect(status.scope).toContainText(/ events re-read since opened · full check \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
  expect(await status.reReadCount()).toBe(events);
  await expect(status.breakTicketButton).toHaveCount(0);
  // After the chain, every projection is re-derived from the events in the background and compared.
  await expect(status.deep).toHaveAttribute('data-deep-state', 'passed', { timeout: 60_000 });
  await expect(status.deep).toHaveText(/^projections match the ledger \([\d,]+ rows\)$/);

  // Verify now re-reads every event again: a new full check, same verdict.
  const fullCheckBefore = await status.fullCheckAt();
  await status.verifyButton.click();
  await expect.poll(() => status.fullCheckAt()).not.toBe(fullCheckBefore);
  await expect(status.verifyButton).toBeEnabled();
  await expect(status.chain).toHaveAttribute('data-chain-state', 'intact');
  expect(await status.reReadCount()).toBe(events);
});

test('a tampered event shows the chain broken at its sequence number', async ({ page, demoDb, startServer }) => {
  const db = new Database(demoDb);
  // The first ticket message, early in the chain (the demo's account events come before any ticket's).
  let seq: number;
  try {
    seq = db.prepare("SELECT min(seq) FROM events WHERE type = 'message' AND ticket_id IS NOT NULL").pluck().get() as number;
    db.exec('DROP TRIGGER IF EXISTS events_no_update');
    const changed = db.prepare("UPDATE events SET payload = json_set(payload, '$.body', 'tampered') WHERE seq = ?").run(seq);
    expect(changed.changes).toBe(1);
  } finally {
    db.close();
  }

  const url = await startServer(demoDb);
  const queue = new QueuePage(page);
  const status = new StatusBar(page);
  await queue.open(url);

  await expect(status.chain).toHaveAttribute('data-chain-state', 'broken');
  await expect(status.chain).toContainText(`Chain broken at #${seq}`);
  await expect(status.verifyButton).toHaveText('Verify now');

  await status.verifyButton.click();
  await expect(status.verifyButton).toBeEnabled();
  await expect(status.chain).toHaveAttribute('data-chain-state', 'broken');
  await expect(status.chain).toContainText(`Chain broken at #${seq}`);

  // The ticket that owns the tampered event flags it in its timeline.
  const db2 = new Database(demoDb, { readonly: true });
  const { ticket_id: ticketId } = db2.prepare('SELECT ticket_id FROM events WHERE seq = ?').get(seq) as { ticket_id: string };
  db2.close();
  await queue.searchFor(ticketId);
  await expect(queue.row(ticketId)).toBeVisible();
  await queue.row(ticketId).click();
  const detail = new TicketDetailPage(page);
  await expect(detail.event(seq)).toHaveClass(/is-suspect/);
});

test('a projection row edited outside Attest is found by the deep check that follows the chain check', async ({ page, demoDb, startServer }) => {
  // The chain is untouched; only a derived row (what the queue shows) is changed, as a sqlite3 shell could.
  const db = new Database(demoDb);
  try {
    expect(db.prepare("UPDATE tickets SET subject = subject || ' (edited)' WHERE id = 'T-1'").run().changes).toBe(1);
  } finally {
    db.close();
  }
  const url = await startServer(demoDb);
  const queue = new QueuePage(page);
  const status = new StatusBar(page);
  await queue.open(url);

  await expect(status.deep).toHaveAttribute('data-deep-state', 'failed', { timeout: 60_000 });
  await expect(status.deep).toHaveText('projections differ from the ledger');
  await expect(status.chain).toHaveAttribute('data-chain-state', 'broken');
  // The first differing projection is named (the ticket search index or the ticket rows, both derived from it).
  await expect(status.chain).toContainText(/Ledger check failed: projection ticket(s|_search): 1 row\(s\) not derived from the ledger/);
});
