import type { Locator, Page } from '@playwright/test';

export class SlaBoardPage {
  readonly page: Page;
  readonly root: Locator;
  readonly compliance: Locator;
  readonly drilldown: Locator;
  readonly live: Locator;

  constructor(page: Page) {
    this.page = page;
    this.root = page.getByTestId('sla-board');
    this.compliance = page.getByTestId('sla-compliance');
    this.drilldown = page.getByTestId('sla-drilldown');
    this.live = page.getByTestId('sla-live');
  }

  async open(serverUrl: string, from: string, to: string): Promise<void> {
    await this.page.goto(serverUrl);
    await this.page.getByTestId('view-tab-sla').click();
    await this.page.getByTestId('sla-from').fill(from);
    await this.page.getByTestId('sla-to').fill(to);
  }

  cell(metric: string, column: 'compliance' | 'achieved' | 'breached' | 'inprogress', actor?: 'ai' | 'human'): Locator {
    return this.page.getByTestId(`sla-${metric}${actor ? `-${actor}` : ''}-${column}`);
  }
}
