import { expect, type Locator, type Page } from '@playwright/test';

/** The Outcomes tab: the verification job, the attribution counter, the statement and the disputes screen. */
export class OutcomesPage {
  readonly page: Page;
  readonly tab: Locator;
  readonly view: Locator;
  readonly contract: Locator;
  readonly verification: Locator;
  readonly runVerification: Locator;
  readonly dryNote: Locator;
  readonly verifyResult: Locator;
  readonly attribution: Locator;
  /** The counter's period picker: the periods with data, newest first (the latest chosen when the tab opens). */
  readonly attributionPeriod: Locator;
  readonly statement: Locator;
  readonly period: Locator;
  readonly lines: Locator;
  readonly disputes: Locator;
  readonly periodState: Locator;
  readonly periodStateLabel: Locator;
  readonly issue: Locator;
  readonly issuedBy: Locator;
  readonly issuedSha: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-outcomes');
    this.view = page.getByTestId('oc-view');
    this.contract = page.getByTestId('oc-contract');
    this.verification = page.getByTestId('oc-verification');
    this.runVerification = page.getByTestId('oc-verify-run');
    this.dryNote = page.getByTestId('oc-verify-dry');
    this.verifyResult = page.getByTestId('oc-verify-result');
    this.attribution = page.getByTestId('oc-attribution');
    this.attributionPeriod = page.getByTestId('oc-attribution-period');
    this.statement = page.getByTestId('oc-statement');
    this.period = page.getByTestId('oc-period');
    this.lines = page.getByTestId('oc-line');
    this.disputes = page.getByTestId('oc-disputes');
    this.periodState = page.getByTestId('oc-period-state');
    this.periodStateLabel = page.getByTestId('oc-period-state-label');
    this.issue = page.getByTestId('oc-issue');
    this.issuedBy = page.getByTestId('oc-issued-by');
    this.issuedSha = page.getByTestId('oc-issued-sha');
  }

  /** The periods the statement picker offers, as listed. */
  async periods(): Promise<string[]> {
    await expect(this.period.locator('option').first()).toBeAttached();
    return this.period.locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
  }

  /** Chooses a period and waits until its state (open, issued, closed) is shown. */
  async choosePeriod(period: string): Promise<void> {
    await this.period.selectOption(period);
    await expect(this.periodState).toHaveAttribute('data-period', period);
    await expect(this.periodState).toHaveAttribute('data-state', /^(open|issued|closed)$/);
  }

  /** Opens the tab and waits until the contract, the verification panel and the counter have loaded. */
  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.contract).toBeVisible();
    await expect(this.verification).toBeVisible();
    await expect(this.page.getByTestId('oc-count-verified')).toBeVisible();
    await expect(this.disputes).toBeVisible();
  }

  count(bucket: 'verified' | 'pending' | 'rejected'): Locator {
    return this.page.getByTestId(`oc-count-${bucket}`);
  }

  /** The number a counter shows. */
  countNumber(bucket: 'verified' | 'pending' | 'rejected'): Locator {
    return this.count(bucket).locator('strong');
  }

  /** Runs the verification job from the button and waits for its result line. */
  async verify(): Promise<string> {
    await this.runVerification.click();
    await expect(this.verifyResult).toBeVisible({ timeout: 60_000 });
    return (await this.verifyResult.textContent()) ?? '';
  }
}
