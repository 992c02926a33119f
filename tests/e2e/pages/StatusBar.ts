import type { Locator, Page } from '@playwright/test';

export class StatusBar {
  readonly chain: Locator;
  readonly verifyButton: Locator;

  constructor(page: Page) {
    this.chain = page.getByTestId('chain-status');
    this.verifyButton = page.getByTestId('verify-button');
  }

  /** Event count from "Chain verified · N events · …". */
  async eventCount(): Promise<number | null> {
    const text = (await this.chain.textContent()) ?? '';
    const match = /·\s*([\d,]+)\s+events/.exec(text);
    return match?.[1] ? Number(match[1].replace(/,/g, '')) : null;
  }
}
