// The knowledge base as a supervisor and an auditor use it: articles read as formatted text (never raw Markdown),
// hostile Markdown is inert, an edit needs a reason and shows who/when/why, two versions compare side by side, and
// each version lists the AI replies that cited it, each opening its ticket. (The auditor's read-only article:
// role-controls.spec.ts.)
import { writeFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import { useOllamaStandIn } from './ollama-stand-in-hooks.ts';
import { expect, runCli, test } from './fixtures.ts';
import { KbPage } from './pages/KbPage.ts';
import { TicketDetailPage } from './pages/TicketDetailPage.ts';

useOllamaStandIn();

// Paragraphs apart, so that each is its own Markdown block (an HTML block runs on to the next blank line).
const HOSTILE = [
  '# Safe heading',
  'Some **bold** text and a [good link](https://example.com/help).',
  '',
  '<script>window.__kbPwned = "script"</script>',
  '<img src="x" onerror="window.__kbPwned = \'img\'">',
  '<div onclick="window.__kbPwned = \'click\'" style="position:fixed;inset:0">cover</div>',
  '<iframe src="javascript:window.__kbPwned=\'frame\'"></iframe>',
  '[click me](javascript:window.__kbPwned=\'link\')',
  '<a href="javascript:window.__kbPwned=\'a\'">raw link</a>',
  '<svg><script>window.__kbPwned = "svg"</script></svg>',
  '![tracker](https://tracker.example/pixel.png)',
].join('\n\n');

test('articles render as formatted text; an edit needs a reason; versions compare side by side; citations open tickets', async ({ page, workDir, demoDb, startServer }) => {
  // One customer question the AI answers (in draft mode) citing payment-method v1.
  const at = new Date().toISOString();
  const lines = [
    { ticket: 'E2E-KB-1', type: 'created', at, channel: 'email', priority: 'normal', category: 'billing_question', subject: 'Update my payment method', requester: 'kb@example.com' },
    { ticket: 'E2E-KB-1', type: 'message', at, author: { kind: 'customer', id: 'kb@example.com' }, public: true, body: 'How can I change the credit card used for my subscription? The old one expires this month.' },
  ];
  const file = join(workDir, 'ticket.jsonl');
  await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  await runCli(['import', '--db', demoDb, file]);
  await runCli(['resolve', '--db', demoDb, '--category', 'billing_question']);

  await page.goto(await startServer(demoDb));
  const kb = new KbPage(page);
  await kb.open();
  await kb.openArticle('payment-method');

  // Rendered, not raw: bold is <strong>, the steps are a list, no Markdown marks are left in the text.
  await expect(kb.body.locator('strong').first()).toHaveText('Account → Billing → Payment method');
  await expect(kb.body.locator('ol > li')).toHaveCount(2);
  await expect(kb.body).not.toContainText('**');
  await expect(kb.versionReason).toHaveText(/^imported from billing\/payment-method\.md \(sha256 [0-9a-f]{64}\)$/);

  // Version 1 was cited by the AI's draft for E2E-KB-1; the citation opens the ticket.
  await expect(kb.versionRow(1).getByTestId('kb-cited')).toHaveText(/^cited by \d+ AI repl(y|ies)$/);
  await kb.showCitations(1);
  await expect(kb.citationOf('E2E-KB-1')).toContainText('draft awaiting review');

  // Saving needs a reason: without one the button stays disabled and says why.
  await kb.editButton.click();
  await kb.editBody.fill(`${HOSTILE}\n\nThe new payment method is used from the next billing date.`);
  await expect(kb.save).toBeDisabled();
  await expect(kb.editProblem).toContainText('Say why the article changes');
  await kb.editReason.fill('security review: test hostile markup');
  await kb.save.click();
  await expect(kb.saved).toHaveText('Saved as version 2.');

  // Hostile Markdown is inert: HTML in it reads as the text it is, nothing that runs or reaches out is in the page,
  // nothing ran; the Markdown around it renders.
  await expect(kb.body.locator('h5')).toHaveText('Safe heading');
  await expect(kb.body).not.toContainText('# Safe heading');
  expect(await kb.activeContent()).toEqual([]);
  await expect(kb.body.getByRole('link', { name: 'good link' })).toHaveAttribute('href', 'https://example.com/help');
  await expect(kb.body).toContainText('[image: tracker]');
  await expect(kb.body).toContainText('<script>window.__kbPwned = "script"</script>');
  await expect(kb.body).toContainText('<img src="x" onerror=');
  await kb.body.getByText('cover').click();
  await kb.body.getByText('click me').click();
  expect(await page.evaluate(() => (window as unknown as { __kbPwned?: string }).__kbPwned ?? null)).toBeNull();
  await expect(kb.versionMeta).toContainText('Version 2: edit by ');
  await expect(kb.versionReason).toHaveText('security review: test hostile markup');

  // Side by side: v1 on the left, v2 on the right, each with who, when and why.
  await kb.compareButton.click();
  await expect(kb.diffLeft).toHaveAttribute('data-version', '1');
  await expect(kb.diffRight).toHaveAttribute('data-version', '2');
  await expect(kb.diffRight.getByTestId('kb-diff-reason')).toHaveText('security review: test hostile markup');
  await expect(kb.diffLeft.getByTestId('kb-diff-reason')).toContainText('imported from billing/payment-method.md');
  await expect(kb.diffSummary).toHaveText(/ changed, .* added, .* removed\.$/);
  await expect(kb.diff.locator('[data-testid="kb-diff-row"][data-kind="same"]').first()).toContainText('# Update your payment method');
  await expect(kb.diff.locator('ins').first()).toBeVisible();
  // The diff shows the hostile text as text, never as markup.
  await expect(kb.diff).toContainText('<script>window.__kbPwned = "script"</script>');
  expect(await page.evaluate(() => (window as unknown as { __kbPwned?: string }).__kbPwned ?? null)).toBeNull();

  // The article, its history, citations and the comparison have no serious or critical accessibility violation.
  const axe = await new AxeBuilder({ page }).include('[data-testid="kb-panel"]').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // Version 2 was cited by nothing yet; version 1's citation opens the ticket at the AI's decision.
  await expect(kb.versionRow(2).getByTestId('kb-cited')).toHaveText('cited by no AI reply');
  await kb.citationOf('E2E-KB-1').getByTestId('kb-citation-open').click();
  await expect(new TicketDetailPage(page).root).toHaveAttribute('data-ticket-id', 'E2E-KB-1');
});
