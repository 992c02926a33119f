// Every view of the console and the controls in it that call a contract method: each such control names its
// method(s) in data-method (renderer/src/hooks/useMayDo.ts), so a test can check them all against the
// permission table without knowing each view's layout.
import { expect, type Locator, type Page } from '@playwright/test';

export interface MethodControl {
  /** The contract method(s) the control calls. */
  methods: string[];
  disabled: boolean;
  title: string | null;
  /** Text of the element its aria-describedby names (the visible refusal note), if any. */
  describedBy: string | null;
  /** What a person sees on it: its text, or its label / test id. */
  label: string;
}

export class RoleControlsPage {
  readonly page: Page;
  readonly tabs: Locator;
  readonly methodControls: Locator;
  readonly ticketRows: Locator;
  readonly ticketDetail: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tabs = page.locator('[data-testid^="view-tab-"]');
    this.methodControls = page.locator('[data-method]');
    this.ticketRows = page.getByTestId('ticket-row');
    this.ticketDetail = page.getByTestId('ticket-detail');
  }

  /** The ids of every view tab, in order. */
  async viewIds(): Promise<string[]> {
    await expect(this.tabs.first()).toBeVisible();
    return this.tabs.evaluateAll((tabs) => tabs.map((t) => (t.getAttribute('data-testid') ?? '').replace('view-tab-', '')));
  }

  async openView(id: string): Promise<void> {
    const tab = this.page.getByTestId(`view-tab-${id}`);
    await tab.click();
    await expect(tab).toHaveAttribute('aria-current', 'page');
  }

  /** The first control calling this method (for waiting until a view has drawn it). */
  control(method: string): Locator {
    return this.page.locator(`[data-method~="${method}"]`).first();
  }

  /** The sub-views of the KPI view (overview, pilot & migration board, ROI), by id. */
  async kpiTabIds(): Promise<string[]> {
    const tabs = this.page.locator('[data-testid^="kpis-tab-"]');
    await expect(tabs.first()).toBeVisible();
    return tabs.evaluateAll((els) => els.map((t) => (t.getAttribute('data-testid') ?? '').replace('kpis-tab-', '')));
  }

  async openKpiTab(id: string): Promise<void> {
    const tab = this.page.getByTestId(`kpis-tab-${id}`);
    await tab.click();
    await expect(tab).toHaveClass(/active/);
  }

  async openFirstTicket(): Promise<void> {
    await this.ticketRows.first().click();
    await expect(this.ticketDetail).toHaveAttribute('data-ticket-id', /.+/);
  }

  /** Every control on the page that calls a method, as the person sees it now. */
  async controls(): Promise<MethodControl[]> {
    return this.methodControls.evaluateAll((elements) =>
      elements.map((el) => {
        const describedById = el.getAttribute('aria-describedby');
        const note = describedById ? document.getElementById(describedById) : null;
        const label = (el.textContent ?? '').trim() || el.getAttribute('aria-label') || el.getAttribute('data-testid') || el.tagName.toLowerCase();
        return {
          methods: (el.getAttribute('data-method') ?? '').split(/\s+/).filter(Boolean),
          disabled: (el as HTMLButtonElement).disabled === true,
          title: el.getAttribute('title'),
          describedBy: note ? (note.textContent ?? '').trim() : null,
          label,
        };
      }),
    );
  }
}
