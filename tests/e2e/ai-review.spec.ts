// Review a draft, edit and approve it, and see the AI attribution on the ticket.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useOllamaStandIn } from './ollama-stand-in-hooks.ts';
import { expect, runCli, test } from './fixtures.ts';

const KB = fileURLToPath(new URL('../../resources/kb/', import.meta.url));
const standIn = useOllamaStandIn();

test('a supervisor edits and approves a draft, then sees the attribution on the ticket', async ({ page, workDir, demoDb, startServer }) => {
  await runCli(['kb', 'import', '--db', demoDb, KB]);
  const at = new Date().toISOString();
  const lines = [
    { ticket: 'E2E-AI-1', type: 'created', at, channel: 'email', priority: 'normal', category: 'billing_question', subject: 'Update my payment method', requester: 'mara@example.com' },
    { ticket: 'E2E-AI-1', type: 'message', at, author: { kind: 'customer', id: 'mara@example.com' }, public: true, body: 'How can I change the credit card used for my subscription? The old one expires this month.' },
  ];
  const file = join(workDir, 'ticket.jsonl');
  await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  await runCli(['import', '--db', demoDb, file]);
  // billing_question is a 'draft' category in the demo: the AI drafts, a person decides.
  await runCli(['resolve', '--db', demoDb, '--category', 'billing_question']);

  await page.goto(await startServer(demoDb));
  await page.getByTestId('view-tab-ai').click();
  await expect(page.getByTestId('ai-health-status')).toContainText('is ready with llama3.2:3b');
  const item = page.locator('[data-testid="ai-review-item"][data-run^="E2E-AI-1#"]');
  await expect(item.getByTestId('ai-review-customer')).toContainText('change the credit card');
  await expect(item.getByTestId('ai-review-draft')).toContainText('[kb:payment-method]');
  await item.getByTestId('ai-review-edit').click();
  await item.getByTestId('ai-review-editor').fill('You can change your card under Account → Billing → Payment method. The new card is used from the next billing date.');
  await item.getByTestId('ai-review-send-edit').click();
  await expect(item).toHaveCount(0);

  await page.getByTestId('view-tab-queue').click();
  await page.getByTestId('search-input').fill('E2E-AI-1');
  await page.getByTestId('ticket-row').first().click();
  const panel = page.getByTestId('ai-attribution');
  await expect(panel.locator('[data-testid="ai-attribution-step"][data-type="ai.decision"]')).toContainText('await_review');
  await expect(panel.locator('[data-testid="ai-attribution-step"][data-type="ai.draft"]')).toContainText('attest.draft.v2');
  await expect(panel.locator('[data-testid="ai-attribution-step"][data-type="ai.draft"] [data-testid="ai-attribution-articles"]')).toContainText('Update your payment method (payment-method v1)');
  await expect(panel.locator('[data-testid="ai-attribution-step"][data-type="ai.review"]')).toContainText('review: edit');
  await expect(panel.getByTestId('ai-attribution-model').first()).toContainText('llama3.2:3b @a80c4f17acd5');
  await expect(page.getByTestId('ticket-detail').locator('[data-testid="timeline-event"][data-type="ai.review"]')).toHaveCount(1);
});

test('the console says plainly when Ollama is not running', async ({ page, serverUrl }) => {
  await standIn().stop();
  await page.goto(serverUrl);
  await page.getByTestId('view-tab-ai').click();
  await expect(page.getByTestId('ai-health-status')).toHaveText(/^Ollama is not reachable at http:\/\/127\.0\.0\.1:\d+: start it with `ollama serve`$/);
});
