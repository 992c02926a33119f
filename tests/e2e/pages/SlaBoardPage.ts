import { expect, type Locator, type Page } from '@playwright/test';

export class SlaBoardPage {
  readonly page: Page;
  readonly root: Locator;
  readonly compliance: Locator;
  readonly drilldown: Locator;
  readonly live: Locator;
  readonly tab: Locator;
  /** The weekly trend as a figure: caption, chart and its data table. */
  readonly trendFigure: Locator;
  readonly trendTableToggle: Locator;
  readonly trendTable: Locator;
  readonly trendMetric: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('sla-board');
    this.compliance = page.getByTestId('sla-compliance');
    this.drilldown = page.getByTestId('sla-drilldown');
    this.live = page.getByTestId('sla-live');
    this.tab = page.getByTestId('view-tab-sla');
    this.trendFigure = page.getByTestId('sla-trend-figure');
    this.trendTableToggle = page.getByTestId('sla-trend-figure-table-toggle');
    this.trendTable = page.getByTestId('sla-trend-figure-table');
    this.trendMetric = page.getByTestId('sla-trend-metric');
  }

  /** Shows the board from another view (its tab), on its default range, and waits for the compliance table. */
  async show(): Promise<void> {
    await this.tab.click();
    await expect(this.root).toBeVisible();
    await expect(this.compliance).toBeVisible();
  }

  async open(serverUrl: string, from: string, to: string): Promise<void> {
    await this.page.goto(serverUrl);
    await this.page.getByTestId('view-tab-sla').click();
    await this.page.getByTestId('sla-from').fill(from);
    await this.page.getByTestId('sla-to').fill(to);
  }

  /** The week buttons in the trend's data table (each opens that week's breached tickets). */
  get trendWeeks(): Locator {
    return this.trendTable.getByRole('button');
  }

  cell(metric: string, column: 'compliance' | 'achieved' | 'breached' | 'inprogress', actor?: 'ai' | 'human'): Locator {
    return this.page.getByTestId(`sla-${metric}${actor ? `-${actor}` : ''}-${column}`);
  }
}
