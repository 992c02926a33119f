// The printable statement. Document info (including CreationDate, from which pdfkit derives the file ID) is
// fixed from the statement itself, and streams are uncompressed, so the same statement (and context) gives the
// same bytes. Every page says "page i of n"; the first says which ledger it was computed from (the checkpoint's tree
// size and root) and whether it is an issued document (by whom, when, with what meaning, its SHA-256) or open.
import PDFDocument from 'pdfkit';
import { DateTime } from 'luxon';
import type { Statement } from '../../../shared/contracts/outcomes.ts';
import { withPrintableText } from '../files/pdf-text.ts';

/** Who issued the statement: the `statement.issued` event and its electronic signature, when it has one. */
export interface StatementIssue {
  /** Printed name (or id) of the person who issued it. */
  signer: string;
  /** ISO time of the issue. */
  at: string;
  /** The signature's meaning and reason; null on a ledger without accounts (nothing signed). */
  meaning: string | null;
  reason: string | null;
  /** Hex SHA-256 of the document's canonical JSON, as `statement.issued` records it. */
  sha256: string;
}

/** What the PDF states besides the statement itself. */
export interface StatementPdfContext {
  /** The checkpoint the statement was computed under: the ledger's first treeSize events with this root (base64). */
  basis?: { treeSize: number; rootHash: string } | null;
  /** Set for an issued statement; absent or null: "open — not issued". */
  issued?: StatementIssue | null;
}

const MARGIN = 48;
const COLUMNS: { title: string; width: number; align: 'left' | 'right' }[] = [
  { title: 'Ticket', width: 70, align: 'left' },
  { title: 'Category', width: 100, align: 'left' },
  { title: 'Ver.', width: 30, align: 'right' },
  { title: 'Status', width: 95, align: 'left' },
  { title: 'Charge', width: 60, align: 'right' },
  { title: 'Credit', width: 60, align: 'right' },
  { title: 'Evidence', width: 84, align: 'left' },
];

/** An instant as the console's timeline shows it: "2026-11-02 10:00:00Z". */
const utcSeconds = (iso: string): string => `${iso.slice(0, 19).replace('T', ' ')}Z`;

/** Part 11 §11.50: each signature the statement relies on, with the printed name, time, meaning and reason. */
function signatureSection(doc: PDFKit.PDFDocument, statement: Statement): void {
  if (statement.signatures.length === 0) return;
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(10).text('Electronic signatures', MARGIN);
  doc.font('Helvetica').fontSize(8);
  for (const s of statement.signatures) {
    if (doc.y > doc.page.height - MARGIN - 30) doc.addPage();
    doc.text(`Signed by ${s.display} — ${s.meaning} — ${utcSeconds(s.at)} — ${s.reason}`, MARGIN);
    doc.fillColor(s.valid ? '#444' : '#b00020')
      .text(`  signs #${s.signedSeq} (${s.signedType || 'missing event'}) hash ${s.signedHash}${s.valid ? '' : ' — DOES NOT MATCH the record'}`, MARGIN)
      .fillColor('#000');
  }
}

/** The ledger basis and the issue block, under the title. */
function basisSection(doc: PDFKit.PDFDocument, context: StatementPdfContext): void {
  doc.font('Helvetica').fontSize(8).fillColor('#000');
  const basis = context.basis;
  doc.text(basis ? `Ledger basis: the first ${basis.treeSize} events, Merkle root ${basis.rootHash} (signed checkpoint)` : 'Ledger basis: not stated', MARGIN);
  const issue = context.issued;
  if (issue) {
    doc.font('Helvetica-Bold').text(`ISSUED by ${issue.signer} at ${utcSeconds(issue.at)}`, MARGIN);
    doc.font('Helvetica').text(issue.meaning ? `Signed: meaning ${issue.meaning} — reason: ${issue.reason ?? ''}` : 'Not signed (a ledger without accounts)', MARGIN);
    doc.text(`Statement SHA-256 (canonical JSON): ${issue.sha256}`, MARGIN);
  } else {
    doc.font('Helvetica-Bold').text('OPEN — NOT ISSUED: a live view of the ledger; it changes until the period is issued', MARGIN).font('Helvetica');
  }
  doc.moveDown(0.6);
}

/** Outcomes not billed until the buyer's cosigned checkpoint covers them. */
function awaitingSection(doc: PDFKit.PDFDocument, statement: Statement): void {
  const awaiting = statement.lines.filter((line) => line.status === 'awaiting_cosignature');
  if (awaiting.length === 0) return;
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(10).text(`Awaiting buyer checkpoint (${awaiting.length}, ${statement.awaitingAmount} ${statement.currency}, not charged)`, MARGIN);
  doc.font('Helvetica').fontSize(8);
  for (const line of awaiting) {
    if (doc.y > doc.page.height - MARGIN - 30) doc.addPage();
    doc.text(`${line.ticket} — ${line.category} — verified #${line.verifiedSeq} at ${utcSeconds(line.verifiedAt)}: awaiting a checkpoint cosigned by a buyer key`, MARGIN);
  }
}

/** Changes to issued periods posted in this one. */
function adjustmentSection(doc: PDFKit.PDFDocument, statement: Statement): void {
  if (statement.adjustments.length === 0) return;
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(10).text(`Adjustments of issued periods (${statement.adjustmentsTotal} ${statement.currency})`, MARGIN);
  doc.font('Helvetica').fontSize(8);
  for (const a of statement.adjustments) {
    if (doc.y > doc.page.height - MARGIN - 30) doc.addPage();
    doc.text(
      `${a.ticket} (${a.period}, verified #${a.verifiedSeq}): was ${a.was}, now ${a.now}; charge ${a.charge}, credit ${a.credit}, net ${a.net} ${statement.currency} — events ${a.events.map((seq) => `#${seq}`).join(' ')}`,
      MARGIN,
    );
  }
}

/** "page i of n" at the foot of every page, written once the page count is known. */
function pageNumbers(doc: PDFKit.PDFDocument, title: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Inside the bottom margin: lift it so pdfkit does not start a new page for the footer.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(7).fillColor('#444')
      .text(`${title} — page ${i - range.start + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN / 2 - 6, { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false })
      .fillColor('#000');
    doc.page.margins.bottom = bottom;
  }
}

export function statementPdf(statement: Statement, context: StatementPdfContext = {}): Promise<Buffer> {
  const periodEnd = DateTime.fromFormat(statement.period, 'yyyy-MM', { zone: statement.contract.timezone }).endOf('month').toJSDate();
  const doc = withPrintableText(new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: false,
    // Pages are kept until the end, so each can say how many there are.
    bufferPages: true,
    info: {
      Title: `Statement ${statement.contract.id} ${statement.period}`,
      Author: 'Attest',
      Subject: 'Verified AI resolutions',
      Producer: 'Attest',
      Creator: 'Attest',
      CreationDate: periodEnd,
      ModDate: periodEnd,
    },
  }));
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const c = statement.currency;
  doc.font('Helvetica-Bold').fontSize(16).text(`Statement ${statement.period} — ${statement.contract.id}`);
  doc.font('Helvetica').fontSize(9).fillColor('#444')
    .text(`Contract versions ${statement.contract.versions.join(', ')} · time zone ${statement.contract.timezone} · currency ${c}`)
    .moveDown(0.3);
  basisSection(doc, context);
  doc.fillColor('#000').fontSize(10);
  const summary: [string, string][] = [
    ['Verified resolutions', String(statement.verified)],
    ['Subtotal', `${statement.subtotal} ${c}`],
    ['Reversals (credits)', `${statement.reversed} · ${statement.credits} ${c}`],
    ['Disputed, held back', `${statement.disputed} · ${statement.heldBack} ${c}`],
    ...(statement.awaiting > 0 ? [['Awaiting buyer checkpoint', `${statement.awaiting} · ${statement.awaitingAmount} ${c}`] as [string, string]] : []),
    ...(statement.adjustments.length > 0 ? [['Adjustments of issued periods', `${statement.adjustments.length} · ${statement.adjustmentsTotal} ${c}`] as [string, string]] : []),
    ['Total', `${statement.total} ${c}`],
  ];
  for (const [label, value] of summary) {
    const y = doc.y;
    doc.font(label === 'Total' ? 'Helvetica-Bold' : 'Helvetica').text(label, MARGIN, y, { width: 200 });
    doc.text(value, MARGIN + 200, y, { width: 150, align: 'right' });
  }
  doc.moveDown(0.8).font('Helvetica-Bold').text('By category', MARGIN);
  doc.font('Helvetica').fontSize(9);
  for (const [name, t] of Object.entries(statement.byCategory)) {
    doc.text(`${name}: ${t.verified} verified, ${t.reversed} reversed, ${t.disputed} disputed — subtotal ${t.subtotal}, credits ${t.credits}, total ${t.total} ${c}`);
  }
  doc.moveDown(0.8);

  const header = (): void => {
    let x = MARGIN;
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(8);
    for (const col of COLUMNS) {
      doc.text(col.title, x, y, { width: col.width - 4, align: col.align });
      x += col.width;
    }
    doc.moveTo(MARGIN, doc.y + 1).lineTo(MARGIN + COLUMNS.reduce((s, col) => s + col.width, 0), doc.y + 1).stroke();
    doc.moveDown(0.3).font('Helvetica');
  };
  header();
  for (const line of statement.lines) {
    if (doc.y > doc.page.height - MARGIN - 20) {
      doc.addPage();
      header();
    }
    const cells = [line.ticket, line.category, String(line.version), line.status, line.charge, line.credit, line.evidence.map((s) => `#${s}`).join(' ')];
    let x = MARGIN;
    const y = doc.y;
    let bottom = y;
    cells.forEach((cell, i) => {
      const col = COLUMNS[i]!;
      doc.text(cell, x, y, { width: col.width - 4, align: col.align });
      bottom = Math.max(bottom, doc.y);
      x += col.width;
    });
    doc.y = bottom + 2;
  }
  if (statement.lines.length === 0) doc.text('No verified resolutions or reversals in this period.', MARGIN);
  awaitingSection(doc, statement);
  adjustmentSection(doc, statement);
  signatureSection(doc, statement);
  pageNumbers(doc, `Statement ${statement.period} — ${statement.contract.id}`);
  doc.end();
  return done;
}
