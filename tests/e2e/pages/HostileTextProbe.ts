import { expect, type Locator, type Page } from '@playwright/test';
import { QueuePage } from './QueuePage.ts';
import { TicketDetailPage } from './TicketDetailPage.ts';

/** The global a hostile payload sets if any of its script ever runs. */
export const PWNED_GLOBAL = '__attestPwned';

/**
 * Watches a console page for text that escaped into markup: scripts that ran (the payload's global, an alert),
 * elements made out of ticket text, and what the queue and the detail pane show for a ticket.
 */
export class HostileTextProbe {
  readonly page: Page;
  readonly queue: QueuePage;
  readonly detail: TicketDetailPage;
  readonly dialogs: string[] = [];

  constructor(page: Page) {
    this.page = page;
    this.queue = new QueuePage(page);
    this.detail = new TicketDetailPage(page);
    page.on('dialog', (dialog) => {
      this.dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  }

  async open(url: string): Promise<void> {
    await this.queue.open(url);
  }

  /** Imports Attest JSONL through the console's own import button and waits for its report. */
  async importJsonl(name: string, lines: Record<string, unknown>[]): Promise<void> {
    await this.queue.importFile(name, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
    await expect(this.queue.importReport).toBeVisible();
  }

  /** Whether any script from ticket text ran: its global was set or it opened a dialog. */
  async scriptRan(): Promise<boolean> {
    const global = await this.page.evaluate((name) => (window as unknown as Record<string, unknown>)[name] !== undefined, PWNED_GLOBAL);
    return global || this.dialogs.length > 0;
  }

  /** Elements inside `root` that could only have come from ticket text parsed as HTML. */
  injectedElements(root: Locator): Locator {
    return root.locator('script, iframe, object, embed, img[src="x"], [onerror], [onload]');
  }

  row(ticketId: string): Locator {
    return this.queue.row(ticketId);
  }

  rowSubject(ticketId: string): Locator {
    return this.row(ticketId).locator('[data-col="subject"]');
  }

  async findInQueue(ticketId: string): Promise<void> {
    await this.queue.searchFor(ticketId);
    await expect(this.row(ticketId)).toBeVisible();
  }

  async openTicket(ticketId: string): Promise<void> {
    await this.row(ticketId).click();
    await expect(this.detail.root).toBeVisible();
  }

  /** The payload text of the ticket's events of one type, as shown. */
  payloads(type: string): Locator {
    return this.detail.root.locator(`[data-testid="timeline-event"][data-type="${type}"] [data-testid="event-payload"]`);
  }
}
