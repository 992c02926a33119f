import { expect, type Locator, type Page } from '@playwright/test';

/** The AI view's resolution queue: start, cancel, progress, and the notice shown while the queue is paused. */
export class AiResolvePage {
  readonly page: Page;
  readonly tab: Locator;
  readonly panel: Locator;
  readonly eligible: Locator;
  readonly start: Locator;
  readonly cancel: Locator;
  readonly progress: Locator;
  readonly paused: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-ai');
    this.panel = page.getByTestId('ai-resolve');
    this.eligible = this.panel.getByTestId('ai-eligible');
    this.start = this.panel.getByTestId('ai-resolve-start');
    this.cancel = this.panel.getByTestId('ai-resolve-cancel');
    this.progress = this.panel.getByTestId('ai-progress');
    this.paused = this.panel.getByTestId('ai-paused');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.panel).toBeVisible();
  }

  /** Tickets done so far, read from the progress bar. */
  async done(): Promise<number> {
    return Number(await this.progress.locator('progress').getAttribute('value'));
  }

  /** A run is going on: its Cancel button is enabled. */
  async expectRunning(): Promise<void> {
    await expect(this.cancel).toBeEnabled();
  }
}
