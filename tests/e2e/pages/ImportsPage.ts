// The Imports view: format and file, the CSV mapping with its value maps and value check, the reading and
// finishing progress, the data-quality report with anomalies grouped by kind, and the past imports.
import { readFile } from 'node:fs/promises';
import { expect, type Download, type Locator, type Page } from '@playwright/test';

export type ValueField = 'status' | 'priority' | 'csat' | 'channel' | 'category';

export class ImportsPage {
  readonly page: Page;
  readonly tab: Locator;
  readonly view: Locator;
  readonly format: Locator;
  readonly fileInput: Locator;
  readonly startButton: Locator;
  readonly mapping: Locator;
  readonly idPrefix: Locator;
  readonly checkValuesButton: Locator;
  readonly survey: Locator;
  readonly progress: Locator;
  readonly reading: Locator;
  readonly finishing: Locator;
  readonly report: Locator;
  readonly reportImported: Locator;
  readonly reportSha: Locator;
  readonly anomalyTotal: Locator;
  readonly anomalyGroups: Locator;
  readonly exportCsvButton: Locator;
  readonly history: Locator;
  readonly historyRows: Locator;
  readonly historyEmpty: Locator;
  readonly error: Locator;

  constructor(page: Page) {
    this.page = page;
    this.tab = page.getByTestId('view-tab-imports');
    this.view = page.getByTestId('imports-view');
    this.format = page.getByTestId('import-format');
    this.fileInput = page.getByTestId('import-file');
    this.startButton = page.getByTestId('import-start');
    this.mapping = page.getByTestId('import-mapping');
    this.idPrefix = this.mapping.getByTestId('map-id-prefix');
    this.checkValuesButton = this.mapping.getByTestId('map-check-values');
    this.survey = this.mapping.getByTestId('value-survey');
    this.progress = page.getByTestId('import-progress');
    this.reading = this.progress.getByTestId('import-reading');
    this.finishing = this.progress.getByTestId('import-finishing');
    this.report = page.getByTestId('import-report');
    this.reportImported = this.report.getByTestId('report-imported');
    this.reportSha = this.report.getByTestId('report-sha');
    this.anomalyTotal = this.report.getByTestId('report-anomaly-total');
    this.anomalyGroups = this.report.getByTestId('anomaly-group');
    this.exportCsvButton = this.report.getByTestId('report-export-csv');
    this.history = page.getByTestId('import-history');
    this.historyRows = this.history.getByTestId('import-history-row');
    this.historyEmpty = this.history.getByTestId('import-history-empty');
    this.error = page.getByTestId('import-error');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.view).toBeVisible();
  }

  async chooseCsv(name: string, text: string): Promise<void> {
    await this.format.selectOption('csv');
    await this.fileInput.setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
    await expect(this.mapping.getByTestId('import-preview')).toBeVisible();
  }

  column(field: string): Locator {
    return this.mapping.getByTestId(`map-${field}`);
  }

  /** The typed value map of a field ("Happy=5, Unhappy=1"). */
  valueMap(field: ValueField): Locator {
    return this.mapping.getByTestId(`map-${field}-values`);
  }

  async checkValues(): Promise<void> {
    await this.checkValuesButton.click();
    await expect(this.survey).toBeVisible();
  }

  surveyField(field: ValueField): Locator {
    return this.survey.locator(`[data-testid="value-field"][data-field="${field}"]`);
  }

  /** The survey's line for one value of a field (its count, state and target control). */
  surveyValue(field: ValueField, value: string): Locator {
    return this.surveyField(field).locator(`[data-testid="value-row"][data-value="${value}"]`);
  }

  /** The number of rows the check counted for one value. */
  surveyCount(field: ValueField, value: string): Locator {
    return this.surveyValue(field, value).getByTestId('value-count');
  }

  async mapValue(field: ValueField, value: string, target: string): Promise<void> {
    await this.surveyValue(field, value).getByTestId('value-target').selectOption(target);
  }

  unmappedNote(field: ValueField): Locator {
    return this.surveyField(field).getByTestId('value-field-unmapped');
  }

  /** Save mapping: the downloaded MAP.json, parsed. */
  async saveMapping(): Promise<unknown> {
    const download = this.page.waitForEvent('download');
    await this.mapping.getByTestId('map-save').click();
    const path = await (await download).path();
    return JSON.parse(await readFile(path!, 'utf8')) as unknown;
  }

  async start(): Promise<void> {
    await this.startButton.click();
    await expect(this.report).toBeVisible();
  }

  anomalyGroup(kind: string): Locator {
    return this.report.locator(`[data-testid="anomaly-group"][data-kind="${kind}"]`);
  }

  groupCount(kind: string): Locator {
    return this.anomalyGroup(kind).getByTestId('anomaly-group-count');
  }

  groupRows(kind: string): Locator {
    return this.anomalyGroup(kind).getByTestId('report-anomaly');
  }

  async toggleGroup(kind: string): Promise<void> {
    await this.anomalyGroup(kind).getByTestId('anomaly-group-toggle').click();
  }

  groupPage(kind: string): Locator {
    return this.anomalyGroup(kind).getByTestId('anomaly-page');
  }

  async nextGroupPage(kind: string): Promise<void> {
    await this.anomalyGroup(kind).getByTestId('anomaly-next').click();
  }

  async exportAnomalies(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.exportCsvButton.click();
    return download;
  }

  historyRow(index: number): { file: Locator; sha: Locator; who: Locator; imported: Locator; events: Locator; anomalies: Locator } {
    const row = this.historyRows.nth(index);
    return {
      file: row.getByTestId('import-history-file'),
      sha: row.getByTestId('import-history-sha'),
      who: row.getByTestId('import-history-who'),
      imported: row.getByTestId('import-history-imported'),
      events: row.getByTestId('import-history-events'),
      anomalies: row.getByTestId('import-history-anomalies'),
    };
  }
}
