// AI settings and the knowledge-base editor in the AI view.
import { fileURLToPath } from 'node:url';
import { useOllamaStandIn } from './ollama-stand-in-hooks.ts';
import { expect, runCli, test } from './fixtures.ts';
import { AiSettingsPage } from './pages/AiSettingsPage.ts';

const KB = fileURLToPath(new URL('../../resources/kb/', import.meta.url));
useOllamaStandIn();

test('a supervisor changes the model; the setting is on the ledger after a reload and health is checked again', async ({ page, serverUrl }) => {
  await page.goto(serverUrl);
  await page.getByTestId('view-tab-ai').click();
  await expect(page.getByTestId('ai-health-status')).toContainText('is ready with llama3.2:3b');
  await expect(page.getByTestId('ai-settings-model')).toHaveValue('llama3.2:3b');

  await page.getByTestId('ai-settings-model').fill('qwen2.5:7b');
  await page.getByTestId('ai-settings-threshold').fill('1.5');
  await expect(page.getByTestId('ai-settings-problems')).toContainText('Confidence threshold: a number from 0 to 1');
  await expect(page.getByTestId('ai-settings-save')).toBeDisabled();
  await page.getByTestId('ai-settings-threshold').fill('0.8');
  await page.getByTestId('ai-settings-reason').fill('try the larger model');
  await page.getByTestId('ai-settings-redact-email').check();
  await page.getByTestId('ai-settings-save').click();
  await expect(page.getByTestId('ai-settings-saved')).toContainText('Saved: qwen2.5:7b');
  // The stand-in only has llama3.2:3b, so the new health check must say the model is missing.
  await expect(page.getByTestId('ai-health-status')).toContainText('Model "qwen2.5:7b" is not on the Ollama server');

  await page.reload();
  await page.getByTestId('view-tab-ai').click();
  await expect(page.getByTestId('ai-settings-model')).toHaveValue('qwen2.5:7b');
  await expect(page.getByTestId('ai-settings-threshold')).toHaveValue('0.8');
  await expect(page.getByTestId('ai-settings-redact-email')).toBeChecked();
});

test('the demo organization is a setting: a supervisor renames it with a reason, clears it ("not set"), and it stays after a reload', async ({ page, serverUrl }) => {
  const settings = new AiSettingsPage(page);
  await settings.open(serverUrl);
  await expect(settings.organizationName).toHaveText('Kestrel Home');
  await expect(settings.organizationDisclosure).toContainText("Kestrel Home's AI assistant");
  await settings.setOrganizationName('Harbor Mutual Bank', 'rebranding for the bank pilot');
  await expect(settings.organizationSaved).toContainText('Saved: Harbor Mutual Bank');
  await settings.open(serverUrl);
  await expect(settings.organizationName).toHaveText('Harbor Mutual Bank');
  await settings.setOrganizationName('', 'name withdrawn until the contract is signed');
  await expect(settings.organizationNameUnset).toHaveText('Organization name not set');
});

test('a supervisor edits an article; version 2 is shown and version 1 stays readable', async ({ page, demoDb, startServer }) => {
  await runCli(['kb', 'import', '--db', demoDb, KB]);
  await page.goto(await startServer(demoDb));
  await page.getByTestId('view-tab-ai').click();
  const panel = page.getByTestId('kb-panel');
  await panel.getByTestId('kb-filter').fill('payment method');
  const row = panel.locator('[data-testid="kb-row"][data-id="payment-method"]');
  await expect(row).toContainText('payment-method v1');
  await row.getByTestId('kb-open').click();

  const article = panel.getByTestId('kb-article');
  await expect(article).toHaveAttribute('data-version', '1');
  const original = (await article.getByTestId('kb-body').textContent()) ?? '';
  await article.getByTestId('kb-edit').click();
  await article.getByTestId('kb-edit-title').fill('');
  await expect(article.getByTestId('kb-edit-save')).toBeDisabled();
  await article.getByTestId('kb-edit-title').fill('Change the card you pay with');
  await article.getByTestId('kb-edit-tags').fill('card, payment method, billing');
  await article.getByTestId('kb-edit-body').fill('Go to Account → Billing → Payment method and add the new card.');
  // Every edit says why (issue 14): without a reason the save stays disabled.
  await expect(article.getByTestId('kb-edit-save')).toBeDisabled();
  await article.getByTestId('kb-edit-reason').fill('the billing page was renamed');
  await article.getByTestId('kb-edit-save').click();

  await expect(article.getByTestId('kb-saved')).toHaveText('Saved as version 2.');
  await expect(article).toHaveAttribute('data-version', '2');
  await expect(article.getByTestId('kb-title')).toContainText('Change the card you pay with');
  await expect(article.getByTestId('kb-tags')).toHaveText('Tags: card, payment method, billing');
  // The edit names its person: the supervisor signed in (tests/e2e/fixtures.ts signs in as the first listed).
  await expect(article.getByTestId('kb-versions')).toContainText('edit by acct:mrivera');
  await expect(article.getByTestId('kb-versions')).toContainText('Why: the billing page was renamed');

  await article.locator('[data-testid="kb-version"][data-version="1"]').click();
  const old = article.getByTestId('kb-old-version');
  await expect(old).toContainText('Version 1 (read-only; the current version is 2)');
  await expect(old.getByTestId('kb-body')).toHaveText(original);
  await expect(article.getByTestId('kb-edit')).toHaveCount(0);

  await article.getByTestId('kb-back').click();
  await expect(panel.locator('[data-testid="kb-row"][data-id="payment-method"]')).toContainText('payment-method v2');
});
