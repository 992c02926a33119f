// The Imports view: a helpdesk export (Zendesk JSON, CSV) imported with progress, mapping and a report.
import { expect, type Locator, type Page } from '@playwright/test';

export class ImportsPage {
  readonly page: Page;
  readonly tab: Locator;
  readonly view: Locator;
  readonly format: Locator;
  readonly file: Locator;
  readonly timezone: Locator;
  readonly start: Locator;
  readonly progress: Locator;
  readonly error: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-imports');
    this.view = page.getByTestId('imports-view');
    this.format = page.getByTestId('import-format');
    this.file = page.getByTestId('import-file');
    this.timezone = page.getByTestId('import-timezone');
    this.start = page.getByTestId('import-start');
    this.progress = page.getByTestId('import-progress');
    this.error = page.getByTestId('import-error');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.view).toBeVisible();
  }
}
