// The migration board as a PDF report: per category its tier, mode and verdict, each check and comparison with
// baseline and pilot (value and n), the difference and its 95% interval, in the overview's units (AHT in minutes of
// the time the overview measures), the thresholds in words, the definitions and the signatures.
import type { BoardThresholds, MigrationBoard } from '../../../shared/contracts/kpis.ts';
import { formatCount, formatDecimal, formatPercent, formatPointsDelta } from '../../../shared/format.ts';
import { ahtLabel } from '../../../shared/kpi-figures.ts';
import type { Db } from '../db/connection.ts';
import { currentBasis } from '../reports/ledger-basis.ts';
import { contentWidth, frameHeader, MARGIN, MUTED, newReport, numberPages, sectionTitle, signatureBlock, table, type LedgerBasis } from '../reports/report-document.ts';
import { migrationBoard } from './board.ts';
import { baselineFact, baselineSignatures, commonFacts, createdAt, definitionsSection, issuerOf } from './kpi-document-frame.ts';
import type { ExportQuery } from './kpi-export.ts';
import { BOARD_KPI_LABELS, boardUnit } from './kpi-labels.ts';

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
  const { doc, bytes } = await newReport({ title, subject: 'Pilot against baseline', createdAt: createdAt(basis, q), landscape: true });
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
