// Ticket text with HTML, scripts, bidi overrides and control characters, imported through the console, is shown
// as text in the queue and the detail pane: literally (the DOM holds exactly the ledger's characters), with no
// element made from it and no script run.
import { expect, test } from './fixtures.ts';
import { HostileTextProbe, PWNED_GLOBAL } from './pages/HostileTextProbe.ts';

const TICKET = 'E2E-HOSTILE-1';
const SUBJECT = `<img src=x onerror="window.${PWNED_GLOBAL}=1"><script>window.${PWNED_GLOBAL}=2</script> refund \u202Egnp.exe\u202C \u0007bell \u2066iso\u2069`;
const BODY = `</div><svg onload="window.${PWNED_GLOBAL}=3"><iframe src="javascript:alert(1)"></iframe> <b>bold?</b> \u202Edesrever\u202C \u0000\u001b[31m red \u0008`;

test('hostile ticket text renders as text in the queue and the detail pane; no script runs', async ({ page, serverUrl }) => {
  const probe = new HostileTextProbe(page);
  await probe.open(serverUrl);
  await probe.importJsonl('hostile.jsonl', [
    { ticket: TICKET, type: 'created', at: '2026-02-03T09:15:00Z', channel: 'email', priority: 'high', category: 'billing', subject: SUBJECT, requester: 'mallory@example.com' },
    { ticket: TICKET, type: 'message', at: '2026-02-03T09:16:00Z', author: { kind: 'customer', id: 'mallory@example.com' }, public: true, body: BODY },
  ]);

  await probe.findInQueue(TICKET);
  await expect(probe.rowSubject(TICKET)).toHaveText(SUBJECT, { useInnerText: false });
  await expect(probe.injectedElements(probe.row(TICKET))).toHaveCount(0);

  await probe.openTicket(TICKET);
  await expect(probe.detail.subject).toHaveText(SUBJECT, { useInnerText: false });
  await expect(probe.payloads('message').first()).toContainText(BODY, { useInnerText: false });
  await expect(probe.injectedElements(probe.detail.root)).toHaveCount(0);

  expect(await probe.scriptRan()).toBe(false);
});
