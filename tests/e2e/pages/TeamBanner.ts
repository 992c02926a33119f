import { expect, type Locator, type Page } from '@playwright/test';

/** "offline — last synced 14:02, 12 events behind at that time" */
export const OFFLINE_TEXT = /^offline — last synced \d{2}:\d{2}, \d+ events? behind at that time/;

/** The team ledger's banner of a console whose ledger is a replica (absent on a desktop ledger). */
export class TeamBanner {
  readonly page: Page;
  readonly banner: Locator;

  constructor(page: Page) {
    this.page = page;
    this.banner = page.getByTestId('team-status');
  }

  async expectState(state: 'connecting' | 'online' | 'offline' | 'stopped'): Promise<void> {
    await expect(this.banner).toHaveAttribute('data-team-state', state);
  }

  async expectOnline(): Promise<void> {
    await this.expectState('online');
    await expect(this.banner).toContainText(/Team ledger 127\.0\.0\.1:\d+\/\w+ · online · in step at #\d+/);
  }

  async expectOffline(): Promise<void> {
    await this.expectState('offline');
    await expect(this.banner).toHaveAttribute('role', 'alert');
    await expect(this.banner.locator('strong')).toHaveText(OFFLINE_TEXT);
  }
}
