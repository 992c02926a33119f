// The KPI view: overview, migration board and ROI tabs over a period.
import { expect, type Locator, type Page } from '@playwright/test';

export type KpisTab = 'overview' | 'board' | 'roi';

export class KpisPage {
  readonly page: Page;
  readonly tab: Locator;
  readonly view: Locator;
  readonly from: Locator;
  readonly to: Locator;
  readonly loading: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-kpis');
    this.view = page.getByTestId('kpis-view');
    this.from = page.getByTestId('kpis-from');
    this.to = page.getByTestId('kpis-to');
    this.loading = page.getByTestId('kpis-loading');
  }

  /** Opens the view and waits until its first figures have loaded. */
  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.view).toBeVisible();
    await expect(this.loading).toHaveCount(0);
  }

  subTab(tab: KpisTab): Locator {
    return this.page.getByTestId(`kpis-tab-${tab}`);
  }

  async showTab(tab: KpisTab): Promise<void> {
    await this.subTab(tab).click();
  }
}
