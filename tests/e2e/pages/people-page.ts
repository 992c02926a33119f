// The People view: your own account and password; for admins every account, adding one, the idle time.
import { expect, type Locator, type Page } from '@playwright/test';
import type { RoleName } from './login-page.ts';

export interface NewAccount {
  name: string;
  display: string;
  role: RoleName;
  password: string;
}

export class PeoplePage {
  readonly page: Page;
  readonly tab: Locator;
  readonly view: Locator;
  readonly accounts: Locator;
  readonly addSubmit: Locator;
  readonly addDone: Locator;
  readonly addError: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-people');
    this.view = page.getByTestId('people-view');
    this.accounts = page.getByTestId('account-row');
    this.addSubmit = page.getByTestId('add-account-submit');
    this.addDone = page.getByTestId('add-account-done');
    this.addError = page.getByTestId('add-account-error');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.view).toBeVisible();
  }

  account(name: string): Locator {
    return this.page.locator(`[data-testid="account-row"][data-account="${name}"]`);
  }

  async fillNewAccount(account: NewAccount): Promise<void> {
    await this.page.getByTestId('add-account-name').fill(account.name);
    await this.page.getByTestId('add-account-display').fill(account.display);
    await this.page.getByTestId('add-account-role').selectOption(account.role);
    await this.page.getByTestId('add-account-password').fill(account.password);
    await this.page.getByTestId('add-account-password-again').fill(account.password);
  }

  async addAccount(account: NewAccount): Promise<void> {
    await this.fillNewAccount(account);
    await this.addSubmit.click();
    await expect(this.addDone).toBeVisible();
    await expect(this.account(account.name)).toBeVisible();
  }
}
