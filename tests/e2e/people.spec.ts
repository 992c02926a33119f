// People in the console: the sign-in screen of a demo, what an auditor may not do (and why, before clicking),
// the access log, an admin adding a person who then signs in, signing out, and a URL token without the session
// cookie getting nothing.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator } from '@playwright/test';
import { expect, runCli, test } from './fixtures.ts';
import { AccessLogPage } from './pages/access-log-page.ts';
import { LoginPage } from './pages/login-page.ts';
import { PeoplePage } from './pages/people-page.ts';

// These tests sign in themselves.
test.use({ account: null });

const REFUSED = /^The auditor role may not .+; only admins and supervisors may\.$/;

test('the sign-in screen names the demo accounts; a wrong password is refused plainly; an auditor sees what they may not do and why, and their sign-ins in the access log', async ({ page, serverUrl }) => {
  const login = new LoginPage(page);
  await login.open(serverUrl);
  const accounts = await login.demoAccounts();
  expect(accounts.map((a) => a.role).sort()).toEqual(['admin', 'auditor', 'supervisor', 'supervisor']);
  for (const account of accounts) {
    await expect(login.demoList).toContainText(account.display);
    await expect(login.demoList).toContainText(account.password);
  }
  const auditor = accounts.find((a) => a.role === 'auditor')!;

  await login.submitCredentials(auditor.account, 'not-the-password');
  await expect(login.error).toHaveText('wrong name or password');
  await expect(login.screen).toBeVisible();

  await login.signIn(auditor.account, auditor.password);
  await expect(login.personName).toHaveText(auditor.display);
  await expect(login.role).toHaveText('auditor');

  // The JSONL import in the header: disabled, the reason beside it and on it.
  const jsonl = page.getByTestId('import-input');
  await expect(jsonl).toBeDisabled();
  await expect(jsonl).toHaveAttribute('title', REFUSED);
  await expect(page.locator(`#${await describedBy(jsonl)}`)).toHaveText(/^The auditor role may not import a JSONL ledger file/);

  // Resolve now (AI view).
  await page.getByTestId('view-tab-ai').click();
  const resolve = page.getByTestId('ai-resolve-start');
  await expect(resolve).toBeDisabled();
  await expect(resolve).toHaveAttribute('title', 'The auditor role may not run the AI on tickets; only admins and supervisors may.');
  await expect(page.getByTestId('ai-resolve').getByTestId('refusal-note')).toHaveText('The auditor role may not run the AI on tickets; only admins and supervisors may.');

  // Helpdesk import upload (Imports view).
  await page.getByTestId('view-tab-imports').click();
  const upload = page.getByTestId('import-file');
  await expect(upload).toBeDisabled();
  await expect(page.locator(`#${await describedBy(upload)}`)).toHaveText('The auditor role may not upload a helpdesk export; only admins and supervisors may.');
  await expect(page.getByTestId('import-start')).toBeDisabled();

  // Category mode (KPIs → migration board).
  await page.getByTestId('view-tab-kpis').click();
  await page.getByTestId('kpis-tab-board').click();
  const modeSelect = page.locator('[data-testid^="kpis-mode-select-"]').first();
  await expect(modeSelect).toBeDisabled();
  await expect(modeSelect).toHaveAttribute('title', "The auditor role may not change a category's AI mode; only admins and supervisors may.");
  await expect(page.locator(`#${await describedBy(modeSelect)}`)).toBeVisible();

  // The access log: this auditor's sign-in on top of the failed one before it.
  const log = new AccessLogPage(page);
  await log.open();
  await log.filterAccount(auditor.account);
  // Besides sign-ins, opening the AI view left a record of the settings this auditor viewed.
  await expect.poll(async () => (await log.shownRows()).map((r) => r.type)).toContain('access.settingsViewed');
  await log.filterType('access.login');
  await log.filterType('access.loginFailed');
  await expect.poll(async () => (await log.shownRows()).map((r) => r.type)).toEqual(['access.login', 'access.loginFailed']);
  const [signIn, failed] = await log.shownRows();
  expect(signIn!.account).toBe(auditor.account);
  expect(failed!.account).toBe(auditor.account);
  expect(signIn!.seq).toBeGreaterThan(failed!.seq);
  await log.clearType('access.login');
  await expect.poll(async () => (await log.shownRows()).map((r) => r.type)).toEqual(['access.loginFailed']);
});

test('an admin adds an account and the new person signs in; signing out returns to the sign-in screen', async ({ page, serverUrl }) => {
  const login = new LoginPage(page);
  await login.open(serverUrl);
  const admin = await login.signInAsDemo('admin');
  await expect(login.personName).toHaveText(admin.display);

  const people = new PeoplePage(page);
  await people.open();
  await expect(people.accounts).toHaveCount(4);
  const newcomer = { name: 'pnakamura', display: 'Priya Nakamura', role: 'supervisor' as const, password: 'quartz-harbor-river-81' };
  await people.addAccount(newcomer);
  await expect(people.account(newcomer.name)).toHaveAttribute('data-role', 'supervisor');

  await login.signOutNow();
  // The new account is no demo account: the sign-in screen does not list it.
  expect((await login.demoAccounts()).map((a) => a.account)).not.toContain(newcomer.name);
  await login.signIn(newcomer.name, newcomer.password);
  await expect(login.personName).toHaveText(newcomer.display);
  await expect(login.role).toHaveText('supervisor');
  // A supervisor may not read the access log: its tab says why.
  await expect(page.getByTestId('view-tab-access')).toBeDisabled();
  await expect(page.getByTestId('view-tab-access')).toHaveAttribute('title', 'The supervisor role may not read the access log; only admins and auditors may.');

  await login.signOutNow();
  await expect(login.app).toHaveCount(0);
  // A reload does not bring the session back.
  await page.reload();
  await expect(login.screen).toBeVisible();
});

test('a browser holding only the URL token, without the session cookie, gets the sign-in screen and no tickets', async ({ browser, page, serverUrl }) => {
  // Someone is signed in on this server in another browser.
  const login = new LoginPage(page);
  await login.open(serverUrl);
  await login.signInAsDemo('supervisor');

  const stranger = await browser.newContext();
  try {
    const strangerPage = await stranger.newPage();
    const strangerLogin = new LoginPage(strangerPage);
    await strangerLogin.open(serverUrl);
    await expect(strangerLogin.app).toHaveCount(0);
    const token = new URL(serverUrl).hash.replace(/^#token=/, '');
    const answer = await strangerPage.evaluate(async (t) => {
      const response = await fetch('/api/rpc/tickets.list', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Attest-Token': t },
        body: JSON.stringify({}),
      });
      return { status: response.status, body: (await response.json()) as { ok: boolean; error?: { code: string } } };
    }, decodeURIComponent(token));
    expect(answer.body.ok).toBe(false);
    expect(answer.body.error?.code).toBe('unauthenticated');
  } finally {
    await stranger.close();
  }
});

test('single-user mode offers to create the first admin account; once created, the console asks everyone to sign in', async ({ page, workDir, startServer }) => {
  // A ledger with no accounts: imported history only.
  const db = join(workDir, 'single.db');
  await runCli(['import', '--db', db, '--format', 'jsonl', fileURLToPath(new URL('../fixtures/small.jsonl', import.meta.url))]);

  // Served with the supervisor role, creating accounts is an admin's act: offered, disabled, and why.
  const asSupervisor = await startServer(db, {}, ['--role', 'supervisor']);
  await page.goto(asSupervisor);
  const open = page.getByTestId('first-admin-open');
  await expect(open).toBeDisabled();
  await expect(page.getByTestId('first-admin').getByTestId('refusal-note')).toHaveText('The supervisor role may not create an account; only admins may.');

  // Served as single-user mode's default role, the person at the machine (admin), they may create it.
  const asAdmin = await startServer(db);
  const login = new LoginPage(page);
  await page.goto(asAdmin);
  await expect(login.app).toHaveAttribute('data-app-state', 'loaded');
  await expect(login.signOut).toHaveCount(0);
  await open.click();
  await page.getByTestId('first-admin-name').fill('hbaker');
  await page.getByTestId('first-admin-display').fill('Hannah Baker');
  await page.getByTestId('first-admin-password').fill('lantern-orchard-glacier-7');
  await page.getByTestId('first-admin-password-again').fill('lantern-orchard-glacier-7');
  await page.getByTestId('first-admin-submit').click();

  await expect(login.screen).toBeVisible();
  // Not a demo: no accounts are listed.
  await expect(login.demoList).toHaveCount(0);
  await login.signIn('hbaker', 'lantern-orchard-glacier-7');
  await expect(login.personName).toHaveText('Hannah Baker');
  await expect(login.role).toHaveText('admin');
});

async function describedBy(control: Locator): Promise<string> {
  const id = await control.getAttribute('aria-describedby');
  expect(id, 'the control names the note that says why it is disabled').toBeTruthy();
  // useId ids contain colons (":r1:"): escape them for a CSS id selector.
  return id!.replace(/:/g, '\\:');
}
