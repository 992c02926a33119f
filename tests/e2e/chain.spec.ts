import Database from 'better-sqlite3';
import { expect, test } from './fixtures.ts';
import { QueuePage } from './pages/QueuePage.ts';
import { StatusBar } from './pages/StatusBar.ts';
import { TicketDetailPage } from './pages/TicketDetailPage.ts';

test('an untouched ledger verifies as intact', async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  const status = new StatusBar(page);
  await queue.open(serverUrl);

  await expect(status.chain).toHaveAttribute('data-chain-state', 'intact');
  await expect(status.chain).toHaveText(/^Chain verified · [\d,]+ events · head [0-9a-f]{12}…$/);
  expect(await status.eventCount()).toBeGreaterThan(300);

  await status.verifyButton.click();
  await expect(status.verifyButton).toBeEnabled();
  await expect(status.chain).toHaveAttribute('data-chain-state', 'intact');
});

test('a tampered event shows the chain broken at its sequence number', async ({ page, demoDb, startServer }) => {
  const db = new Database(demoDb);
  try {
    db.exec('DROP TRIGGER IF EXISTS events_no_update');
    const changed = db.prepare("UPDATE events SET payload = json_set(payload, '$.body', 'tampered') WHERE seq = 5").run();
    expect(changed.changes).toBe(1);
  } finally {
    db.close();
  }

  const url = await startServer(demoDb);
  const queue = new QueuePage(page);
  const status = new StatusBar(page);
  await queue.open(url);

  await expect(status.chain).toHaveAttribute('data-chain-state', 'broken');
  await expect(status.chain).toContainText('Chain broken at #5');

  await status.verifyButton.click();
  await expect(status.verifyButton).toBeEnabled();
  await expect(status.chain).toHaveAttribute('data-chain-state', 'broken');
  await expect(status.chain).toContainText('Chain broken at #5');

  // The ticket that owns event #5 flags it in its timeline.
  const db2 = new Database(demoDb, { readonly: true });
  const { ticket_id: ticketId } = db2.prepare('SELECT ticket_id FROM events WHERE seq = 5').get() as { ticket_id: string };
  db2.close();
  await queue.searchFor(ticketId);
  await expect(queue.row(ticketId)).toBeVisible();
  await queue.row(ticketId).click();
  const detail = new TicketDetailPage(page);
  await expect(detail.event(5)).toHaveClass(/is-suspect/);
});
