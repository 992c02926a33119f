// The KPI PDF reports — overview, migration board, ROI — as documents: the shared frame (issuer, period, computed
// as of, ledger head and checkpoint, page n of m, signatures), the figures as the console's overview shows them with
// 95% intervals and the change against the baseline, weekly charts drawn as vector graphics, the figures by
// category, and the KPI definitions in the words the console and README use. Dated by the ledger head: the same
// ledger gives the same bytes.
import { DateTime } from 'luxon';
import { computeRoi, KPI_DEFINITIONS, ROI_FORMULA, roiSensitivity, type BaselineRow, type BoardThresholds, type Estimate, type KpiReport, type KpiSeriesPoint, type KpiValues, type MigrationBoard, type RoiInputs } from '../../../shared/contracts/kpis.ts';
import { formatCount, formatDecimal, formatInstant, formatPercent, formatPointsDelta } from '../../../shared/format.ts';
import { ahtLabel, kpiMoney, overviewFigures } from '../../../shared/kpi-figures.ts';
import type { Db } from '../db/connection.ts';
import { OutcomeRepository } from '../outcomes/outcome-repository.ts';
import { currentBasis } from '../reports/ledger-basis.ts';
import { drawChart, niceDomain } from '../reports/pdf-charts.ts';
import {
  contentWidth,
  ensureSpace,
  frameHeader,
  ledgerFacts,
  MARGIN,
  MUTED,
  newReport,
  numberPages,
  sectionTitle,
  signatureBlock,
  table,
  type LedgerBasis,
  type PrintedSignature,
} from '../reports/report-document.ts';
import { findBaseline } from './baselines.ts';
import { migrationBoard } from './board.ts';
import type { ExportQuery } from './kpi-export.ts';
import { BOARD_KPI_LABELS, boardUnit, ROI_INPUT_LABELS, ROI_RESULT_LABELS } from './kpi-labels.ts';
import { kpiReport, kpiSeries } from './kpi-report.ts';
import { mean, proportion, proportionDifference, welch, type MeanSums } from './stats.ts';

/**
 * The currency KPI amounts are shown in: the outcome contract's (verified spend is billed in it), else USD, the
 * currency of the cost model's defaults ($50,000 base salary). The cost model has no currency of its own yet.
 */
export function kpiCurrency(db: Db): string {
  return new OutcomeRepository(db).contractVersions().at(-1)?.contract.currency ?? 'USD';
}

const issuerOf = (q: ExportQuery): string => q.issuer?.trim() || 'the operator of this Attest ledger (organization name not set)';

/** The frame facts every KPI document shares: period, as of, ledger head and checkpoint. */
function commonFacts(basis: LedgerBasis, q: ExportQuery): [string, string][] {
  return [
    ['Period', `tickets created ${q.from} to ${q.to} (whole days in UTC; "to" included)`],
    ['Computed as of', basis.head.at ? formatInstant(basis.head.at) : 'an empty ledger'],
    ...ledgerFacts(basis),
  ];
}

function baselineFact(baseline: BaselineRow | null): [string, string] {
  if (!baseline) return ['Baseline', 'none frozen: no change against a baseline can be shown'];
  return [
    'Baseline',
    `"${baseline.name}", tickets created ${baseline.from} to ${baseline.to}, frozen ${formatInstant(baseline.frozenAt)} by ${baseline.frozenBy} (event #${baseline.seq})${baseline.definitionsMatch ? '' : ' — the KPI definitions changed since it was frozen'}`,
  ];
}

/** Dated by the ledger head (never the clock); an empty ledger by the period's end. */
function createdAt(basis: LedgerBasis, q: ExportQuery): Date {
  if (basis.head.at) return new Date(basis.head.at);
  return DateTime.fromISO(q.to, { zone: 'utc' }).endOf('day').toJSDate();
}

function baselineSignatures(baseline: BaselineRow | null): PrintedSignature[] {
  return (baseline?.signatures ?? []).map((s) => ({
    name: s.display,
    at: s.at,
    meaning: s.meaning,
    reason: s.reason,
    signs: `the freeze of baseline "${baseline!.name}" (#${s.signedSeq}, ${s.signedType || 'missing event'}) hash ${s.signedHash}`,
    valid: s.valid,
  }));
}

// ------------------------------------------------------------------------------------------- intervals

interface FigureEstimate {
  /** The period's value with its 95% interval. */
  period: Estimate;
  /** Period − baseline with its 95% interval; null without a baseline. */
  change: Estimate | null;
  kind: 'ratio' | 'mean';
  /** Digits and unit of a mean ("min", "" for CSAT). */
  digits?: number;
  unit?: string;
}

const ratioOf = (k: number, n: number, base: { k: number; n: number } | null): FigureEstimate => ({
  period: proportion(k, n),
  change: base ? proportionDifference(base, { k, n }) : null,
  kind: 'ratio',
});

function meanOf(sums: MeanSums, base: MeanSums | null, digits: number, unit: string): FigureEstimate {
  return { period: mean(sums), change: base ? welch(base, sums) : null, kind: 'mean', digits, unit };
}

/** The 95% intervals behind the overview's figures (Wilson for rates, Student t for means; Newcombe and Welch for changes). */
function estimates(v: KpiValues, b: KpiValues | null): Record<string, FigureEstimate> {
  const c = v.counts;
  const bc = b?.counts ?? null;
  const out: Record<string, FigureEstimate> = {
    deflection: ratioOf(c.deflected, c.tickets, bc && { k: bc.deflected, n: bc.tickets }),
    fcr: ratioOf(c.fcr, c.resolved, bc && { k: bc.fcr, n: bc.resolved }),
    reopen: ratioOf(c.reopened, c.everSolved, bc && { k: bc.reopened, n: bc.everSolved }),
    escalation: ratioOf(c.escalated, c.tickets, bc && { k: bc.escalated, n: bc.tickets }),
    csat: meanOf({ n: c.csatN, sum: c.csatSum, sq: c.csatSq }, bc && { n: bc.csatN, sum: bc.csatSum, sq: bc.csatSq }, 2, ''),
  };
  if (c.slaAchieved !== null && c.slaBreached !== null) {
    const base = bc && bc.slaAchieved !== null && bc.slaBreached !== null ? { k: bc.slaAchieved, n: bc.slaAchieved + bc.slaBreached } : null;
    out.sla = ratioOf(c.slaAchieved, c.slaAchieved + c.slaBreached, base);
  }
  const time = (counts: KpiValues['counts'], source: KpiValues['ahtSource']): MeanSums | null =>
    source === 'worklog' ? { n: counts.worklogN, sum: counts.worklogSum, sq: counts.worklogSq } : source === 'agent_work' ? { n: counts.agentworkN, sum: counts.agentworkSum, sq: counts.agentworkSq } : null;
  const aht = time(c, v.ahtSource);
  if (aht) out.aht = meanOf(aht, bc && b?.ahtSource === v.ahtSource ? time(bc, v.ahtSource) : null, 1, ' min');
  return out;
}

function intervalText(e: FigureEstimate, which: 'period' | 'change'): string {
  const est = which === 'period' ? e.period : e.change;
  if (!est?.ci) return '—';
  const { low, high } = est.ci;
  if (e.kind === 'ratio') return which === 'period' ? `${formatPercent(low)} to ${formatPercent(high)}` : `${formatPointsDelta(low)} to ${formatPointsDelta(high)}`;
  return `${formatDecimal(low, e.digits)} to ${formatDecimal(high, e.digits)}${e.unit}`;
}

// ------------------------------------------------------------------------------------------- overview

function figuresSection(doc: PDFKit.PDFDocument, v: KpiValues, base: KpiValues | null, notes: Record<string, string>, currency: string): void {
  sectionTitle(doc, 'Figures', 80);
  const figures = overviewFigures(v, base, notes, currency);
  const intervals = estimates(v, base);
  table(
    doc,
    [
      { title: 'KPI', width: 118 },
      { title: 'Period', width: 92, align: 'right' },
      { title: '95% interval', width: 76, align: 'right' },
      { title: 'n', width: 34, align: 'right' },
      { title: 'Baseline', width: 50, align: 'right' },
      { title: 'Change', width: 48, align: 'right' },
      { title: '95% interval of change', width: 81, align: 'right' },
    ],
    figures.map((f) => {
      const e = intervals[f.key];
      return [f.label, f.value, e ? intervalText(e, 'period') : '', e ? formatCount(e.period.n) : '', f.baseline ?? '—', f.change ?? '—', e?.change ? intervalText(e, 'change') : '—'];
    }),
  );
  const remarks = [
    ...figures.filter((f) => f.note).map((f) => `${f.label}: ${f.note}`),
    ...Object.entries(notes).filter(([kpi]) => !figures.some((f) => f.note === notes[kpi])).map(([kpi, note]) => `${kpi}: ${note}`),
  ];
  doc.moveDown(0.3).font('Helvetica').fontSize(7.5).fillColor(MUTED);
  doc.text(
    `n: the denominator (tickets, resolved tickets, ratings or handled tickets). Rates: Wilson score intervals; means: Student t. Changes are period − baseline: percentage points (pp) for rates, Newcombe's hybrid score interval; Welch's t for means. Amounts in ${currency}.`,
    MARGIN,
    doc.y,
    { width: contentWidth(doc) },
  );
  for (const remark of remarks) doc.text(`Note — ${remark}`, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.fillColor('#000000');
}

const COLORS = { fcr: '#1f5fbf', deflection: '#6b3fb8', reopen: '#b3261e', csat: '#1d7a46', aht: '#9a5b00', tickets: '#4a6b8a' };

function chartsSection(doc: PDFKit.PDFDocument, points: readonly KpiSeriesPoint[], base: KpiValues | null): void {
  sectionTitle(doc, 'Weekly trends (weeks start on Monday, UTC)', 200);
  if (points.length === 0) {
    doc.font('Helvetica').fontSize(8).text('No weeks in this period.', MARGIN, doc.y);
    return;
  }
  const labels = points.map((p) => p.bucket);
  const pct = (v: number | null): number | null => (v === null ? null : v * 100);
  const width = (contentWidth(doc) - 16) / 2;
  const height = 170;
  const charts: Parameters<typeof drawChart>[2][] = [
    {
      title: 'FCR, deflection and reopen rate (%)',
      labels,
      series: [
        { name: 'FCR', color: COLORS.fcr, values: points.map((p) => pct(p.fcr)) },
        { name: 'Deflection', color: COLORS.deflection, values: points.map((p) => pct(p.deflection)) },
        { name: 'Reopen rate', color: COLORS.reopen, values: points.map((p) => pct(p.reopenRate)) },
      ],
      domain: [0, 100],
      tick: (v) => `${formatDecimal(v, 0)}%`,
      references: base?.fcr != null ? [{ value: base.fcr * 100, label: 'FCR baseline', color: COLORS.fcr }] : [],
    },
    {
      title: 'CSAT mean (score 1–5)',
      labels,
      series: [{ name: 'CSAT', color: COLORS.csat, values: points.map((p) => p.csatMean) }],
      domain: [1, 5],
      ticks: 4,
      tick: (v) => formatDecimal(v, 0),
      references: base?.csatMean != null ? [{ value: base.csatMean, label: 'CSAT baseline', color: COLORS.csat }] : [],
    },
    {
      title: 'Average handle time (min)',
      labels,
      series: [{ name: 'AHT', color: COLORS.aht, values: points.map((p) => p.ahtMinutes) }],
      domain: niceDomain(points.map((p) => p.ahtMinutes), 0),
      tick: (v) => `${formatDecimal(v, Number.isInteger(v) ? 0 : 1)} min`,
    },
    {
      title: 'Tickets created per week (count)',
      labels,
      series: [{ name: 'Tickets', color: COLORS.tickets, values: points.map((p) => p.tickets) }],
      domain: niceDomain(points.map((p) => p.tickets), 0),
      tick: (v) => formatCount(v),
      kind: 'bar',
    },
  ];
  for (let i = 0; i < charts.length; i += 2) {
    ensureSpace(doc, height + 10);
    const top = doc.y;
    drawChart(doc, { x: MARGIN, y: top, width, height }, charts[i]!);
    if (charts[i + 1]) drawChart(doc, { x: MARGIN + width + 16, y: top, width, height }, charts[i + 1]!);
    doc.x = MARGIN;
    doc.y = top + height + 10;
  }
  doc.font('Helvetica').fontSize(7).fillColor(MUTED).text('AHT per week is measured as each week\'s own selection defines it (worklogs where the week has any). Data table: the CSV export of this view.', MARGIN, doc.y, { width: contentWidth(doc) });
  doc.fillColor('#000000');
}

function categorySection(doc: PDFKit.PDFDocument, groups: Record<string, KpiValues>, baseline: BaselineRow | null, currency: string): void {
  const entries = Object.entries(groups);
  sectionTitle(doc, `By category (${formatCount(entries.length)})`);
  if (entries.length === 0) {
    doc.font('Helvetica').fontSize(8).text('No categories in this selection.', MARGIN, doc.y);
    return;
  }
  const minutes = (v: KpiValues): string => (v.ahtMinutes === null ? '—' : `${formatDecimal(v.ahtMinutes)} min${v.ahtSource === 'agent_work' ? '*' : ''}`);
  const row = (name: string, v: KpiValues): string[] => [
    name,
    formatCount(v.tickets),
    formatPercent(v.fcr),
    formatPercent(v.deflection),
    minutes(v),
    v.csatMean === null ? '—' : formatDecimal(v.csatMean, 2),
    formatPercent(v.slaCompliance),
    formatPercent(v.reopenRate),
    formatPercent(v.escalationRate),
    kpiMoney(v.costPerResolution.ai, currency),
  ];
  const rows: string[][] = [];
  const baselineRows = new Set<number>();
  for (const [name, values] of entries) {
    rows.push(row(name, values));
    const base = baseline?.byCategory[name];
    if (base) {
      baselineRows.add(rows.length);
      rows.push(row('  baseline', base));
    }
  }
  table(
    doc,
    [
      { title: 'Category', width: 86 },
      { title: 'Tickets', width: 38, align: 'right' },
      { title: 'FCR', width: 40, align: 'right' },
      { title: 'Deflection', width: 44, align: 'right' },
      { title: 'AHT', width: 50, align: 'right' },
      { title: 'CSAT', width: 32, align: 'right' },
      { title: 'SLA', width: 40, align: 'right' },
      { title: 'Reopen', width: 40, align: 'right' },
      { title: 'Escalation', width: 46, align: 'right' },
      { title: 'AI cost per resolution', width: 63, align: 'right' },
    ],
    rows,
    { size: 7, bold: (index) => baselineRows.size > 0 && !baselineRows.has(index) },
  );
  doc.font('Helvetica').fontSize(7).fillColor(MUTED).text('* agent work time: the category has no worklogs; minutes from a human agent\'s first to last action.', MARGIN, doc.y, { width: contentWidth(doc) });
  doc.fillColor('#000000');
}

function definitionsSection(doc: PDFKit.PDFDocument): void {
  sectionTitle(doc, 'KPI definitions');
  for (const d of KPI_DEFINITIONS) {
    ensureSpace(doc, 24);
    doc.font('Helvetica-Bold').fontSize(8).text(`${d.label}: `, MARGIN, doc.y, { width: contentWidth(doc), continued: true }).font('Helvetica').text(d.definition);
    doc.moveDown(0.25);
  }
}

export interface OverviewData {
  report: KpiReport;
  points: KpiSeriesPoint[];
  baseline: BaselineRow | null;
  basis: LedgerBasis;
}

/** What the overview report prints, read in one snapshot of the ledger. */
export function readOverview(db: Db, q: ExportQuery): OverviewData {
  return db.transaction(() => ({
    report: kpiReport(db, { from: q.from, to: q.to, category: q.category, by: 'category' }),
    points: kpiSeries(db, { from: q.from, to: q.to, category: q.category, bucket: 'week' }),
    baseline: findBaseline(db, q.baselineSeq),
    basis: currentBasis(db, 'latestSigned'),
  }))();
}

export async function overviewPdf(data: OverviewData, q: ExportQuery, currency: string): Promise<Buffer> {
  const { report, points, baseline, basis } = data;
  // The baseline figures of the same selection: all of it, or the one category filtered on.
  const base = baseline ? (q.category.length === 1 ? (baseline.byCategory[q.category[0]!] ?? null) : q.category.length === 0 ? baseline.overall : null) : null;
  const title = `KPI report ${q.from} to ${q.to}`;
  const { doc, bytes } = newReport({ title, subject: 'KPI overview', createdAt: createdAt(basis, q) });
  frameHeader(doc, {
    issuer: issuerOf(q),
    title,
    facts: [
      ...commonFacts(basis, q),
      ['Categories', q.category.length ? q.category.join(', ') : 'all'],
      baselineFact(baseline),
      ['Amounts', `in ${currency}`],
    ],
  });
  figuresSection(doc, report, base, report.notes, currency);
  chartsSection(doc, points, base);
  categorySection(doc, report.groups, baseline, currency);
  definitionsSection(doc);
  signatureBlock(doc, baselineSignatures(baseline), { empty: 'No electronic signatures: this report is a reading of the ledger; the baseline it compares with carries none.', signOff: ['Prepared by', 'Reviewed by'] });
  numberPages(doc, title);
  doc.end();
  return bytes;
}

// ------------------------------------------------------------------------------------------- board

/** The non-inferiority margins in words: "FCR not below the baseline; CSAT at most 0.10 below; …". */
function thresholdsText(t: BoardThresholds): string {
  const points = (ratio: number): string => `${formatDecimal(ratio * 100)} pp`;
  return [
    t.fcrMaxDrop > 0 ? `FCR at most ${points(t.fcrMaxDrop)} below the baseline` : 'FCR not below the baseline',
    t.csatMaxDrop > 0 ? `CSAT at most ${formatDecimal(t.csatMaxDrop, 2)} below` : 'CSAT not below',
    t.reopenMaxRise > 0 ? `reopen rate at most ${points(t.reopenMaxRise)} above` : 'reopen rate not above',
    `at least ${formatCount(t.minSample)} on each side for a verdict`,
  ].join('; ');
}

export interface BoardData {
  board: MigrationBoard;
  basis: LedgerBasis;
}

/** What the board report prints, read in one snapshot of the ledger. */
export function readBoard(db: Db, q: ExportQuery): BoardData {
  return db.transaction(() => ({
    board: migrationBoard(db, { from: q.from, to: q.to, baselineSeq: q.baselineSeq, thresholds: q.thresholds }),
    basis: currentBasis(db, 'latestSigned'),
  }))();
}

export async function boardPdf(data: BoardData, q: ExportQuery): Promise<Buffer> {
  const { board, basis } = data;
  const title = `Migration board ${q.from} to ${q.to}`;
  const { doc, bytes } = newReport({ title, subject: 'Pilot against baseline', createdAt: createdAt(basis, q), landscape: true });
  const t = board.thresholds;
  frameHeader(doc, {
    issuer: issuerOf(q),
    title,
    facts: [
      ...commonFacts(basis, q),
      baselineFact(board.baseline),
      ['Thresholds', thresholdsText(t)],
    ],
  });
  sectionTitle(doc, `Categories (${formatCount(board.rows.length)})`);
  const rows: string[][] = [];
  const categoryRows = new Set<number>();
  for (const row of board.rows) {
    categoryRows.add(rows.length);
    rows.push([`${row.category} (tier ${row.tier})`, `mode ${row.mode}${row.reason ? ` — ${row.reason}` : ''}`, '', '', '', '', '', `verdict: ${row.verdict.replace('_', ' ')}`]);
    const lines = [
      ...row.checks.map((c) => ({ kpi: c.kpi, rule: c.rule, verdict: c.verdict.replace('_', ' '), e: c, source: null })),
      ...row.comparisons.map((c) => ({ kpi: c.kpi, rule: 'compared, not a check', verdict: '', e: c, source: c.ahtSource ?? null })),
    ];
    for (const line of lines) {
      const unit = boardUnit(line.kpi, line.source);
      const value = (v: number | null): string => (v === null ? '—' : unit === '%' ? formatPercent(v) : unit.startsWith('min') ? `${formatDecimal(v)} min` : formatDecimal(v, 2));
      const diff = (v: number | null): string => (v === null ? '—' : unit === '%' ? formatPointsDelta(v) : `${v > 0 ? '+' : ''}${formatDecimal(v, unit.startsWith('min') ? 1 : 2)}${unit.startsWith('min') ? ' min' : ''}`);
      const ci = line.e.difference.ci;
      rows.push([
        `  ${line.kpi === 'aht' ? ahtLabel(line.source) : BOARD_KPI_LABELS[line.kpi]}`,
        line.rule,
        `${value(line.e.baseline.value)} (n ${formatCount(line.e.baseline.n)})`,
        `${value(line.e.pilot.value)} (n ${formatCount(line.e.pilot.n)})`,
        diff(line.e.difference.value),
        ci ? `${diff(ci.low)} to ${diff(ci.high)}` : '—',
        unit,
        line.verdict,
      ]);
    }
  }
  table(
    doc,
    [
      { title: 'Category / KPI', width: 140 },
      { title: 'Rule', width: 156 },
      { title: 'Baseline', width: 78, align: 'right' },
      { title: 'Pilot', width: 78, align: 'right' },
      { title: 'Difference', width: 60, align: 'right' },
      { title: '95% interval', width: 92, align: 'right' },
      { title: 'Unit', width: 62 },
      { title: 'Verdict', width: 80 },
    ],
    rows,
    { size: 7, bold: (index) => categoryRows.has(index) },
  );
  doc.moveDown(0.3).font('Helvetica').fontSize(7.5).fillColor(MUTED).text(
    'Non-inferiority on pilot − baseline with its 95% interval (Newcombe for rates, Welch for means): a check passes when the whole interval is within the margin, fails when it is wholly beyond it, and is inconclusive otherwise. AHT is measured as the overview measures it for the pilot (worklogs where there are any, else agent work time), the baseline in the same time.',
    MARGIN,
    doc.y,
    { width: contentWidth(doc) },
  );
  doc.fillColor('#000000');
  definitionsSection(doc);
  signatureBlock(doc, baselineSignatures(board.baseline), { empty: 'No electronic signatures: the baseline carries none.', signOff: ['Prepared by', 'Reviewed by'] });
  numberPages(doc, title);
  doc.end();
  return bytes;
}

// ------------------------------------------------------------------------------------------- ROI

export async function roiPdf(basis: LedgerBasis, q: ExportQuery, currency: string): Promise<Buffer> {
  if (!q.roi) throw new Error('roi: the ROI export needs the calculator inputs');
  const inputs: RoiInputs = q.roi;
  const title = `ROI ${q.from} to ${q.to}`;
  const { doc, bytes } = newReport({ title, subject: 'Return on investment', createdAt: createdAt(basis, q) });
  frameHeader(doc, { issuer: issuerOf(q), title, facts: [...commonFacts(basis, q), ['Amounts', `in ${currency}`]] });
  const shown = (unit: string, v: number | null): string =>
    v === null ? '—' : unit === 'CURRENCY' ? kpiMoney(v, currency) : unit === '%' ? formatPercent(v) : unit === '×' ? `${formatDecimal(v, 2)}×` : unit === 'count' ? formatCount(v) : `${formatDecimal(v, 2)}${unit === 'months' ? ' months' : ''}`;
  const result = computeRoi(inputs);
  sectionTitle(doc, 'Result');
  table(doc, [{ title: 'Result', width: 250 }, { title: 'Value', width: 120, align: 'right' }], (Object.keys(ROI_RESULT_LABELS) as (keyof typeof ROI_RESULT_LABELS)[]).map((key) => [ROI_RESULT_LABELS[key][0], shown(ROI_RESULT_LABELS[key][1], result[key])]), { size: 8.5, bold: (i) => i === 0 });
  sectionTitle(doc, 'Inputs');
  table(doc, [{ title: 'Input', width: 250 }, { title: 'Value', width: 120, align: 'right' }], (Object.keys(ROI_INPUT_LABELS) as (keyof RoiInputs)[]).map((key) => [ROI_INPUT_LABELS[key][0], shown(ROI_INPUT_LABELS[key][1], inputs[key])]), { size: 8.5 });
  sectionTitle(doc, 'Sensitivity: ROI with each input 20% lower and higher');
  table(
    doc,
    [{ title: 'Input', width: 250 }, { title: '−20%', width: 80, align: 'right' }, { title: '+20%', width: 80, align: 'right' }],
    roiSensitivity(inputs).map((s) => [ROI_INPUT_LABELS[s.input][0], shown('×', s.low), shown('×', s.high)]),
    { size: 8.5 },
  );
  sectionTitle(doc, 'Formula');
  doc.font('Helvetica').fontSize(8).text(ROI_FORMULA, MARGIN, doc.y, { width: contentWidth(doc) });
  signatureBlock(doc, [], { empty: 'No electronic signatures: the inputs are the calculator\'s as entered.', signOff: ['Prepared by', 'Reviewed by'] });
  numberPages(doc, title);
  doc.end();
  return bytes;
}
