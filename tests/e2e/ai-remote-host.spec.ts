// A model server on another machine: only an admin allows it (with a reason), and the console then says plainly
// that ticket text leaves this computer — or, once the allowance is withdrawn, that no model server is contacted.
import { useOllamaStandIn } from './ollama-stand-in-hooks.ts';
import { AiSettingsPage } from './pages/AiSettingsPage.ts';
import { expect, test } from './fixtures.ts';

const REMOTE = 'http://ollama.example.org:11434';
useOllamaStandIn();

test.describe('as an admin', () => {
  test.use({ account: 'admin' });

  test('allowing a remote model server is recorded with a reason, and the console shows that text leaves the machine', async ({ page, serverUrl }) => {
    const settings = new AiSettingsPage(page);
    await settings.open(serverUrl);
    await expect(settings.remoteNotice).toBeHidden();
    await expect(settings.hostProblem).toBeHidden();

    await expect(await settings.allowRemoteHost(REMOTE, 'the GPU server in the locked rack')).toContainText(`Allowed: ticket text may be sent to ${REMOTE}`);
    await settings.setHost(REMOTE, 'use the GPU server');
    await expect(settings.saved).toContainText(`Saved: llama3.2:3b at ${REMOTE}`);
    await expect(settings.remoteNotice).toContainText(`Ticket text leaves this computer: the model server ${REMOTE} is on another machine.`);
    await expect(settings.remoteNotice).toContainText('the GPU server in the locked rack');

    await expect(await settings.allowRemoteHost(null, 'rack decommissioned')).toContainText('Withdrawn');
    await expect(settings.remoteNotice).toBeHidden();
    await expect(settings.hostProblem).toContainText(`the Ollama host ${REMOTE} (from the AI settings) is not this computer and no admin allowed`);
  });
});

test('a supervisor cannot point the AI at a remote server nobody allowed, and has no allowance form', async ({ page, serverUrl }) => {
  const settings = new AiSettingsPage(page);
  await settings.open(serverUrl);
  await expect(settings.allowance).toBeHidden();
  await settings.setHost(REMOTE, 'try a remote server');
  await expect(page.getByTestId('ai-settings-error')).toContainText('no admin allowed');
  await expect(settings.remoteNotice).toBeHidden();
});
