// The AI view as a whole (its panels have their own models: AiResolvePage, AiSettingsPage).
import { expect, type Locator, type Page } from '@playwright/test';

export class AiPage {
  readonly page: Page;
  readonly tab: Locator;
  readonly view: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-ai');
    this.view = page.getByTestId('ai-view');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.view).toBeVisible();
  }
}
