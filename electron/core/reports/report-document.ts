// The frame every Attest PDF shares, so a statement, a KPI report and the migration board read as documents one
// can file: who issued it, what it is, the period and its time zone, when it was computed and from which ledger
// (the head event and a checkpoint), a signature block, and "page n of m" on every page.
//
// Same ledger, same bytes: the document info is fixed (CreationDate is a ledger time the caller passes, and pdfkit
// derives the file ID from the info), streams are not compressed (so nothing depends on a zlib build), and only
// the 14 standard fonts are used (nothing read from the machine).
import type PDFDocumentClass from 'pdfkit';
import { withPrintableText } from '../files/pdf-text.ts';
import { formatCount, formatInstant } from '../../../shared/format.ts';

export const MARGIN = 48;
export const INK = '#000000';
export const MUTED = '#444444';

/** The ledger a document was computed from: its head event and, when there is one, a checkpoint over it. */
export interface LedgerBasis {
  /** The last event the document saw: #size with its chain hash and recorded time. */
  head: { size: number; hash: string; at: string };
  /** RFC 9162 root of the first treeSize events; `signed`: a checkpoint signed by the installation key. */
  checkpoint: { treeSize: number; rootHash: string; signed: boolean } | null;
}

/** A person's electronic signature as a document prints it (21 CFR Part 11 §11.50: name, time, meaning). */
export interface PrintedSignature {
  name: string;
  at: string;
  meaning: string;
  reason: string | null;
  /** What was signed, e.g. "issue of the statement (event #1234)". */
  signs: string;
  /** False when the signature does not match the record it names: printed, and marked. */
  valid: boolean;
}

export interface ReportFrame {
  /** The organization issuing the document. */
  issuer: string;
  title: string;
  /** Label/value lines under the title: contract, period and zone, computed as of, ledger head, checkpoint, state. */
  facts: [string, string][];
}

export interface NewReport {
  title: string;
  subject: string;
  /** A ledger time (never the clock): the document's CreationDate and ModDate. */
  createdAt: Date;
  landscape?: boolean;
}

/** pdfkit's standard fonts speak WinAnsi: the few characters shared/format.ts uses outside it get their nearest glyph. */
const WIN_ANSI_SUBSTITUTES: Record<string, string> = { '\u2212': '\u2013', '\u2009': ' ', '\u202f': ' ', '\u00a0': ' ', '\u2248': '~', '\u2265': '>=', '\u2264': '<=', '\u2192': '->' };

/** What a PDF shows for a formatted figure: the same text with the minus sign as an en dash (WinAnsi has no U+2212). */
export function pdfSafe(text: string): string {
  return text.replace(/[\u2212\u2009\u202f\u00a0\u2248\u2265\u2264\u2192]/g, (c) => WIN_ANSI_SUBSTITUTES[c]!);
}

/**
 * pdfkit, loaded on the first document: it is the largest library Attest uses (its fonts and layout engine took more
 * than a third of a second to load), and most commands, the console's start and most tests never write a PDF.
 */
let pdfKit: Promise<typeof PDFDocumentClass> | null = null;
function loadPdfKit(): Promise<typeof PDFDocumentClass> {
  pdfKit ??= import('pdfkit').then((module) => module.default);
  return pdfKit;
}

/** A new buffered, deterministic A4 document and the promise of its bytes. */
export async function newReport(options: NewReport): Promise<{ doc: PDFKit.PDFDocument; bytes: Promise<Buffer> }> {
  const PDFDocument = await loadPdfKit();
  const doc = new PDFDocument({
    size: 'A4',
    layout: options.landscape ? 'landscape' : 'portrait',
    margin: MARGIN,
    compress: false,
    // Pages are kept until the end, so each can say how many there are.
    bufferPages: true,
    info: {
      Title: options.title,
      Author: 'Attest',
      Subject: options.subject,
      Producer: 'Attest',
      Creator: 'Attest',
      CreationDate: options.createdAt,
      ModDate: options.createdAt,
    },
  });
  // Every text() call: control and bidi characters made visible, then mapped to what the standard fonts can show.
  const writer = doc as unknown as { text: (...args: unknown[]) => unknown };
  const text = writer.text.bind(doc);
  writer.text = (first: unknown, ...rest: unknown[]) => text(typeof first === 'string' ? pdfSafe(first) : first, ...rest);
  withPrintableText(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return { doc, bytes };
}

export const contentWidth = (doc: PDFKit.PDFDocument): number => doc.page.width - 2 * MARGIN;

/** Starts a new page unless `height` points still fit above the bottom margin. */
export function ensureSpace(doc: PDFKit.PDFDocument, height: number): void {
  if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

/** A section heading, kept with at least `keep` points of what follows. */
export function sectionTitle(doc: PDFKit.PDFDocument, title: string, keep = 40): void {
  doc.moveDown(0.6);
  ensureSpace(doc, 16 + keep);
  doc.font('Helvetica-Bold').fontSize(11).fillColor(INK).text(title, MARGIN, doc.y, { width: contentWidth(doc) });
  doc.moveDown(0.25);
}

/** Label/value lines in two columns. */
export function keyValues(doc: PDFKit.PDFDocument, rows: readonly [string, string][], options: { labelWidth?: number; size?: number; boldLast?: boolean } = {}): void {
  const labelWidth = options.labelWidth ?? 130;
  const size = options.size ?? 8.5;
  rows.forEach(([label, value], index) => {
    const bold = options.boldLast === true && index === rows.length - 1;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
    const height = Math.max(doc.heightOfString(label, { width: labelWidth - 6 }), doc.heightOfString(value, { width: contentWidth(doc) - labelWidth }));
    ensureSpace(doc, height + 2);
    const y = doc.y;
    doc.fillColor(MUTED).text(label, MARGIN, y, { width: labelWidth - 6 });
    doc.fillColor(INK).font(bold ? 'Helvetica-Bold' : 'Helvetica').text(value, MARGIN + labelWidth, y, { width: contentWidth(doc) - labelWidth });
    doc.y = y + height + 2;
  });
  doc.x = MARGIN;
}

/** The issuer, the title, and the facts that say what the document is and what it rests on. */
export function frameHeader(doc: PDFKit.PDFDocument, frame: ReportFrame): void {
  doc.font('Helvetica-Bold').fontSize(9).fillColor(MUTED).text(`Issued by ${frame.issuer}`, MARGIN, MARGIN, { width: contentWidth(doc) });
  doc.moveDown(0.2).font('Helvetica-Bold').fontSize(16).fillColor(INK).text(frame.title, { width: contentWidth(doc) });
  doc.moveDown(0.3);
  keyValues(doc, frame.facts);
  doc.moveTo(MARGIN, doc.y + 3).lineTo(MARGIN + contentWidth(doc), doc.y + 3).lineWidth(0.5).strokeColor('#888888').stroke();
  doc.moveDown(0.6);
}

/** The ledger facts of a frame: head and checkpoint, as every document prints them. */
export function ledgerFacts(basis: LedgerBasis | null): [string, string][] {
  if (!basis) return [['Ledger', 'not stated']];
  const { head, checkpoint } = basis;
  const facts: [string, string][] = [['Ledger head', `event #${head.size} (${formatCount(head.size)} events), chain hash ${head.hash}${head.at ? `, recorded ${formatInstant(head.at)}` : ''}`]];
  facts.push([
    'Checkpoint',
    checkpoint
      ? `tree size ${checkpoint.treeSize}, root ${checkpoint.rootHash} (${checkpoint.signed ? 'signed checkpoint' : 'RFC 9162 Merkle root of events #1..' + checkpoint.treeSize + ', not a signed checkpoint'})`
      : 'none recorded yet (attest checkpoint)',
  ]);
  return facts;
}

/**
 * The signature block: each electronic signature with printed name, time, meaning and reason, then lines where a
 * reader signs the paper copy (name, signature, date) — blank, so they are filled by hand.
 */
export function signatureBlock(doc: PDFKit.PDFDocument, signatures: readonly PrintedSignature[], options: { empty: string; signOff: readonly string[] }): void {
  sectionTitle(doc, 'Signatures', 60);
  doc.font('Helvetica').fontSize(8.5).fillColor(INK);
  if (signatures.length === 0) doc.text(options.empty, MARGIN, doc.y, { width: contentWidth(doc) });
  for (const s of signatures) {
    ensureSpace(doc, 36);
    doc.font('Helvetica-Bold').fillColor(s.valid ? INK : '#b00020').text(`${s.name} — ${s.meaning} — ${formatInstant(s.at)}`, MARGIN, doc.y, { width: contentWidth(doc) });
    doc.font('Helvetica').fillColor(s.valid ? MUTED : '#b00020')
      .text(`${s.reason ? `Reason: ${s.reason}. ` : ''}Signs ${s.signs}${s.valid ? '' : ' — DOES NOT MATCH the record'}`, MARGIN + 10, doc.y, { width: contentWidth(doc) - 10 });
    doc.moveDown(0.3);
  }
  doc.fillColor(INK);
  const boxWidth = (contentWidth(doc) - 24 * (options.signOff.length - 1)) / Math.max(1, options.signOff.length);
  // The sign-off lines stay together: a role's title, then Name, Signature and Date lines to fill by hand.
  ensureSpace(doc, 100);
  const top = doc.y + 14;
  options.signOff.forEach((role, i) => {
    const x = MARGIN + i * (boxWidth + 24);
    doc.font('Helvetica-Bold').fontSize(8).fillColor(INK).text(role, x, top, { width: boxWidth, lineBreak: false });
    for (const [index, label] of ['Name', 'Signature', 'Date'].entries()) {
      const y = top + 22 + index * 20;
      doc.font('Helvetica').fontSize(7.5).fillColor(MUTED).text(label, x, y - 8, { width: 50, lineBreak: false });
      doc.moveTo(x + 50, y).lineTo(x + boxWidth, y).lineWidth(0.5).strokeColor('#666666').stroke();
    }
  });
  doc.fillColor(INK);
  doc.x = MARGIN;
  doc.y = top + 22 + 3 * 20;
}

/** "<label> — page i of n" at the foot of every page, written once the page count is known. */
export function numberPages(doc: PDFKit.PDFDocument, label: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // Inside the bottom margin: lift it so pdfkit does not start a new page for the footer.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(7).fillColor(MUTED)
      .text(`${label} — page ${i - range.start + 1} of ${range.count}`, MARGIN, doc.page.height - MARGIN / 2 - 6, { width: doc.page.width - 2 * MARGIN, align: 'center', lineBreak: false })
      .fillColor(INK);
    doc.page.margins.bottom = bottom;
  }
}

export interface TableColumn {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

/** A table whose header repeats on every page it runs onto. Widths are in points; cells wrap. */
export function table(doc: PDFKit.PDFDocument, columns: readonly TableColumn[], rows: readonly (readonly string[])[], options: { size?: number; bold?: (row: number) => boolean } = {}): void {
  const size = options.size ?? 7.5;
  const total = columns.reduce((sum, column) => sum + column.width, 0);
  const header = (): void => {
    doc.font('Helvetica-Bold').fontSize(size).fillColor(INK);
    const y = doc.y;
    let height = 0;
    let x = MARGIN;
    for (const column of columns) {
      doc.text(column.title, x, y, { width: column.width - 4, align: column.align ?? 'left' });
      height = Math.max(height, doc.y - y);
      x += column.width;
    }
    doc.moveTo(MARGIN, y + height + 1).lineTo(MARGIN + total, y + height + 1).lineWidth(0.5).strokeColor('#888888').stroke();
    doc.y = y + height + 3;
  };
  ensureSpace(doc, 30);
  header();
  rows.forEach((cells, index) => {
    doc.font(options.bold?.(index) ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
    // A cell narrower than its column is one line: only wider ones are laid out to measure (the slow part).
    const oneLine = doc.currentLineHeight(true);
    const height = Math.max(...cells.map((cell, i) => (doc.widthOfString(cell) <= columns[i]!.width - 4 && !cell.includes('\n') ? oneLine : doc.heightOfString(cell, { width: columns[i]!.width - 4 }))));
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) {
      doc.addPage();
      header();
      doc.font(options.bold?.(index) ? 'Helvetica-Bold' : 'Helvetica').fontSize(size);
    }
    const y = doc.y;
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.text(cell, x, y, { width: columns[i]!.width - 4, align: columns[i]!.align ?? 'left' });
      x += columns[i]!.width;
    });
    doc.y = y + height + 2;
  });
  doc.x = MARGIN;
}
