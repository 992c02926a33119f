// The KPIs view: overview, migration board and ROI tabs over a period; the overview's figures and trend charts, and
// the drill-down a figure, a chart's week or a board value opens (its denominator page by page, each ticket marked
// in or out of the numerator).
import { expect, type Download, type Locator, type Page } from '@playwright/test';

export type KpisTab = 'overview' | 'board' | 'roi';
export type DrillShow = 'all' | 'counted' | 'not_counted' | 'excluded';
export type TrendChart = 'kpis-trend-rates' | 'kpis-trend-csat';

export class KpisPage {
  readonly page: Page;
  readonly tab: Locator;
  readonly view: Locator;
  readonly loading: Locator;
  readonly overview: Locator;
  readonly from: Locator;
  readonly to: Locator;
  readonly drill: Locator;
  readonly drillHeading: Locator;
  readonly drillPeriod: Locator;
  readonly drillKpi: Locator;
  readonly numerator: Locator;
  readonly denominator: Locator;
  readonly drillRows: Locator;
  readonly drillRange: Locator;
  readonly nextPage: Locator;
  readonly previousPage: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-kpis');
    this.view = page.getByTestId('kpis-view');
    this.loading = page.getByTestId('kpis-loading');
    this.overview = page.getByTestId('kpis-overview');
    this.from = page.getByTestId('kpis-from');
    this.to = page.getByTestId('kpis-to');
    this.drill = page.getByTestId('kpis-drill');
    this.drillHeading = this.drill.getByTestId('kpis-drill-heading');
    this.drillPeriod = this.drill.getByTestId('kpis-drill-period');
    this.drillKpi = this.drill.getByTestId('kpis-drill-kpi');
    this.numerator = this.drill.getByTestId('kpis-drill-numerator');
    this.denominator = this.drill.getByTestId('kpis-drill-denominator');
    this.drillRows = this.drill.getByTestId('kpis-drill-row');
    this.drillRange = this.drill.getByTestId('kpis-drill-range');
    this.nextPage = this.drill.getByTestId('kpis-drill-next');
    this.previousPage = this.drill.getByTestId('kpis-drill-prev');
  }

  /** Opens the view and waits until its first figures have loaded. */
  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.view).toBeVisible();
    await expect(this.loading).toHaveCount(0);
  }

  subTab(tab: KpisTab): Locator {
    return this.page.getByTestId(`kpis-tab-${tab}`);
  }

  async showTab(tab: KpisTab): Promise<void> {
    await this.subTab(tab).click();
  }

  /** The period shown, once the view has filled it in (it starts empty until the ledger's range is known). */
  async period(): Promise<{ from: string; to: string }> {
    await expect(this.from).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
    await expect(this.to).toHaveValue(/^\d{4}-\d{2}-\d{2}$/);
    return { from: await this.from.inputValue(), to: await this.to.inputValue() };
  }

  figure(key: string): Locator {
    return this.page.getByTestId(`kpi-figure-${key}`);
  }

  value(key: string): Locator {
    return this.page.getByTestId(`kpi-value-${key}`);
  }

  async openFigure(key: string): Promise<void> {
    await this.figure(key).click();
    await this.drill.waitFor();
  }

  /** A number the drill-down shows ("1,255" → 1255). */
  async count(locator: Locator): Promise<number> {
    return Number((await locator.textContent())!.replace(/[^\d]/g, ''));
  }

  showOnly(option: DrillShow): Locator {
    return this.drill.getByTestId(`kpis-drill-show-${option}`);
  }

  /** Rows currently listed, as ticket id, whether it counts and why. */
  async rows(): Promise<{ ticket: string; counts: boolean; why: string }[]> {
    return this.drillRows.evaluateAll((rows) =>
      rows.map((row) => ({
        ticket: row.getAttribute('data-ticket') ?? '',
        counts: row.getAttribute('data-counts') === 'yes',
        why: row.querySelector('[data-testid="kpis-drill-why"]')?.textContent ?? '',
      })),
    );
  }

  rowOf(ticket: string): Locator {
    return this.drill.locator(`[data-testid="kpis-drill-row"][data-ticket="${ticket}"]`);
  }

  /** Opens a listed ticket's timeline (an evidence link: the deciding events highlighted, the first focused). */
  async openTicket(ticket: string): Promise<void> {
    await this.rowOf(ticket).getByTestId('kpis-drill-ticket').click();
  }

  /** Exports the whole drill-down as CSV and returns the download. */
  async exportCsv(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.drill.getByTestId('kpis-drill-export').click();
    return download;
  }

  chart(chart: TrendChart): Locator {
    return this.page.getByTestId(chart);
  }

  /** The weeks (Mondays, YYYY-MM-DD) a trend chart plots, in order. */
  async weeks(chart: TrendChart): Promise<string[]> {
    const values = await this.page.getByTestId(`${chart}-week`).locator('option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    return values.filter(Boolean);
  }

  /** Clicks a line's point at a week (Monday, YYYY-MM-DD): `kpi` names the line (fcr, deflection, reopenRate, csat, aht). */
  async clickPoint(chart: TrendChart, week: string, kpi: string): Promise<void> {
    await this.chart(chart).locator(`circle.kpis-chart-dot[data-kpi="${kpi}"][data-week="${week}"]`).click();
  }

  /** Opens a week from the picker beside the chart's title (the keyboard's way to a week). */
  async pickWeek(chart: TrendChart, week: string): Promise<void> {
    await this.page.getByTestId(`${chart}-week`).selectOption(week);
  }

  /** A pilot value on the migration board (FCR, CSAT, reopen rate, deflection of a category): opens its tickets. */
  boardPilotValue(category: string, kpi: 'fcr' | 'csat' | 'reopenRate' | 'deflection'): Locator {
    return this.page.getByTestId(`kpis-board-pilot-${category}-${kpi}`);
  }
}
