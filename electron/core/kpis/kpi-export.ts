// Any KPI view as CSV (text) or as a PDF report (pdfkit), returned through the contract.
import PDFDocument from 'pdfkit';
import {
  computeRoi,
  KPI_DEFINITIONS,
  ROI_FORMULA,
  type BoardThresholds,
  type KpiExport,
  type KpiValues,
  type RoiInputs,
} from '../../../shared/contracts/kpis.ts';
import type { Db } from '../db/connection.ts';
import { migrationBoard } from './board.ts';
import { findBaseline } from './baselines.ts';
import { kpiReport } from './kpi-report.ts';
import { moneyCurrency } from './kpi-money.ts';
import { csvRow } from '../files/csv-cell.ts';
import { withPrintableText } from '../files/pdf-text.ts';

type Table = { title: string; header: string[]; rows: (string | number | null)[][] };

const num = (v: number | null | undefined, digits = 4): string => (v === null || v === undefined ? '' : String(Math.round(v * 10 ** digits) / 10 ** digits));

function valueColumns(v: KpiValues | undefined): (string | number | null)[] {
  if (!v) return ['', '', '', '', '', '', '', '', '', '', ''];
  return [
    v.tickets,
    num(v.fcr),
    num(v.deflection),
    num(v.ahtMinutes, 2),
    v.ahtSource ?? '',
    num(v.csatMean, 3),
    num(v.csatSatisfiedShare),
    num(v.slaCompliance),
    num(v.reopenRate),
    num(v.escalationRate),
    num(v.costPerResolution.ai, 2),
  ];
}
const VALUE_HEADER = ['tickets', 'fcr', 'deflection', 'aht_minutes', 'aht_source', 'csat_mean', 'csat_satisfied_share', 'sla_compliance', 'reopen_rate', 'escalation_rate', 'cost_per_ai_resolution'];

export interface ExportQuery {
  view: 'overview' | 'board' | 'roi';
  format: 'csv' | 'pdf';
  from: string;
  to: string;
  category: readonly string[];
  baselineSeq?: number;
  roi?: RoiInputs;
  thresholds: BoardThresholds;
}

function tables(db: Db, q: ExportQuery): Table[] {
  if (q.view === 'overview') {
    const report = kpiReport(db, { from: q.from, to: q.to, category: q.category, by: 'category' });
    const baseline = findBaseline(db, q.baselineSeq);
    const rows: (string | number | null)[][] = [['all', 'period', ...valueColumns(report)]];
    if (baseline) rows.push(['all', `baseline ${baseline.name}`, ...valueColumns(baseline.overall)]);
    for (const [category, values] of Object.entries(report.groups)) {
      rows.push([category, 'period', ...valueColumns(values)]);
      if (baseline?.byCategory[category]) rows.push([category, `baseline ${baseline.name}`, ...valueColumns(baseline.byCategory[category])]);
    }
    return [{ title: `KPIs, tickets created ${q.from} to ${q.to}`, header: ['category', 'series', ...VALUE_HEADER], rows }];
  }
  if (q.view === 'board') {
    const board = migrationBoard(db, { from: q.from, to: q.to, baselineSeq: q.baselineSeq, thresholds: q.thresholds });
    const rows: (string | number | null)[][] = [];
    for (const row of board.rows) {
      for (const c of [...row.checks.map((ch) => ({ ...ch, verdict: ch.verdict as string })), ...row.comparisons.map((co) => ({ ...co, rule: '', verdict: '' }))]) {
        rows.push([row.category, row.tier, row.mode, row.reason ?? '', c.kpi, c.rule, num(c.baseline.value), num(c.pilot.value), num(c.difference.value), num(c.difference.ci?.low), num(c.difference.ci?.high), c.verdict, row.verdict]);
      }
    }
    return [
      {
        title: `Pilot ${q.from} to ${q.to} vs baseline ${board.baseline ? `${board.baseline.name} (${board.baseline.from} to ${board.baseline.to})` : '(none frozen)'}`,
        header: ['category', 'tier', 'mode', 'mode_reason', 'kpi', 'rule', 'baseline', 'pilot', 'difference', 'difference_ci_low', 'difference_ci_high', 'check_verdict', 'category_verdict'],
        rows,
      },
    ];
  }
  if (!q.roi) throw new Error('roi: the ROI export needs the calculator inputs');
  // The calculator's amounts must be in the ledger's currency (its contract's): another one is refused, not exported.
  if (q.roi.currency) moneyCurrency(db, new Set(), q.roi.currency);
  const result = computeRoi(q.roi);
  return [
    { title: 'ROI inputs', header: ['input', 'value'], rows: Object.entries(q.roi).map(([k, v]) => [k, v === null ? '' : v]) },
    {
      title: 'ROI result',
      header: ['part', 'value'],
      rows: [
        ['formula', ROI_FORMULA],
        ...Object.entries(result).map(([k, v]) => [k, num(v, 4)]),
      ],
    },
  ];
}

function toCsv(list: Table[]): string {
  return list.map((t) => [t.header, ...t.rows].map(csvRow).join('\r\n')).join('\r\n\r\n') + '\r\n';
}

function toPdf(list: Table[], subtitle: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = withPrintableText(new PDFDocument({ size: 'A4', layout: 'landscape', margin: 36, info: { Title: 'Attest KPI report', Creator: 'Attest' } }));
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(16).text('Attest KPI report');
    doc.fontSize(9).fillColor('#555').text(subtitle).fillColor('#000').moveDown();
    for (const table of list) {
      doc.fontSize(11).text(table.title).moveDown(0.3);
      const width = (doc.page.width - 72) / table.header.length;
      const line = (cells: (string | number | null)[], bold: boolean): void => {
        if (doc.y > doc.page.height - 60) doc.addPage();
        const y = doc.y;
        doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(6.5);
        let height = 0;
        cells.forEach((cell, i) => {
          doc.text(cell === null ? '' : String(cell), 36 + i * width, y, { width: width - 3 });
          height = Math.max(height, doc.y - y);
        });
        doc.x = 36;
        doc.y = y + height + 2;
      };
      line(table.header, true);
      for (const row of table.rows) line(row, false);
      doc.moveDown();
    }
    doc.font('Helvetica').fontSize(7).fillColor('#333');
    doc.addPage().fontSize(11).fillColor('#000').text('KPI definitions').moveDown(0.3).fontSize(8);
    for (const d of KPI_DEFINITIONS) doc.text(`${d.label}: ${d.definition}`).moveDown(0.3);
    doc.end();
  });
}

export async function exportKpiView(db: Db, q: ExportQuery): Promise<KpiExport> {
  const list = tables(db, q);
  const base = `attest-${q.view}-${q.from}-${q.to}`.replace(/[^A-Za-z0-9_.-]/g, '_');
  if (q.format === 'csv') return { fileName: `${base}.csv`, mimeType: 'text/csv', encoding: 'utf8', data: toCsv(list) };
  const pdf = await toPdf(list, `Tickets created ${q.from} to ${q.to}${q.category.length ? `, categories ${q.category.join(', ')}` : ''}; generated ${new Date().toISOString()}`);
  return { fileName: `${base}.pdf`, mimeType: 'application/pdf', encoding: 'base64', data: pdf.toString('base64') };
}
