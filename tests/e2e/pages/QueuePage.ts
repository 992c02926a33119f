import { expect, type Locator, type Page } from '@playwright/test';

export type FilterKind = 'status' | 'priority' | 'category' | 'channel' | 'resolved' | 'sla';
export type RowAttribute = 'data-ticket-id' | 'data-status' | 'data-priority' | 'data-category' | 'data-channel' | 'data-resolved-by' | 'data-sla-state';
export type SortColumn = 'id' | 'subject' | 'status' | 'priority' | 'sla' | 'category' | 'channel' | 'resolvedBy' | 'created';

export class QueuePage {
  readonly page: Page;
  readonly app: Locator;
  readonly queue: Locator;
  readonly rows: Locator;
  readonly total: Locator;
  readonly empty: Locator;
  readonly search: Locator;
  readonly errorBanner: Locator;
  readonly importInput: Locator;
  readonly importReport: Locator;
  readonly importError: Locator;
  readonly sessionRole: Locator;
  readonly sessionDb: Locator;
  readonly tab: Locator;
  /** The ticket list as a grid (header row and ticket rows). */
  readonly grid: Locator;
  /** The row(s) marked selected (aria-selected). */
  readonly selectedRows: Locator;

  constructor(page: Page) {
    this.page = page;
    this.app = page.getByTestId('app');
    this.queue = page.getByTestId('ticket-queue');
    this.rows = this.queue.getByTestId('ticket-row');
    this.total = page.getByTestId('queue-total');
    this.empty = page.getByTestId('queue-empty');
    this.search = page.getByTestId('search-input');
    this.errorBanner = page.getByTestId('error-banner');
    this.importInput = page.getByTestId('import-input');
    this.importReport = page.getByTestId('import-report');
    this.importError = page.getByTestId('import-error');
    this.sessionRole = page.getByTestId('session-role');
    this.sessionDb = page.getByTestId('session-db');
    this.tab = page.getByTestId('view-tab-queue');
    this.grid = page.getByRole('grid', { name: 'Tickets' });
    this.selectedRows = this.queue.locator('[data-testid="ticket-row"][aria-selected="true"]');
  }

  /** A filter group: a fieldset named by its legend ("Status", "SLA state"…). */
  filterGroup(name: string): Locator {
    return this.page.getByRole('group', { name, exact: true });
  }

  /** The grid's column headers. */
  get columnHeaders(): Locator {
    return this.grid.getByRole('columnheader');
  }

  /** Scrolls the virtual list to its end (later pages load on demand). */
  async scrollToEnd(): Promise<void> {
    await this.queue.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  }

  async subjectOf(ticketId: string): Promise<string> {
    return (await this.row(ticketId).locator('[data-col="subject"]').textContent()) ?? '';
  }

  /** Shows the queue from another view (its tab) and waits for a total. */
  async show(): Promise<void> {
    await this.tab.click();
    await expect(this.queue).toBeVisible();
    await this.settledTotal();
  }

  /** The header of a sortable column (it carries aria-sort). */
  sortHeader(column: SortColumn): Locator {
    return this.page.getByTestId(`sort-header-${column}`);
  }

  /** Clicks a column header's sort button: that column ascending, or the other way if it already sorts by it. */
  async sortBy(column: SortColumn): Promise<void> {
    await this.page.getByTestId(`sort-${column}`).click();
  }

  /** The ticket at a 1-based position in the whole (virtual) list; row 1 of the grid is its header. */
  rowAtPosition(position: number): Locator {
    return this.queue.locator(`[data-testid="ticket-row"][aria-rowindex="${position + 1}"]`);
  }

  async selectTicket(ticketId: string): Promise<void> {
    await this.row(ticketId).click();
    await expect(this.row(ticketId)).toHaveAttribute('aria-selected', 'true');
  }

  /** The text of one column's cells on the rows shown, in order. */
  async columnTexts(column: 'sla' | 'priority' | 'status' | 'created'): Promise<string[]> {
    return this.rows.locator(`[data-col="${column}"]`).allTextContents();
  }

  /** Back to the Tickets view from another view (no reload). */
  async showTab(): Promise<void> {
    await this.page.getByTestId('view-tab-queue').click();
    await expect(this.queue).toBeVisible();
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await expect(this.app).toHaveAttribute('data-app-state', 'loaded');
  }

  filter(kind: FilterKind, value: string): Locator {
    return this.page.getByTestId(`filter-${kind}-${value}`);
  }

  /** Option values offered for a filter kind (read from the checkboxes' test ids). */
  async filterValues(kind: FilterKind): Promise<string[]> {
    const prefix = `filter-${kind}-`;
    const ids = await this.page.locator(`[data-testid^="${prefix}"]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    return ids.map((id) => id.slice(prefix.length));
  }

  /** The total shown above the queue, once a response has arrived (null while loading). */
  async totalCount(): Promise<number | null> {
    const raw = await this.total.getAttribute('data-total');
    return raw ? Number(raw) : null;
  }

  /** Waits until the queue shows a total, and returns it. */
  async settledTotal(): Promise<number> {
    await expect.poll(() => this.totalCount()).not.toBeNull();
    return (await this.totalCount())!;
  }

  async rowValues(attribute: RowAttribute): Promise<string[]> {
    return this.rows.evaluateAll((els, attr) => els.map((e) => e.getAttribute(attr) ?? ''), attribute);
  }

  async rowSubjects(): Promise<string[]> {
    return this.rows.locator('[data-col="subject"]').allTextContents();
  }

  row(ticketId: string): Locator {
    return this.queue.locator(`[data-testid="ticket-row"][data-ticket-id="${ticketId}"]`);
  }

  async searchFor(text: string): Promise<void> {
    await this.search.fill(text);
  }

  async importFile(name: string, content: string): Promise<void> {
    await this.importInput.setInputFiles({ name, mimeType: 'application/x-ndjson', buffer: Buffer.from(content, 'utf8') });
  }
}
