import { DEMO_TICKETS, expect, test } from './fixtures.ts';
import { QueuePage } from './pages/QueuePage.ts';
import { StatusBar } from './pages/StatusBar.ts';

test('the queue loads and shows the total, session and an intact chain', async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  await queue.open(serverUrl);

  expect(await queue.settledTotal()).toBe(DEMO_TICKETS);
  await expect(queue.total).toContainText(`${DEMO_TICKETS} tickets`);
  await expect(queue.rows.first()).toBeVisible();
  const ids = await queue.rowValues('data-ticket-id');
  expect(ids.length).toBeGreaterThan(5);
  expect(new Set(ids).size).toBe(ids.length);

  await expect(queue.sessionDb).toHaveText('t.db');
  await expect(queue.sessionRole).not.toBeEmpty();
  await expect(new StatusBar(page).chain).toHaveAttribute('data-chain-state', 'intact');
  await expect(queue.errorBanner).toHaveCount(0);
});

test('scrolling to the end loads later pages on demand', async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  await queue.open(serverUrl);
  const total = await queue.settledTotal();
  const firstIds = await queue.rowValues('data-ticket-id');

  await queue.queue.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  // The last row (beyond the first page of 200) gets real data, not a placeholder.
  await expect(queue.rowAtPosition(total)).toBeVisible();
  const lastIds = await queue.rowValues('data-ticket-id');
  expect(lastIds.some((id) => !firstIds.includes(id))).toBe(true);
});

test('the token survives a reload', async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  await queue.open(serverUrl);
  expect(page.url()).not.toContain('token=');
  await page.reload();
  await expect(queue.app).toHaveAttribute('data-app-state', 'loaded');
  expect(await queue.settledTotal()).toBe(DEMO_TICKETS);
  await expect(queue.errorBanner).toHaveCount(0);
});
