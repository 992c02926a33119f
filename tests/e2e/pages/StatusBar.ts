import type { Locator, Page } from '@playwright/test';

/** One state the status bar passed through, as a MutationObserver in the page saw it. */
export interface RecordedChainState {
  state: string;
  text: string;
  /** The progress bar's value and max, when one was shown. */
  progress: { value: number; max: number } | null;
}

/** "Chain verified · 2,989 events at 2026-11-29 20:44:27 UTC · head 5b92066ddeaa…" (the console's one date format). */
export const VERIFIED_TEXT = /^Chain verified · [\d,]+ events at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC(?:[+\u2212]\d{2}:\d{2})? · head [0-9a-f]{12}…$/;

const count = (digits: string): number => Number(digits.replace(/,/g, ''));

export class StatusBar {
  readonly page: Page;
  readonly bar: Locator;
  readonly chain: Locator;
  readonly verifyButton: Locator;
  readonly progress: Locator;
  /** "Open T-x": the ticket of the first break. */
  readonly breakTicketButton: Locator;
  /** "N events re-read since opened · full check <time>" */
  readonly scope: Locator;
  /** The deep check's word on the projections ("projections match the ledger (N rows)"). */
  readonly deep: Locator;

  constructor(page: Page) {
    this.page = page;
    this.bar = page.locator('footer.statusbar');
    this.chain = page.getByTestId('chain-status');
    this.verifyButton = page.getByTestId('verify-button');
    this.progress = page.getByTestId('chain-progress');
    this.breakTicketButton = page.getByTestId('chain-break-ticket');
    this.scope = page.getByTestId('chain-verified-scope');
    this.deep = page.getByTestId('chain-deep');
  }

  private async chainText(): Promise<string> {
    return (await this.chain.textContent()) ?? '';
  }

  /** Event count from "Chain verified · N events at …" (null in any other state). */
  async eventCount(): Promise<number | null> {
    const match = /^Chain verified · ([\d,]+) events at /.exec(await this.chainText());
    return match?.[1] ? count(match[1]) : null;
  }

  /** When the verdict shown was reached, as an ISO timestamp (the bar shows whole seconds and the zone's offset). */
  async verifiedAt(): Promise<string | null> {
    const match = / events at (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC(?:([+\u2212])(\d{2}:\d{2}))? · /.exec(await this.chainText());
    if (!match) return null;
    const offset = match[3] ? `${match[3] === '+' ? '+' : '-'}${match[4]}` : 'Z';
    return new Date(`${match[1]}T${match[2]}${offset}`).toISOString();
  }

  /** Events the console re-read since it opened the file (full check plus increments). */
  async reReadCount(): Promise<number | null> {
    const match = /^([\d,]+) events re-read since opened/.exec((await this.scope.textContent()) ?? '');
    return match?.[1] ? count(match[1]) : null;
  }

  /** The exact time (ISO, milliseconds) of the last full re-read, from the scope's tooltip. */
  async fullCheckAt(): Promise<string | null> {
    const title = (await this.scope.getAttribute('title')) ?? '';
    return /^last full re-read (\S+)$/.exec(title)?.[1] ?? null;
  }

  /**
   * Records every state the status bar passes through from now on (a MutationObserver in the page), so a test can
   * say what was shown in between without sampling it at the right moment.
   */
  async startRecording(): Promise<void> {
    await this.page.evaluate(() => {
      const bar = document.querySelector('footer.statusbar');
      if (!bar) throw new Error('no status bar to record');
      const seen: RecordedChainState[] = [];
      const snapshot = (): void => {
        const chain = bar.querySelector('[data-testid="chain-status"]');
        const progress = bar.querySelector<HTMLProgressElement>('[data-testid="chain-progress"]');
        seen.push({
          state: chain?.getAttribute('data-chain-state') ?? '',
          text: chain?.textContent ?? '',
          progress: progress ? { value: progress.value, max: progress.max } : null,
        });
      };
      snapshot();
      new MutationObserver(snapshot).observe(bar, { subtree: true, childList: true, characterData: true, attributes: true });
      (window as unknown as { __chainStates: RecordedChainState[] }).__chainStates = seen;
    });
  }

  async recordedStates(): Promise<RecordedChainState[]> {
    return this.page.evaluate(() => (window as unknown as { __chainStates?: RecordedChainState[] }).__chainStates ?? []);
  }
}
