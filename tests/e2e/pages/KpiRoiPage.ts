import type { Locator, Page } from '@playwright/test';

/** The KPI view's money: the overview's cost figures and the ROI calculator (inputs, currency, parts). */
export class KpiRoiPage {
  readonly page: Page;
  readonly tab: Locator;
  readonly view: Locator;
  readonly overviewTab: Locator;
  readonly roiTab: Locator;
  readonly overview: Locator;
  readonly costFigure: Locator;
  readonly spendFigure: Locator;
  readonly savingsFigure: Locator;
  readonly calculator: Locator;
  readonly currency: Locator;
  readonly roiValue: Locator;
  readonly parts: Locator;
  readonly labor: Locator;
  readonly spend: Locator;
  readonly problem: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-kpis');
    this.view = page.getByTestId('kpis-view');
    this.overviewTab = page.getByTestId('kpis-tab-overview');
    this.roiTab = page.getByTestId('kpis-tab-roi');
    this.overview = page.getByTestId('kpis-overview');
    this.costFigure = page.getByTestId('kpi-value-cost');
    this.spendFigure = page.getByTestId('kpi-value-spend');
    this.savingsFigure = page.getByTestId('kpi-value-savings');
    this.calculator = page.getByTestId('kpis-roi');
    this.currency = page.getByTestId('roi-input-currency');
    this.roiValue = page.getByTestId('roi-value');
    this.parts = page.getByTestId('roi-parts');
    this.labor = page.getByTestId('roi-labor');
    this.spend = page.getByTestId('roi-spend');
    this.problem = page.getByTestId('roi-money-problem');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await this.overview.waitFor();
  }

  async openCalculator(): Promise<void> {
    await this.roiTab.click();
    await this.calculator.waitFor();
  }

  /** A money input of the calculator by its key (baseSalary, pricePerResolution…). */
  input(key: string): Locator {
    return this.page.getByTestId(`roi-input-${key}`);
  }

  /** The label text of a calculator input. */
  label(key: string): Locator {
    return this.calculator.locator('label', { has: this.input(key) });
  }
}
