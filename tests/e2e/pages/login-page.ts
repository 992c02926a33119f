// The sign-in screen: what a ledger with accounts shows until someone signs in (and again after sign-out,
// session expiry or a lock). In demo mode it lists the demo accounts with their published passwords.
import { expect, type Locator, type Page } from '@playwright/test';

export type RoleName = 'admin' | 'supervisor' | 'auditor';

export interface DemoAccountRow {
  account: string;
  display: string;
  role: RoleName;
  password: string;
}

export class LoginPage {
  readonly page: Page;
  readonly screen: Locator;
  readonly name: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly demoList: Locator;
  readonly demoRows: Locator;
  /** The console once signed in (or in single-user mode). */
  readonly app: Locator;
  readonly signOut: Locator;
  readonly personName: Locator;
  readonly role: Locator;

  constructor(page: Page) {
    this.page = page;
    this.screen = page.getByTestId('signin-screen');
    this.name = page.getByTestId('signin-name');
    this.password = page.getByTestId('signin-password');
    this.submit = page.getByTestId('signin-submit');
    this.error = page.getByTestId('signin-error');
    this.demoList = page.getByTestId('demo-accounts');
    this.demoRows = this.demoList.getByTestId('demo-account');
    this.app = page.getByTestId('app');
    this.signOut = page.getByTestId('sign-out');
    this.personName = page.getByTestId('session-person');
    this.role = page.getByTestId('session-role');
  }

  /** Opens the console URL and waits for the sign-in screen. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.screen).toBeVisible();
  }

  /** Fills in the form and submits it; does not wait for the outcome (see expectSignedIn / error). */
  async submitCredentials(account: string, password: string): Promise<void> {
    await this.name.fill(account);
    await this.password.fill(password);
    await this.submit.click();
  }

  /** Signs in and waits until the console has loaded as that person. */
  async signIn(account: string, password: string): Promise<void> {
    await this.submitCredentials(account, password);
    await this.expectSignedIn(account);
  }

  async expectSignedIn(account?: string): Promise<void> {
    await expect(this.app).toHaveAttribute('data-app-state', 'loaded');
    if (account) await expect(this.personName).toHaveAttribute('data-account', account);
  }

  /** The demo accounts the sign-in screen lists (empty when it lists none). */
  async demoAccounts(): Promise<DemoAccountRow[]> {
    if ((await this.demoList.count()) === 0) return [];
    return this.demoRows.evaluateAll((rows) =>
      rows.map((row) => ({
        account: row.getAttribute('data-account') ?? '',
        display: row.getAttribute('data-display') ?? '',
        role: (row.getAttribute('data-role') ?? '') as 'admin' | 'supervisor' | 'auditor',
        password: row.getAttribute('data-password') ?? '',
      })),
    );
  }

  /**
   * Signs in as the first listed demo account with this role (or this login name). By default waits until the
   * console has loaded as that person; `waitForConsole: false` returns once the form was submitted.
   */
  async signInAsDemo(who: RoleName | string, options: { waitForConsole?: boolean } = {}): Promise<DemoAccountRow> {
    await expect(this.demoRows.first()).toBeVisible();
    const accounts = await this.demoAccounts();
    const chosen = accounts.find((a) => a.account === who) ?? accounts.find((a) => a.role === who);
    if (!chosen) throw new Error(`the sign-in screen lists no demo account "${who}" (listed: ${accounts.map((a) => a.account).join(', ') || 'none'})`);
    if (options.waitForConsole === false) await this.submitCredentials(chosen.account, chosen.password);
    else await this.signIn(chosen.account, chosen.password);
    return chosen;
  }

  async signOutNow(): Promise<void> {
    await this.signOut.click();
    await expect(this.screen).toBeVisible();
  }
}
