import { expect, test } from './fixtures.ts';
import { QueuePage } from './pages/QueuePage.ts';
import { TicketDetailPage } from './pages/TicketDetailPage.ts';

test('opening a ticket shows its header and whole ledger timeline', async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  const detail = new TicketDetailPage(page);
  await queue.open(serverUrl);
  await queue.settledTotal();

  const row = queue.rows.nth(2);
  const id = (await row.getAttribute('data-ticket-id'))!;
  const subject = (await row.locator('[data-col="subject"]').textContent())!;
  await row.click();

  await expect(row).toHaveAttribute('aria-selected', 'true');
  await expect(detail.root).toHaveAttribute('data-ticket-id', id);
  await expect(detail.subject).toHaveText(subject);
  await expect(detail.events.first()).toBeVisible();

  const seqs = await detail.eventSeqs();
  expect(seqs.length).toBeGreaterThan(0);
  expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  expect(await detail.eventTypes()).toContain('created');
  await expect(detail.events.first()).toHaveAttribute('data-type', 'created');

  for (const event of await detail.events.all()) {
    const seq = await event.getAttribute('data-seq');
    await expect(detail.seqOf(event)).toHaveText(`#${seq}`);
    await expect(detail.typeOf(event)).toHaveText((await event.getAttribute('data-type'))!);
    await expect(detail.actorOf(event)).toHaveText(/^(customer|ai|human|system)\b/);
    const shortHash = (await detail.hashOf(event).textContent())!;
    expect(shortHash).toMatch(/^[0-9a-f]{12}$/);
    const fullHash = (await detail.hashOf(event).getAttribute('title'))!;
    expect(fullHash).toMatch(/^[0-9a-f]{64}$/);
    expect(fullHash.startsWith(shortHash)).toBe(true);
  }
});

test('message events show their body with a public or internal badge', async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  const detail = new TicketDetailPage(page);
  await queue.open(serverUrl);
  await queue.settledTotal();
  await queue.rows.first().click();
  await expect(detail.events.first()).toBeVisible();

  const messages = detail.root.locator('[data-testid="timeline-event"][data-type="message"]');
  await expect(messages.first()).toBeVisible();
  await expect(messages.first().getByTestId('message-visibility')).toHaveText(/^(public|internal)$/);
  await expect(messages.first().getByTestId('message-body')).not.toBeEmpty();
});
