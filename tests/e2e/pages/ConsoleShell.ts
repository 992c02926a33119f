// The console around the views: its view tabs, the skip link, the URL fragment that holds the route, and the
// browser's Back / Forward through it.
import { expect, type Locator, type Page } from '@playwright/test';

export const VIEW_IDS = ['queue', 'sla', 'ai', 'outcomes', 'audit', 'imports', 'kpis', 'people', 'access'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export class ConsoleShell {
  readonly page: Page;
  readonly app: Locator;
  readonly viewHost: Locator;
  readonly skipLink: Locator;
  readonly viewRefused: Locator;

  constructor(page: Page) {
    this.page = page;
    this.app = page.getByTestId('app');
    this.viewHost = page.getByTestId('view-host');
    this.skipLink = page.getByTestId('skip-link');
    this.viewRefused = page.getByTestId('view-refused');
  }

  tab(view: ViewId): Locator {
    return this.page.getByTestId(`view-tab-${view}`);
  }

  /** Opens the console at `url` (a server URL, with or without a route fragment) and waits until it has loaded. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.app).toHaveAttribute('data-app-state', 'loaded');
  }

  /**
   * Opens an in-app link the way a pasted one opens: a fresh page load of `origin/#/…` in this tab (the tab's
   * session token carries over, as it does for a person pasting a link into the tab they signed in with).
   */
  async openLink(serverUrl: string, fragment: string): Promise<void> {
    const origin = new URL(serverUrl).origin;
    await this.page.goto('about:blank');
    await this.open(`${origin}/${fragment}`);
  }

  /** Reloads the page (same route) and waits until the console has loaded. */
  async reload(): Promise<void> {
    await this.page.reload();
    await expect(this.app).toHaveAttribute('data-app-state', 'loaded');
  }

  async show(view: ViewId): Promise<void> {
    await this.tab(view).click();
    await this.expectView(view);
  }

  async expectView(view: ViewId): Promise<void> {
    await expect(this.viewHost).toHaveAttribute('data-view', view);
    await expect(this.tab(view)).toHaveAttribute('aria-current', 'page');
  }

  /** The route part of the address: everything from "#". */
  fragment(): string {
    return new URL(this.page.url()).hash;
  }

  /** The address (fragment included) that the tab shows now: what a person would copy and share. */
  url(): string {
    return this.page.url();
  }

  async back(): Promise<void> {
    await this.page.goBack();
  }

  async forward(): Promise<void> {
    await this.page.goForward();
  }

  /**
   * Presses Tab until `target` has focus; returns how many presses it took (null: not within `limit`). Call it on a
   * freshly loaded page, where the first Tab goes to the first focusable element of the page.
   */
  async tabsUntilFocused(target: Locator, limit = 80): Promise<number | null> {
    for (let presses = 1; presses <= limit; presses++) {
      await this.page.keyboard.press('Tab');
      if (await target.evaluate((el) => el === document.activeElement)) return presses;
    }
    return null;
  }

  /** How many checkboxes Tab crosses before reaching `target` (on a freshly loaded page, as tabsUntilFocused). */
  async checkboxesBefore(target: Locator, limit = 80): Promise<number | null> {
    let checkboxes = 0;
    for (let presses = 1; presses <= limit; presses++) {
      await this.page.keyboard.press('Tab');
      if (await target.evaluate((el) => el === document.activeElement)) return checkboxes;
      if (await this.page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === 'checkbox')) checkboxes++;
    }
    return null;
  }

  /** The element with focus, as its data-testid or id. */
  async focused(): Promise<string> {
    return this.page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el?.getAttribute('data-testid') ?? el?.id ?? '';
    });
  }
}
