// The KPI overview's period and its panel of import-flagged tickets (how many are left out, the include switch).
import { expect, type Locator, type Page } from '@playwright/test';

export class KpiFlaggedPanel {
  readonly page: Page;
  readonly tab: Locator;
  readonly overview: Locator;
  readonly from: Locator;
  readonly to: Locator;
  readonly panel: Locator;
  readonly summary: Locator;
  readonly includeToggle: Locator;
  readonly fcrValue: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-kpis');
    this.overview = page.getByTestId('kpis-overview');
    this.from = page.getByTestId('kpis-from');
    this.to = page.getByTestId('kpis-to');
    this.panel = page.getByTestId('kpis-flagged');
    this.summary = page.getByTestId('kpis-flagged-summary');
    this.includeToggle = page.getByTestId('kpis-include-flagged');
    this.fcrValue = page.getByTestId('kpi-value-fcr');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.from).toBeVisible();
  }

  async setPeriod(from: string, to: string): Promise<void> {
    await this.from.fill(from);
    await this.to.fill(to);
    await expect(this.overview).toBeVisible();
  }
}
