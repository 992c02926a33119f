// Any KPI view as CSV or as a PDF report, returned through the contract (the console's "CSV" and "PDF report"
// buttons; `attest kpis export` on the command line).
//
// CSV: the first row names each column in words, the second gives its unit ("%", "min", "count", "score 1–5", a
// currency code); data rows follow. Figures are plain decimals a spreadsheet can add up: percentages as percent
// (66.67, not 0.6667), amounts with the currency's decimals. A blank line separates two tables (ROI).
import type { BoardThresholds, KpiExport, KpiValues, RoiInputs } from '../../../shared/contracts/kpis.ts';
import { computeRoi, ROI_FORMULA } from '../../../shared/contracts/kpis.ts';
import { minorDigits } from '../../../shared/format.ts';
import { formatMinor } from '../../../shared/money.ts';
import type { Db } from '../db/connection.ts';
import { csvRow } from '../files/csv-cell.ts';
import { findBaseline } from './baselines.ts';
import { migrationBoard } from './board.ts';
import { boardPdf, readBoard } from './kpi-board-pdf.ts';
import { kpiCurrency } from './kpi-document-frame.ts';
import { overviewPdf, readOverview } from './kpi-overview-pdf.ts';
import { roiPdf } from './kpi-roi-pdf.ts';
import { currentBasis } from '../reports/ledger-basis.ts';
import { BOARD_KPI_LABELS, boardUnit, ROI_INPUT_LABELS, ROI_RESULT_LABELS, type RoiInputFigure } from './kpi-labels.ts';
import { kpiReport } from './kpi-report.ts';
import { organizationName } from '../organization/organization-settings.ts';

type Cell = string | number | null;
interface Table {
  header: string[];
  /** Units of the columns (the CSV's second row); absent for tables whose rows carry a Unit column. */
  units?: string[];
  rows: Cell[][];
}

/** A number as a plain decimal with `digits` decimals ("" when there is none): what a spreadsheet reads as a number. */
export function plainDecimal(value: number | null | undefined, digits: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

const percent = (ratio: number | null | undefined): string => plainDecimal(ratio === null || ratio === undefined ? null : ratio * 100, 2);

export interface ExportQuery {
  view: 'overview' | 'board' | 'roi';
  format: 'csv' | 'pdf';
  from: string;
  to: string;
  category: readonly string[];
  baselineSeq?: number;
  roi?: RoiInputs;
  thresholds: BoardThresholds;
  /** The organization issuing the report (the "organization name" setting); absent: the header says it is not set. */
  issuer?: string | null;
}

const OVERVIEW_COLUMNS: [string, string][] = [
  ['Category', ''],
  ['Series', ''],
  ['Tickets', 'count'],
  ['First-contact resolution', '%'],
  ['Deflection rate', '%'],
  ['Average handle time', 'min'],
  ['AHT measured as', ''],
  ['CSAT mean', 'score 1–5'],
  ['CSAT 4–5 share', '%'],
  ['CSAT responses', 'count'],
  ['SLA compliance', '%'],
  ['Reopen rate', '%'],
  ['Escalation rate', '%'],
  ['Verified AI resolutions', 'count'],
  ['AI cost per resolution', 'CURRENCY'],
];

function overviewCells(v: KpiValues, digits: number, currency: string | null): Cell[] {
  return [
    v.tickets,
    percent(v.fcr),
    percent(v.deflection),
    plainDecimal(v.ahtMinutes, 2),
    v.ahtSource === 'agent_work' ? 'agent work time' : v.ahtSource === 'worklog' ? 'worklog' : '',
    plainDecimal(v.csatMean, 2),
    percent(v.csatSatisfiedShare),
    v.csatResponses,
    percent(v.slaCompliance),
    percent(v.reopenRate),
    percent(v.escalationRate),
    v.counts.verified,
    // The exact amount, rounded once as the console shows it; none without a currency to name it.
    currency && v.costPerResolution.aiMinor != null ? formatMinor(v.costPerResolution.aiMinor, digits) : '',
  ];
}

function overviewTable(db: Db, q: ExportQuery, currency: string | null): Table {
  const report = kpiReport(db, { from: q.from, to: q.to, category: q.category, by: 'category' });
  const baseline = findBaseline(db, q.baselineSeq);
  const digits = currency ? minorDigits(currency) : 2;
  const baselineSeries = baseline ? `Baseline "${baseline.name}" (${baseline.from} to ${baseline.to})` : '';
  const period = `Period ${q.from} to ${q.to}`;
  const rows: Cell[][] = [['All categories', period, ...overviewCells(report, digits, currency)]];
  if (baseline) rows.push(['All categories', baselineSeries, ...overviewCells(baseline.overall, digits, currency)]);
  for (const [category, values] of Object.entries(report.groups)) {
    rows.push([category, period, ...overviewCells(values, digits, currency)]);
    const base = baseline?.byCategory[category];
    if (base) rows.push([category, baselineSeries, ...overviewCells(base, digits, currency)]);
  }
  return { header: OVERVIEW_COLUMNS.map(([title]) => title), units: OVERVIEW_COLUMNS.map(([, unit]) => (unit === 'CURRENCY' ? (currency ?? '') : unit)), rows };
}

function boardTable(db: Db, q: ExportQuery): Table {
  const board = migrationBoard(db, { from: q.from, to: q.to, baselineSeq: q.baselineSeq, thresholds: q.thresholds });
  const rows: Cell[][] = [];
  for (const row of board.rows) {
    const lines = [
      ...row.checks.map((check) => ({ kpi: check.kpi, rule: check.rule, verdict: check.verdict as string, estimates: check, source: null })),
      ...row.comparisons.map((comparison) => ({ kpi: comparison.kpi, rule: 'compared, not a check', verdict: '', estimates: comparison, source: comparison.ahtSource ?? null })),
    ];
    for (const line of lines) {
      const unit = boardUnit(line.kpi, line.source);
      const scale = unit === '%' ? 100 : 1;
      const value = (v: number | null | undefined): string => plainDecimal(v === null || v === undefined ? null : v * scale, 2);
      const { baseline, pilot, difference } = line.estimates;
      rows.push([
        row.category,
        row.tier,
        row.mode,
        row.reason ?? '',
        BOARD_KPI_LABELS[line.kpi],
        line.rule,
        unit === '%' ? 'percent (difference in points)' : unit,
        value(baseline.value),
        value(pilot.value),
        value(difference.value),
        value(difference.ci?.low),
        value(difference.ci?.high),
        line.verdict.replace('_', ' '),
        row.verdict.replace('_', ' '),
      ]);
    }
  }
  const perRow = 'see Unit';
  return {
    header: ['Category', 'Complexity tier', 'AI mode', 'Mode reason', 'KPI', 'Rule', 'Unit', 'Baseline', 'Pilot', 'Difference (pilot − baseline)', 'Difference 95% low', 'Difference 95% high', 'Check verdict', 'Category verdict'],
    units: ['', 'tier 1–3', '', '', '', '', '', perRow, perRow, perRow, perRow, perRow, '', ''],
    rows,
  };
}

function roiTables(q: ExportQuery, currency: string | null): Table[] {
  if (!q.roi) throw new Error('roi: the ROI export needs the calculator inputs');
  const inputs = q.roi;
  const result = computeRoi(inputs);
  const digits = currency ? minorDigits(currency) : 2;
  const unitOf = (unit: string): string => (unit === 'CURRENCY' ? (currency ?? '') : unit);
  const amount = (unit: string, v: number | null): string =>
    unit === 'CURRENCY' ? (currency ? plainDecimal(v, digits) : '') : unit === '%' ? percent(v) : plainDecimal(v, unit === 'count' && v !== null && Number.isInteger(v) ? 0 : 2);
  return [
    {
      header: ['ROI input', 'Value', 'Unit'],
      rows: (Object.keys(ROI_INPUT_LABELS) as RoiInputFigure[]).map((key) => {
        const [label, unit] = ROI_INPUT_LABELS[key];
        const v = inputs[key];
        return [label, v === null ? '' : amount(unit, v), unitOf(unit)];
      }),
    },
    {
      header: ['ROI result', 'Value', 'Unit'],
      rows: [
        ...(Object.keys(ROI_RESULT_LABELS) as (keyof typeof ROI_RESULT_LABELS)[]).map((key) => {
          const [label, unit] = ROI_RESULT_LABELS[key];
          return [label, amount(unit, result[key]), unitOf(unit)];
        }),
        ['Formula', ROI_FORMULA, ''],
      ],
    },
  ];
}

function toCsv(list: Table[]): string {
  return list.map((t) => [t.header, ...(t.units ? [t.units] : []), ...t.rows].map(csvRow).join('\r\n')).join('\r\n\r\n') + '\r\n';
}

/**
 * Reads what the export shows in one go (synchronously: one snapshot of the ledger) and returns the renderer of the
 * file, which touches the database no more — a caller may close it before rendering.
 */
export function prepareKpiExport(db: Db, q: ExportQuery): () => Promise<KpiExport> {
  const base = `attest-${q.view}-${q.from}-${q.to}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  // The issuer is the organization name (the setting) unless the caller names one.
  if (q.issuer === undefined) q = { ...q, issuer: organizationName(db) };
  // A cost model or ROI calculator in another currency than the contract's is refused here, before any work.
  const document = kpiCurrency(db, q);
  const currency = document.currency;
  if (q.format === 'csv') {
    const list = q.view === 'overview' ? [overviewTable(db, q, currency)] : q.view === 'board' ? [boardTable(db, q)] : roiTables(q, currency);
    const file: KpiExport = { fileName: `${base}.csv`, mimeType: 'text/csv', encoding: 'utf8', data: toCsv(list) };
    return () => Promise.resolve(file);
  }
  const pdf = q.view === 'overview' ? renderWith(readOverview(db, q), (data) => overviewPdf(data, q, document)) : q.view === 'board' ? renderWith(readBoard(db, q), (data) => boardPdf(data, q)) : renderWith(currentBasis(db, 'latestSigned'), (basis) => roiPdf(basis, q, document));
  return async () => ({ fileName: `${base}.pdf`, mimeType: 'application/pdf', encoding: 'base64', data: (await pdf()).toString('base64') });
}

const renderWith = <T>(data: T, render: (data: T) => Promise<Buffer>): (() => Promise<Buffer>) => () => render(data);

export function exportKpiView(db: Db, q: ExportQuery): Promise<KpiExport> {
  return prepareKpiExport(db, q)();
}
