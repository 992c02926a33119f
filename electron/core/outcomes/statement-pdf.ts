// The printable statement. Document info (including CreationDate, from which pdfkit derives the file ID) is
// fixed from the statement itself, and streams are uncompressed, so the same statement gives the same bytes.
import PDFDocument from 'pdfkit';
import { DateTime } from 'luxon';
import type { Statement } from '../../../shared/contracts/outcomes.ts';

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

export function statementPdf(statement: Statement): Promise<Buffer> {
  const periodEnd = DateTime.fromFormat(statement.period, 'yyyy-MM', { zone: statement.contract.timezone }).endOf('month').toJSDate();
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    compress: false,
    info: {
      Title: `Statement ${statement.contract.id} ${statement.period}`,
      Author: 'Attest',
      Subject: 'Verified AI resolutions',
      Producer: 'Attest',
      Creator: 'Attest',
      CreationDate: periodEnd,
      ModDate: periodEnd,
    },
  });
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
    .moveDown(0.6);
  doc.fillColor('#000').fontSize(10);
  const summary: [string, string][] = [
    ['Verified resolutions', String(statement.verified)],
    ['Subtotal', `${statement.subtotal} ${c}`],
    ['Reversals (credits)', `${statement.reversed} · ${statement.credits} ${c}`],
    ['Disputed, held back', `${statement.disputed} · ${statement.heldBack} ${c}`],
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
  signatureSection(doc, statement);
  doc.end();
  return done;
}
