import type { Locator, Page } from '@playwright/test';

export class TicketDetailPage {
  readonly root: Locator;
  readonly subject: Locator;
  readonly events: Locator;

  constructor(page: Page) {
    this.root = page.getByTestId('ticket-detail');
    this.subject = this.root.getByTestId('ticket-subject');
    this.events = this.root.getByTestId('timeline-event');
  }

  event(seq: number): Locator {
    return this.root.locator(`[data-testid="timeline-event"][data-seq="${seq}"]`);
  }

  async eventSeqs(): Promise<number[]> {
    return this.events.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
  }

  async eventTypes(): Promise<string[]> {
    return this.events.evaluateAll((els) => els.map((e) => e.getAttribute('data-type') ?? ''));
  }

  seqOf(event: Locator): Locator {
    return event.getByTestId('event-seq');
  }
  typeOf(event: Locator): Locator {
    return event.getByTestId('event-type');
  }
  actorOf(event: Locator): Locator {
    return event.getByTestId('event-actor');
  }
  hashOf(event: Locator): Locator {
    return event.getByTestId('event-hash');
  }
  payloadOf(event: Locator): Locator {
    return event.getByTestId('event-payload');
  }
}
