import { expect, test } from './fixtures.ts';
import { QueuePage } from './pages/QueuePage.ts';

test('searching by ticket id finds exactly that ticket', async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  await queue.open(serverUrl);
  await queue.settledTotal();
  const id = (await queue.rowValues('data-ticket-id'))[3]!;

  await queue.searchFor(id);
  await expect.poll(() => queue.totalCount()).toBe(1);
  await expect(queue.rows).toHaveCount(1);
  await expect(queue.rows.first()).toHaveAttribute('data-ticket-id', id);

  await queue.searchFor('');
  await expect.poll(() => queue.totalCount()).toBeGreaterThan(1);
});

test('searching a word narrows the queue to subjects containing it', async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  await queue.open(serverUrl);
  const all = await queue.settledTotal();
  const subjects = await queue.rowSubjects();
  // The longest word of the first subject is likely to be specific to a subset of tickets.
  const word = subjects[0]!
    .split(/[^A-Za-z]+/)
    .filter((w) => w.length >= 4)
    .sort((x, y) => y.length - x.length)[0]!;
  expect(word).toBeTruthy();

  await queue.searchFor(word);
  await expect.poll(() => queue.totalCount()).toBeLessThan(all);
  expect(await queue.totalCount()).toBeGreaterThan(0);
  await expect
    .poll(async () => (await queue.rowSubjects()).every((s) => s.toLowerCase().includes(word.toLowerCase())))
    .toBe(true);
});
