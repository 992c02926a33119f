import { expect, test } from './fixtures.ts';
import { QueuePage } from './pages/QueuePage.ts';
import { StatusBar } from './pages/StatusBar.ts';

const created = (ticket: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    ticket,
    type: 'created',
    at: '2025-02-03T09:15:00Z',
    channel: 'email',
    priority: 'high',
    category: 'billing',
    subject: `Imported by e2e ${ticket}`,
    requester: 'e2e@example.com',
    ...extra,
  });

test('importing a bad JSONL file shows the error with file and line', async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  await queue.open(serverUrl);
  const before = await queue.settledTotal();

  const text = [created('E2E-BAD-1'), created('E2E-BAD-2', { priority: 'sky-high' })].join('\n') + '\n';
  await queue.importFile('bad.jsonl', text);

  await expect(queue.importError).toBeVisible();
  await expect(queue.importError).toContainText('bad.jsonl:2:');
  await expect(queue.importError).toContainText('priority');
  await expect(queue.importReport).toHaveCount(0);
  // One transaction per file: nothing from the bad file was added.
  expect(await queue.totalCount()).toBe(before);

  await queue.importError.getByRole('button', { name: /dismiss/i }).click();
  await expect(queue.importError).toHaveCount(0);
});

test('importing a good JSONL file adds its tickets to the queue and the chain', async ({ page, serverUrl }) => {
  const queue = new QueuePage(page);
  const status = new StatusBar(page);
  await queue.open(serverUrl);
  const before = await queue.settledTotal();
  await expect(status.chain).toHaveAttribute('data-chain-state', 'intact');
  const eventsBefore = (await status.eventCount())!;

  const lines = [
    created('E2E-GOOD-1'),
    created('E2E-GOOD-2'),
    JSON.stringify({
      ticket: 'E2E-GOOD-1',
      type: 'message',
      at: '2025-02-03T09:16:00Z',
      author: { kind: 'customer', id: 'e2e@example.com' },
      public: true,
      body: 'Hello from the e2e suite',
    }),
  ];
  await queue.importFile('good.jsonl', lines.join('\n') + '\n');

  await expect(queue.importReport).toBeVisible();
  await expect(queue.importReport).toContainText('good.jsonl');
  await expect(queue.importReport.getByTestId('import-events-added')).toHaveText('3 events added');
  await expect.poll(() => queue.totalCount()).toBe(before + 2);
  // The three lines, and the import's own `import.file` record of the file.
  await expect.poll(() => status.eventCount()).toBe(eventsBefore + 3 + 1);
  await expect(status.chain).toHaveAttribute('data-chain-state', 'intact');

  await queue.searchFor('E2E-GOOD-1');
  await expect(queue.row('E2E-GOOD-1')).toBeVisible();
});
