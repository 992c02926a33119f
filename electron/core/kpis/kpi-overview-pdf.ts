// The KPI overview as a PDF report: the frame, the overview's figures (shared/kpi-figures.ts, as the console shows
// them) with 95% intervals and the change against the baseline, weekly charts drawn as vector graphics, the figures
// by category, the KPI definitions and the signatures. Dated by the ledger head: the same ledger gives the same bytes.
import type { BaselineRow, Estimate, KpiReport, KpiSeriesPoint, KpiValues } from '../../../shared/contracts/kpis.ts';
import { formatCount, formatDecimal, formatPercent, formatPointsDelta } from '../../../shared/format.ts';
import { kpiMoney, overviewFigures } from '../../../shared/kpi-figures.ts';
import type { Db } from '../db/connection.ts';
import { currentBasis } from '../reports/ledger-basis.ts';
import { drawChart, niceDomain } from '../reports/pdf-charts.ts';
import { contentWidth, ensureSpace, frameHeader, MARGIN, MUTED, newReport, numberPages, sectionTitle, signatureBlock, table, type LedgerBasis } from '../reports/report-document.ts';
import { findBaseline } from './baselines.ts';
import { amountsIn, type DocumentCurrency, baselineFact, baselineSignatures, commonFacts, createdAt, definitionsSection, issuerOf } from './kpi-document-frame.ts';
import type { ExportQuery } from './kpi-export.ts';
import { kpiReport, kpiSeries } from './kpi-report.ts';
import { mean, proportion, proportionDifference, welch, type MeanSums } from './stats.ts';

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
  /** The scale a mean lives on (CSAT 1–5, minutes ≥ 0): a period interval is cut at it, as the README says. */
  scale?: [number, number];
}

const ratioOf = (k: number, n: number, base: { k: number; n: number } | null): FigureEstimate => ({
  period: proportion(k, n),
  change: base ? proportionDifference(base, { k, n }) : null,
  kind: 'ratio',
});

function meanOf(sums: MeanSums, base: MeanSums | null, digits: number, unit: string, scale: [number, number]): FigureEstimate {
  return { period: mean(sums), change: base ? welch(base, sums) : null, kind: 'mean', digits, unit, scale };
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
    csat: meanOf({ n: c.csatN, sum: c.csatSum, sq: c.csatSq }, bc && { n: bc.csatN, sum: bc.csatSum, sq: bc.csatSq }, 2, '', [1, 5]),
  };
  if (c.slaAchieved !== null && c.slaBreached !== null) {
    const base = bc && bc.slaAchieved !== null && bc.slaBreached !== null ? { k: bc.slaAchieved, n: bc.slaAchieved + bc.slaBreached } : null;
    out.sla = ratioOf(c.slaAchieved, c.slaAchieved + c.slaBreached, base);
  }
  const time = (counts: KpiValues['counts'], source: KpiValues['ahtSource']): MeanSums | null =>
    source === 'worklog' ? { n: counts.worklogN, sum: counts.worklogSum, sq: counts.worklogSq } : source === 'agent_work' ? { n: counts.agentworkN, sum: counts.agentworkSum, sq: counts.agentworkSq } : null;
  const aht = time(c, v.ahtSource);
  if (aht) out.aht = meanOf(aht, bc && b?.ahtSource === v.ahtSource ? time(bc, v.ahtSource) : null, 1, ' min', [0, Number.POSITIVE_INFINITY]);
  return out;
}

function intervalText(e: FigureEstimate, which: 'period' | 'change'): string {
  const est = which === 'period' ? e.period : e.change;
  if (!est?.ci) return '—';
  let { low, high } = est.ci;
  // A Student t interval of a few ratings can reach past the scale (4.67 ± 1.43 → 6.10 on a 1–5 scale): cut there.
  if (which === 'period' && e.scale) [low, high] = [Math.max(low, e.scale[0]), Math.min(high, e.scale[1])];
  if (e.kind === 'ratio') return which === 'period' ? `${formatPercent(low)} to ${formatPercent(high)}` : `${formatPointsDelta(low)} to ${formatPointsDelta(high)}`;
  return `${formatDecimal(low, e.digits)} to ${formatDecimal(high, e.digits)}${e.unit}`;
}

// ------------------------------------------------------------------------------------------- overview

function figuresSection(doc: PDFKit.PDFDocument, v: KpiValues, base: KpiValues | null, notes: Record<string, string>, document: DocumentCurrency): void {
  const currency = document.currency;
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
    `n: the denominator (tickets, resolved tickets, ratings or handled tickets). Rates: Wilson score intervals; means: Student t, cut at their scale (CSAT 1–5, minutes 0). Changes are period − baseline: percentage points (pp) for rates, Newcombe's hybrid score interval; Welch's t for means. Amounts ${amountsIn(document)}.`,
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

function categorySection(doc: PDFKit.PDFDocument, groups: Record<string, KpiValues>, baseline: BaselineRow | null, document: DocumentCurrency): void {
  const currency = document.currency;
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
    kpiMoney(v.costPerResolution.ai, currency, v.costPerResolution.aiMinor),
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
  const agentWork = entries.some(([name, v]) => v.ahtSource === 'agent_work' || baseline?.byCategory[name]?.ahtSource === 'agent_work');
  if (agentWork) doc.font('Helvetica').fontSize(7).fillColor(MUTED).text('* agent work time: the category has no worklogs; minutes from a human agent\'s first to last action.', MARGIN, doc.y, { width: contentWidth(doc) });
  doc.fillColor('#000000');
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

export async function overviewPdf(data: OverviewData, q: ExportQuery, document: DocumentCurrency): Promise<Buffer> {
  const { report, points, baseline, basis } = data;
  // The baseline figures of the same selection: all of it, or the one category filtered on.
  const base = baseline ? (q.category.length === 1 ? (baseline.byCategory[q.category[0]!] ?? null) : q.category.length === 0 ? baseline.overall : null) : null;
  const title = `KPI report ${q.from} to ${q.to}`;
  const { doc, bytes } = await newReport({ title, subject: 'KPI overview', createdAt: createdAt(basis, q) });
  frameHeader(doc, {
    issuer: issuerOf(q),
    title,
    facts: [
      ...commonFacts(basis, q),
      ['Categories', q.category.length ? q.category.join(', ') : 'all'],
      baselineFact(baseline),
      ['Amounts', amountsIn(document)],
    ],
  });
  figuresSection(doc, report, base, report.notes, document);
  chartsSection(doc, points, base);
  categorySection(doc, report.groups, baseline, document);
  definitionsSection(doc);
  signatureBlock(doc, baselineSignatures(baseline), { empty: 'No electronic signatures: this report is a reading of the ledger; the baseline it compares with carries none.', signOff: ['Prepared by', 'Reviewed by'] });
  numberPages(doc, title);
  doc.end();
  return bytes;
}
