import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { QueuePage, type FilterKind, type RowAttribute } from './pages/QueuePage.ts';

const KINDS: { kind: FilterKind; attribute: RowAttribute }[] = [
  { kind: 'status', attribute: 'data-status' },
  { kind: 'priority', attribute: 'data-priority' },
  { kind: 'category', attribute: 'data-category' },
  { kind: 'channel', attribute: 'data-channel' },
  { kind: 'resolved', attribute: 'data-resolved-by' },
];

async function openQueue(page: Page, url: string): Promise<{ queue: QueuePage; all: number }> {
  const queue = new QueuePage(page);
  await queue.open(url);
  return { queue, all: await queue.settledTotal() };
}

for (const { kind, attribute } of KINDS) {
  test(`the ${kind} filter narrows the queue to matching tickets`, async ({ page, serverUrl }) => {
    const { queue, all } = await openQueue(page, serverUrl);
    // A value the first ticket has, so the filtered list cannot be empty.
    const value = (await queue.rowValues(attribute))[0]!;
    await queue.filter(kind, value).check();

    await expect.poll(() => queue.totalCount()).toBeLessThan(all);
    const narrowed = (await queue.totalCount())!;
    expect(narrowed).toBeGreaterThan(0);
    await expect(queue.rows.first()).toBeVisible();
    await expect.poll(async () => [...new Set(await queue.rowValues(attribute))]).toEqual([value]);

    await queue.filter(kind, value).uncheck();
    await expect.poll(() => queue.totalCount()).toBe(all);
  });
}

test('checking two values of one filter shows tickets with either value', async ({ page, serverUrl }) => {
  const { queue, all } = await openQueue(page, serverUrl);
  const distinct = [...new Set(await queue.rowValues('data-status'))];
  expect(distinct.length, 'the first rows should have at least two statuses').toBeGreaterThanOrEqual(2);
  const [a, b] = distinct as [string, string];
  const counts: number[] = [];
  for (const value of [a, b]) {
    await queue.filter('status', value).check();
    await expect.poll(() => queue.totalCount()).toBeLessThan(all);
    counts.push((await queue.totalCount())!);
    await queue.filter('status', value).uncheck();
    await expect.poll(() => queue.totalCount()).toBe(all);
  }
  await queue.filter('status', a).check();
  await queue.filter('status', b).check();
  await expect.poll(() => queue.totalCount()).toBe(counts[0]! + counts[1]!);
  const statuses = new Set(await queue.rowValues('data-status'));
  for (const s of statuses) expect([a, b]).toContain(s);
});

test('filters of different kinds combine, and a filter with no match shows the empty state', async ({ page, serverUrl }) => {
  const { queue, all } = await openQueue(page, serverUrl);
  const [status] = await queue.rowValues('data-status');
  await queue.filter('status', status!).check();
  await expect.poll(() => queue.totalCount()).toBeLessThan(all);
  const byStatus = (await queue.totalCount())!;
  const [priority] = await queue.rowValues('data-priority');
  await queue.filter('priority', priority!).check();
  await expect.poll(() => queue.totalCount()).toBeLessThanOrEqual(byStatus);
  await expect.poll(async () => new Set(await queue.rowValues('data-priority')).size).toBe(1);
  expect(new Set(await queue.rowValues('data-status'))).toEqual(new Set([status]));

  await queue.searchFor('zz-no-such-ticket-zz');
  await expect.poll(() => queue.totalCount()).toBe(0);
  await expect(queue.empty).toHaveText('No tickets match these filters');
  await expect(queue.rows).toHaveCount(0);
});
