// The console stays usable while the AI works through a long queue: the ticket queue scrolls, filters and searches
// during resolution against a slow model, and the resolution panel shows a plain notice while Ollama is down and
// goes on by itself when it is back.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultResponder } from '../support/ollama-stand-in.ts';
import { useOllamaStandIn } from './ollama-stand-in-hooks.ts';
import { expect, runCli, test } from './fixtures.ts';
import { AiResolvePage } from './pages/AiResolvePage.ts';
import { QueuePage } from './pages/QueuePage.ts';

const KB = fileURLToPath(new URL('../../resources/kb/', import.meta.url));
const standIn = useOllamaStandIn();
const EXTRA = 150;

test('the ticket queue scrolls and filters while resolution runs; an outage pauses the AI queue with a notice', async ({ page, workDir, demoDb, startServer }) => {
  test.setTimeout(120_000);
  await runCli(['kb', 'import', '--db', demoDb, KB]);
  // billing_question is a 'draft' category in the demo: every one of these waits for the AI.
  const at = new Date().toISOString();
  const lines = Array.from({ length: EXTRA }, (_, i) => [
    { ticket: `LOAD-${i + 1}`, type: 'created', at, channel: 'email', priority: 'normal', category: 'billing_question', subject: `Update my payment method ${i + 1}`, requester: `load${i}@example.com` },
    { ticket: `LOAD-${i + 1}`, type: 'message', at, author: { kind: 'customer', id: `load${i}@example.com` }, public: true, body: 'How can I change the credit card used for my subscription?' },
  ]).flat();
  const file = join(workDir, 'load.jsonl');
  await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  await runCli(['import', '--db', demoDb, file]);
  // A slow model: each answer takes a while, so the run lasts through the whole test.
  standIn().setResponder((body, step, call) => ({ ...defaultResponder(body, step, call), delayMs: 150 }));

  const ai = new AiResolvePage(page);
  const queue = new QueuePage(page);
  await queue.open(await startServer(demoDb));
  await ai.open();
  await ai.start.click();
  await ai.expectRunning();

  // The queue works as usual meanwhile: scroll to the end, filter, search.
  await page.getByTestId('view-tab-queue').click();
  const total = await queue.settledTotal();
  expect(total).toBeGreaterThanOrEqual(EXTRA);
  await queue.queue.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  await expect(queue.rowAtPosition(total)).toBeVisible();
  await queue.filter('category', 'billing_question').check();
  await expect.poll(async () => [...new Set(await queue.rowValues('data-category'))]).toEqual(['billing_question']);
  await queue.searchFor('LOAD-17');
  await expect(queue.row('LOAD-17')).toBeVisible();
  await queue.searchFor('');

  // Still resolving, and making progress.
  await ai.open();
  await ai.expectRunning();
  await expect.poll(() => ai.done()).toBeGreaterThan(0);

  // Ollama goes down: the AI queue pauses with what happened (never a hand-off), then resumes when it is back.
  await standIn().stop();
  await expect(ai.paused).toContainText(new RegExp(`Paused since \\d{4}-\\d{2}-\\d{2} \\d\\d:\\d\\d UTC: (connection refused at|connection closed by) ${standIn().host.replace(/[.]/g, '\\.')}`), { timeout: 30_000 });
  await expect(ai.paused).toContainText('nothing is handed off meanwhile');
  const doneWhilePaused = await ai.done();
  await standIn().restart();
  await expect(ai.paused).toHaveCount(0, { timeout: 30_000 });
  await expect.poll(() => ai.done(), { timeout: 30_000 }).toBeGreaterThan(doneWhilePaused);
  await ai.expectRunning();

  await ai.cancel.click();
  await expect(ai.cancel).toBeDisabled();
  await expect(ai.progress).toContainText('handed off 0');
});
