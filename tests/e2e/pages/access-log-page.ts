// The access log view (auditors and admins): sign-ins, failures, lockouts, sign-outs, exports… newest first.
import { expect, type Locator, type Page } from '@playwright/test';

export type AccessType =
  | 'access.login'
  | 'access.loginFailed'
  | 'access.lockout'
  | 'access.logout'
  | 'access.expired'
  | 'access.export'
  | 'access.pack'
  | 'access.settingsViewed';

export interface AccessRow {
  seq: number;
  type: string;
  account: string;
}

export class AccessLogPage {
  readonly page: Page;
  readonly tab: Locator;
  readonly view: Locator;
  readonly rows: Locator;
  readonly total: Locator;
  readonly account: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-access');
    this.view = page.getByTestId('access-log-view');
    this.rows = page.getByTestId('access-row');
    this.total = page.getByTestId('access-total');
    this.account = page.getByTestId('access-account');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.view).toBeVisible();
    await expect(this.total).toHaveAttribute('data-total', /\d+/);
  }

  /** Shows only these kinds (none checked: every kind). */
  async filterType(type: AccessType): Promise<void> {
    await this.page.getByTestId(`access-type-${type}`).check();
  }

  async clearType(type: AccessType): Promise<void> {
    await this.page.getByTestId(`access-type-${type}`).uncheck();
  }

  async filterAccount(name: string): Promise<void> {
    await this.account.fill(name);
  }

  /** The rows shown, top (newest) first. */
  async shownRows(): Promise<AccessRow[]> {
    return this.rows.evaluateAll((rows) =>
      rows.map((row) => ({
        seq: Number(row.getAttribute('data-seq')),
        type: row.getAttribute('data-type') ?? '',
        account: row.getAttribute('data-account') ?? '',
      })),
    );
  }
}
