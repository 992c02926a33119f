// The printable statement, a document one can file: who issues it, the contract and its versions, the period and
// its time zone, when it was computed and from which ledger (head event and checkpoint), whether it is issued (by
// whom, when, its SHA-256) or an open live view; then the totals first, the adjustments of issued periods, outcomes
// awaiting a buyer checkpoint, every line with its evidence, and the signatures with printed name, time and meaning.
// Every page says "page i of n". Deterministic: the document is dated by the ledger (the issue, or the head event it
// was computed from), never the clock, so the same ledger gives the same bytes.
import { DateTime } from 'luxon';
import type { AdjustmentLine, Statement, StatementLine } from '../../../shared/contracts/outcomes.ts';
import { formatCount, formatInstant, formatMoney } from '../../../shared/format.ts';
import {
  contentWidth,
  frameHeader,
  keyValues,
  ledgerFacts,
  MARGIN,
  newReport,
  numberPages,
  sectionTitle,
  signatureBlock,
  table,
  type LedgerBasis,
  type PrintedSignature,
} from '../reports/report-document.ts';
import { currencyDigits, toMinor } from './money.ts';

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
  /** The `statement.issued` event. */
  seq?: number;
  /** When the signature was made (its own `signature` event), which may be a moment after the issue. */
  signedAt?: string | null;
}

/** What the PDF states besides the statement itself. */
export interface StatementPdfContext {
  /**
   * The organization issuing the statement (the "organization name" setting). Absent: the contract is named as
   * the party instead, and the header says the name is not set.
   */
  issuer?: string | null;
  /** The ledger's last event the statement saw (an issued one: the event its checkpoint ends with). */
  head?: LedgerBasis['head'] | null;
  /** The checkpoint the statement was computed under: the ledger's first treeSize events with this root (base64). */
  basis?: { treeSize: number; rootHash: string; signed?: boolean } | null;
  /** Set for an issued statement; absent or null: "open — not issued". */
  issued?: StatementIssue | null;
}

const STATUS_LABELS: Record<StatementLine['status'] | 'absent', string> = {
  billed: 'billed',
  held: 'held (open dispute)',
  reversed: 'reversed (credit)',
  billed_and_reversed: 'billed and reversed',
  awaiting_cosignature: 'awaiting buyer checkpoint',
  absent: 'no line',
};

/** The first and last day of a "YYYY-MM" period in the contract's zone, and its end instant. */
function periodOf(statement: Statement): { label: string; end: Date } {
  const start = DateTime.fromFormat(statement.period, 'yyyy-MM', { zone: statement.contract.timezone });
  const last = start.endOf('month');
  return {
    label: `${statement.period}: ${start.toFormat('yyyy-MM-dd')} 00:00 to ${last.toFormat('yyyy-MM-dd')} 24:00, time zone ${statement.contract.timezone}`,
    end: last.toJSDate(),
  };
}

/** The instant the statement describes the ledger at: the issue, else the head event's recorded time. */
function asOfOf(context: StatementPdfContext): string | null {
  return context.issued?.at ?? (context.head?.at || null);
}

function facts(statement: Statement, context: StatementPdfContext, period: string): [string, string][] {
  const c = statement.contract;
  const asOf = asOfOf(context);
  const basis: LedgerBasis | null =
    context.head || context.basis
      ? {
          head: context.head ?? { size: context.basis!.treeSize, hash: 'not stated', at: '' },
          checkpoint: context.basis ? { treeSize: context.basis.treeSize, rootHash: context.basis.rootHash, signed: context.basis.signed ?? false } : null,
        }
      : null;
  const issue = context.issued;
  const state = issue
    ? `ISSUED by ${issue.signer} at ${formatInstant(issue.at)}${issue.seq ? ` (event #${issue.seq})` : ''}; ${
        issue.meaning ? `signed: meaning ${issue.meaning} — reason: ${issue.reason ?? ''}` : 'Not signed (a ledger without accounts)'
      }. A closed document: later changes appear as adjustments of the next period.`
    : 'OPEN — NOT ISSUED: a live view of the ledger; it changes until the period is issued';
  return [
    ['Contract', `${c.id}, version${c.versions.length === 1 ? '' : 's'} ${c.versions.join(', ') || 'none in force'}; amounts in ${statement.currency}`],
    ['Period', period],
    ['Computed as of', asOf ? `${formatInstant(asOf)} (${formatInstant(asOf, c.timezone)})` : 'not stated'],
    ...(basis ? ledgerFacts(basis) : ([['Ledger', 'not stated']] as [string, string][])),
    ['State', state],
    ...(issue ? ([['Statement SHA-256', `${issue.sha256} (RFC 8785 canonical JSON of the issued document)`]] as [string, string][]) : []),
  ];
}

/** The summary: counts and amounts, the total last and bold. */
function totalsSection(doc: PDFKit.PDFDocument, statement: Statement, money: (amount: string) => string, issued: boolean): void {
  sectionTitle(doc, 'Totals', 120);
  const rows: [string, string][] = [
    ['Verified resolutions billed', `${formatCount(statement.verified)} · ${money(statement.subtotal)}`],
    ['Reversals credited', `${formatCount(statement.reversed)} · ${money(statement.credits)}`],
    ['Disputed, held back (not charged)', `${formatCount(statement.disputed)} · ${money(statement.heldBack)}`],
    ['Awaiting buyer checkpoint (not charged)', `${formatCount(statement.awaiting)} · ${money(statement.awaitingAmount)}`],
    ['Adjustments of issued periods', `${formatCount(statement.adjustments.length)} · ${money(statement.adjustmentsTotal)}`],
    // Only an issued statement states an amount due; an open one is a running total.
    [issued ? 'Total due' : 'Total so far (open period)', `${money(statement.total)}  (billed − credits + adjustments)`],
  ];
  keyValues(doc, rows, { labelWidth: 190, size: 9.5, boldLast: true });

  const categories = Object.entries(statement.byCategory);
  if (categories.length === 0) return;
  sectionTitle(doc, 'Totals by category', 50);
  table(
    doc,
    [
      { title: 'Category', width: 115 },
      { title: 'Verified', width: 45, align: 'right' },
      { title: 'Reversed', width: 45, align: 'right' },
      { title: 'Disputed', width: 45, align: 'right' },
      { title: 'Billed', width: 66, align: 'right' },
      { title: 'Credits', width: 66, align: 'right' },
      { title: 'Adjustments', width: 58, align: 'right' },
      { title: 'Total', width: 59, align: 'right' },
    ],
    categories.map(([name, t]) => [name, formatCount(t.verified), formatCount(t.reversed), formatCount(t.disputed), money(t.subtotal), money(t.credits), money(t.adjustments ?? '0'), money(t.total)]),
  );
}

/** Changes to issued periods posted in this one, before the lines, as a reviewer reads them. */
function adjustmentSection(doc: PDFKit.PDFDocument, statement: Statement, money: (amount: string) => string): void {
  sectionTitle(doc, `Adjustments of issued periods (${formatCount(statement.adjustments.length)}, net ${money(statement.adjustmentsTotal)})`);
  doc.font('Helvetica').fontSize(8);
  if (statement.adjustments.length === 0) {
    doc.text('None: nothing in an issued period changed since the last statement was issued.', MARGIN, doc.y, { width: contentWidth(doc) });
    return;
  }
  table(
    doc,
    [
      { title: 'Ticket', width: 62 },
      { title: 'Category', width: 70 },
      { title: 'Period', width: 38 },
      { title: 'Verified', width: 40, align: 'right' },
      { title: 'Line then, now', width: 92 },
      { title: 'Charge', width: 55, align: 'right' },
      { title: 'Credit', width: 55, align: 'right' },
      { title: 'Net', width: 55, align: 'right' },
      { title: 'Events', width: 32 },
    ],
    statement.adjustments.map((a: AdjustmentLine) => [
      a.ticket,
      a.category,
      a.period,
      `#${a.verifiedSeq}`,
      `was ${STATUS_LABELS[a.was]}, now ${STATUS_LABELS[a.now]}`,
      money(a.charge),
      money(a.credit),
      money(a.net),
      a.events.map((seq) => `#${seq}`).join(' '),
    ]),
  );
}

/** Outcomes not billed until the buyer's cosigned checkpoint covers them. */
function awaitingSection(doc: PDFKit.PDFDocument, statement: Statement, money: (amount: string) => string): void {
  const awaiting = statement.lines.filter((line) => line.status === 'awaiting_cosignature');
  if (awaiting.length === 0) return;
  sectionTitle(doc, `Awaiting buyer checkpoint (${formatCount(awaiting.length)}, ${money(statement.awaitingAmount)}, not charged)`);
  doc.font('Helvetica').fontSize(8);
  for (const line of awaiting) {
    doc.text(`${line.ticket} — ${line.category} — verified #${line.verifiedSeq} at ${formatInstant(line.verifiedAt)}: awaiting a checkpoint cosigned by a buyer key`, MARGIN, doc.y, { width: contentWidth(doc) });
  }
}

function linesSection(doc: PDFKit.PDFDocument, statement: Statement, money: (amount: string) => string): void {
  sectionTitle(doc, `Lines (${formatCount(statement.lines.length)})`);
  if (statement.lines.length === 0) {
    doc.font('Helvetica').fontSize(8).text('No verified resolutions or reversals in this period.', MARGIN, doc.y, { width: contentWidth(doc) });
    return;
  }
  table(
    doc,
    [
      { title: 'Ticket', width: 58 },
      { title: 'Category', width: 78 },
      { title: 'Ver.', width: 22, align: 'right' },
      { title: 'Status', width: 70 },
      { title: `Verified (${statement.contract.timezone})`, width: 86 },
      { title: 'Charge', width: 52, align: 'right' },
      { title: 'Credit', width: 52, align: 'right' },
      { title: 'Evidence (events)', width: 81 },
    ],
    statement.lines.map((line) => [
      line.ticket,
      line.category,
      String(line.version),
      STATUS_LABELS[line.status],
      `${formatInstant(line.verifiedAt, statement.contract.timezone).slice(0, 10)} #${line.verifiedSeq}`,
      money(line.charge),
      money(line.credit),
      line.evidence.map((seq) => `#${seq}`).join(' '),
    ]),
  );
}

/** The issue's signature first, then the signatures of the records the statement relies on. */
function printedSignatures(statement: Statement, context: StatementPdfContext): PrintedSignature[] {
  const list: PrintedSignature[] = [];
  const issue = context.issued;
  if (issue?.meaning) {
    list.push({ name: issue.signer, at: issue.signedAt ?? issue.at, meaning: issue.meaning, reason: issue.reason, signs: `the issue of this statement${issue.seq ? ` (event #${issue.seq})` : ''}, SHA-256 ${issue.sha256}`, valid: true });
  }
  for (const s of statement.signatures) {
    list.push({ name: s.display, at: s.at, meaning: s.meaning, reason: s.reason, signs: `#${s.signedSeq} (${s.signedType || 'missing event'}) hash ${s.signedHash}`, valid: s.valid });
  }
  return list;
}

export async function statementPdf(document: Statement, context: StatementPdfContext = {}): Promise<Buffer> {
  // Statements issued by earlier versions lack the later fields: absent means none.
  const statement: Statement = {
    ...document,
    awaiting: document.awaiting ?? 0,
    awaitingAmount: document.awaitingAmount ?? '0',
    adjustments: document.adjustments ?? [],
    adjustmentsTotal: document.adjustmentsTotal ?? '0',
    signatures: document.signatures ?? [],
  };
  const currency = statement.currency;
  const digits = currencyDigits(currency) ?? 2;
  const money = (amount: string): string => formatMoney(toMinor(amount, digits), currency);
  const period = periodOf(statement);
  const asOf = asOfOf(context);
  const title = `Statement ${statement.period} — ${statement.contract.id}`;
  const { doc, bytes } = await newReport({ title, subject: 'Verified AI resolutions', createdAt: asOf ? new Date(asOf) : period.end });

  frameHeader(doc, {
    issuer: context.issuer?.trim() || `the operator of contract ${statement.contract.id} (organization name not set)`,
    title,
    facts: facts(statement, context, period.label),
  });
  totalsSection(doc, statement, money, Boolean(context.issued));
  adjustmentSection(doc, statement, money);
  awaitingSection(doc, statement, money);
  linesSection(doc, statement, money);
  const issue = context.issued;
  signatureBlock(doc, printedSignatures(statement, context), {
    empty: issue ? 'No electronic signatures (a ledger without accounts).' : 'No electronic signatures: the statement is open and not issued.',
    signOff: ['Issued for the vendor by', 'Accepted for the buyer by'],
  });
  numberPages(doc, title);
  doc.end();
  return bytes;
}
