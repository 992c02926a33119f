import { expect, type Locator, type Page } from '@playwright/test';

/** The Audit tab: chain and checkpoint verification, a seeded sample and its review, notes, signatures, the pack. */
export class AuditPage {
  readonly page: Page;
  readonly tab: Locator;
  readonly view: Locator;
  readonly verify: Locator;
  readonly progress: Locator;
  readonly verdict: Locator;
  readonly checkpoints: Locator;
  readonly period: Locator;
  readonly seed: Locator;
  readonly size: Locator;
  readonly draw: Locator;
  readonly sampleLines: Locator;
  readonly sampleSummary: Locator;
  readonly sampleRule: Locator;
  readonly review: Locator;
  readonly notes: Locator;
  readonly signatures: Locator;
  readonly exportPack: Locator;
  readonly exportResult: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-audit');
    this.view = page.getByTestId('au-view');
    this.verify = page.getByTestId('au-verify');
    this.progress = page.getByTestId('au-verify-progress');
    this.verdict = page.getByTestId('au-verdict');
    this.checkpoints = page.getByTestId('au-checkpoint');
    this.period = page.getByTestId('au-period');
    this.seed = page.getByTestId('au-seed');
    this.size = page.getByTestId('au-size');
    this.draw = page.getByTestId('au-draw');
    this.sampleLines = page.getByTestId('au-sample-line');
    this.sampleSummary = page.getByTestId('au-sample-summary');
    this.sampleRule = page.getByTestId('au-sample-rule');
    this.review = page.getByTestId('au-review');
    this.notes = page.getByTestId('au-note');
    this.signatures = page.getByTestId('au-signature');
    this.exportPack = page.getByTestId('au-export-pack');
    this.exportResult = page.getByTestId('au-export-result');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.view).toBeVisible();
  }

  /** Starts a full verification and waits for its verdict. */
  async verifyChain(): Promise<string> {
    await this.verify.click();
    // The button says "Verifying…" and is disabled while this run (or a re-check the monitor starts meanwhile) goes on.
    await expect(this.verify).toBeEnabled({ timeout: 60_000 });
    // The verdict as it was when it matched: read once, so a re-check starting just after cannot turn it into "verifying".
    let state = '';
    await expect.poll(async () => (state = (await this.verdict.getAttribute('data-state')) ?? ''), { timeout: 60_000 }).toMatch(/^(intact|broken|failed)$/);
    return state;
  }

  /** Draws a sample and returns its tickets in order. */
  async drawSample(period: string, seed: string, size: number): Promise<string[]> {
    await this.period.selectOption(period);
    await this.seed.fill(seed);
    await this.size.fill(String(size));
    await this.draw.click();
    await expect(this.sampleSummary).toContainText(`seed “${seed}”`);
    return this.sampleLines.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-ticket') ?? ''));
  }

  /** Opens the review of a sampled ticket. */
  async reviewTicket(ticket: string): Promise<Locator> {
    await this.page.locator(`[data-testid="au-sample-line"][data-ticket="${ticket}"]`).getByTestId('au-review-open').click();
    const review = this.page.locator(`[data-testid="au-review"][data-ticket="${ticket}"]`);
    await expect(review).toBeVisible();
    return review;
  }

  async recordNote(review: Locator, verdict: 'ok' | 'finding', note: string): Promise<void> {
    await review.getByTestId('au-note-verdict').selectOption(verdict);
    await review.getByTestId('au-note-text').fill(note);
    await review.getByTestId('au-note-record').click();
    await expect(review.getByTestId('au-review-done')).toContainText('recorded');
  }
}
