// A period's statement: verified resolutions billed, disputed ones held back, reversals credited — all from the
// outcome events, in integer minor units. Nothing depends on the clock, so reruns are byte-identical. An issued
// period is a closed document: it never changes; what later touches it is posted as adjustment lines of the first
// period not yet issued.
import { DateTime } from 'luxon';
import type { AdjustmentLine, CategoryTotals, Statement, StatementLine } from '../../../shared/contracts/outcomes.ts';
import type { Db } from '../db/connection.ts';
import { effectiveStartMs } from './contract-schema.ts';
import { formatMinor } from './money.ts';
import { bookFrom, eventsWhere, OutcomeInputError, openDispute, resolveContract, type ContractVersions, type VerifiedRecord } from './outcome-book.ts';
import { OutcomeRepository, type CosignedCheckpoint, type IssuedStatementEvent, type OutcomeEvent } from './outcome-repository.ts';
import { coveringCosignature, periodLines, periodsOfBook, type PeriodLine } from './statement-lines.ts';
import { signaturesOf } from '../people/signatures.ts';
import { LedgerRepository } from '../ledger/ledger-repository.ts';
import { inNaturalOrder, naturalCompare } from './natural-order.ts';
import { csvRow } from '../files/csv-cell.ts';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

interface Sums {
  verified: number;
  reversed: number;
  disputed: number;
  awaiting: number;
  charge: number;
  credit: number;
  held: number;
  awaitingAmount: number;
  adjustments: number;
}

const emptySums = (): Sums => ({ verified: 0, reversed: 0, disputed: 0, awaiting: 0, charge: 0, credit: 0, held: 0, awaitingAmount: 0, adjustments: 0 });

export function checkPeriod(period: string): void {
  if (!PERIOD.test(period)) throw new OutcomeInputError(`period: "${period}" must be a month "YYYY-MM"`);
}

/** The month after `period` ("2026-12" → "2027-01"). */
export function nextPeriod(period: string): string {
  return DateTime.fromFormat(period, 'yyyy-MM', { zone: 'utc' }).plus({ months: 1 }).toFormat('yyyy-MM');
}

/** The first instant after the period, in the contract's time zone. */
export function periodEndMs(period: string, timezone: string): number {
  return DateTime.fromFormat(period, 'yyyy-MM', { zone: timezone }).plus({ months: 1 }).toMillis();
}

/** What the ledger holds up to one sequence number, for one contract: its outcome events, cosignatures, issues. */
interface LedgerCut {
  db: Db;
  contract: ContractVersions;
  events: readonly OutcomeEvent[];
  cosignatures: CosignedCheckpoint[];
  issued: IssuedStatementEvent[];
}

function cutOf(db: Db, contract: ContractVersions, seq: number): LedgerCut {
  const repository = new OutcomeRepository(db);
  return {
    db,
    contract,
    events: eventsWhere(repository.outcomeEvents(contract.id), (e) => e.seq <= seq),
    cosignatures: repository.cosignedCheckpoints().filter((c) => c.seq <= seq),
    issued: repository.issuedStatements(contract.id).filter((i) => i.seq <= seq),
  };
}

/** The same cut, shortened to the events up to `seq`. */
function shortened(cut: LedgerCut, seq: number): LedgerCut {
  return { ...cut, events: eventsWhere(cut.events, (e) => e.seq <= seq), cosignatures: cut.cosignatures.filter((c) => c.seq <= seq), issued: cut.issued.filter((i) => i.seq <= seq) };
}

/**
 * The cut's book, with one rule for issued periods: a reversal recorded after its outcome's billing period was closed
 * (by the first issue of that period or a later one) is credited in that original period — which is frozen, so the
 * credit surfaces as an adjustment of the first period not yet issued, naming the original period and ticket.
 */
function statementBook(cut: LedgerCut): ReadonlyMap<string, VerifiedRecord> {
  const shared = bookFrom(cut.events, cut.contract);
  if (cut.issued.length === 0) return shared;
  // The shared book is read-only: copied the first time a record is credited to its original period.
  let book: Map<string, VerifiedRecord> | null = null;
  for (const [ticket, record] of shared) {
    const closing = cut.issued.find((i) => i.payload.period >= record.period);
    if (record.reversal && closing && record.reversal.seq > closing.seq && record.reversal.period !== record.period) {
      (book ??= new Map(shared)).set(ticket, { ...record, reversal: { ...record.reversal, period: record.period } });
    }
  }
  return book ?? shared;
}

/** The ledger's head: the number of its last event. */
const headSeq = (db: Db): number => new LedgerRepository(db).lastEvent().seq;

const statusOrAbsent = (line: PeriodLine | undefined): AdjustmentLine['was'] => line?.status ?? 'absent';

/**
 * Adjustments posted in the first period not yet issued: for every period up to the last issued one, each outcome's
 * line now against its line when that last statement was issued (whose document already carries every change before
 * it). Only differences are listed.
 */
function adjustmentsOf(now: LedgerCut, lastIssueSeq: number, lastIssuedPeriod: string, money: (minor: number) => string): { lines: AdjustmentLine[]; nets: Map<string, number>; decisions: number[] } {
  const then = shortened(now, lastIssueSeq);
  const bookNow = statementBook(now);
  const bookThen = statementBook(then);
  const periods = [...new Set([...periodsOfBook(bookNow), ...periodsOfBook(bookThen)])].filter((p) => p <= lastIssuedPeriod).sort();
  const lines: AdjustmentLine[] = [];
  const nets = new Map<string, number>();
  const decisions: number[] = [];
  for (const period of periods) {
    const linesNow = periodLines(bookNow, period, now.contract, now.cosignatures);
    const linesThen = periodLines(bookThen, period, now.contract, then.cosignatures);
    for (const seq of [...new Set([...linesNow.keys(), ...linesThen.keys()])].sort((a, b) => a - b)) {
      const after = linesNow.get(seq);
      const before = linesThen.get(seq);
      const charge = (after?.charge ?? 0) - (before?.charge ?? 0);
      const credit = (after?.credit ?? 0) - (before?.credit ?? 0);
      if (charge === 0 && credit === 0 && statusOrAbsent(after) === statusOrAbsent(before)) continue;
      const record = (after ?? before)!.record;
      const cosigned = coveringCosignature(record, now.contract, now.cosignatures);
      const causes = now.events.filter((e) => e.ticket === record.ticket && e.seq > lastIssueSeq).map((e) => e.seq);
      if (typeof cosigned === 'number' && cosigned > lastIssueSeq) causes.push(cosigned);
      for (const dispute of record.disputes) if (dispute.decisionSeq !== null && dispute.decisionSeq > lastIssueSeq) decisions.push(dispute.decisionSeq);
      nets.set(record.category, (nets.get(record.category) ?? 0) + charge - credit);
      lines.push({
        ticket: record.ticket,
        category: record.category,
        period,
        verifiedSeq: record.seq,
        was: statusOrAbsent(before),
        now: statusOrAbsent(after),
        charge: money(charge),
        credit: money(credit),
        net: money(charge - credit),
        events: causes.sort((a, b) => a - b),
      });
    }
  }
  lines.sort((a, b) => a.period.localeCompare(b.period) || naturalCompare(a.ticket, b.ticket) || a.verifiedSeq - b.verifiedSeq);
  return { lines, nets, decisions };
}

/**
 * The statement of an open period as the ledger stands at the cut: its own lines and, in the first period not yet
 * issued, the adjustments to issued ones. A period at or before the last issued one that was never issued itself is
 * closed: it shows what it held when the first later statement was issued (later changes are adjustments).
 */
function computeStatement(cut: LedgerCut, period: string): Statement {
  const { contract } = cut;
  const money = (minor: number): string => formatMinor(minor, contract.digits);
  const lastIssued = cut.issued.at(-1);
  const closingIssue = lastIssued && period <= lastIssued.payload.period ? cut.issued.find((i) => i.payload.period > period) : undefined;
  const view = closingIssue ? shortened(cut, closingIssue.seq) : cut;
  const book = statementBook(view);
  const totals = emptySums();
  const categories = new Map<string, Sums>();
  const sumsOf = (category: string): Sums => {
    let sums = categories.get(category);
    if (!sums) categories.set(category, (sums = emptySums()));
    return sums;
  };
  /** The dispute decisions the statement's lines rest on: their signatures are listed with it. */
  const decisions: number[] = [];
  const lines: StatementLine[] = [];
  for (const line of periodLines(book, period, contract, view.cosignatures).values()) {
    const { record } = line;
    for (const dispute of record.disputes) if (dispute.decisionSeq !== null) decisions.push(dispute.decisionSeq);
    for (const target of [totals, sumsOf(record.category)]) {
      if (line.charge) target.verified++;
      if (line.credit) target.reversed++;
      if (line.held) {
        target.disputed++;
        target.held += record.priceMinor;
      }
      if (line.awaiting && record.period === period) {
        target.awaiting++;
        target.awaitingAmount += record.priceMinor;
      }
      target.charge += line.charge;
      target.credit += line.credit;
    }
    const creditedHere = record.reversal?.period === period;
    const evidence = [...record.evidence, record.seq, ...(record.reversal ? [...record.reversal.evidence, record.reversal.seq] : [])];
    lines.push({
      ticket: record.ticket,
      category: record.category,
      version: record.version,
      status: line.status,
      verifiedSeq: record.seq,
      verifiedAt: record.at,
      charge: money(line.charge),
      credit: money(line.credit),
      net: money(line.charge - line.credit),
      reversedSeq: creditedHere ? record.reversal!.seq : null,
      reversalReason: creditedHere ? record.reversal!.reason : null,
      disputeSeq: line.held ? openDispute(record)!.seq : null,
      discrepancy: record.discrepancies.length > 0 || record.priceProblem !== null,
      evidence: [...new Set(evidence)].sort((a, b) => a - b),
    });
  }

  const frontier = lastIssued !== undefined && period === nextPeriod(lastIssued.payload.period);
  const adjustments = frontier ? adjustmentsOf(cut, lastIssued.seq, lastIssued.payload.period, money) : { lines: [], nets: new Map<string, number>(), decisions: [] };
  for (const [category, net] of adjustments.nets) {
    sumsOf(category).adjustments += net;
    totals.adjustments += net;
  }
  decisions.push(...adjustments.decisions);

  const byCategory: Record<string, CategoryTotals> = {};
  for (const name of [...categories.keys()].sort()) {
    const sums = categories.get(name)!;
    byCategory[name] = {
      verified: sums.verified,
      reversed: sums.reversed,
      disputed: sums.disputed,
      subtotal: money(sums.charge),
      credits: money(sums.credit),
      total: money(sums.charge - sums.credit + sums.adjustments),
      awaiting: sums.awaiting,
      adjustments: money(sums.adjustments),
    };
  }
  const periodEnd = periodEndMs(period, contract.timezone);
  const versions = contract.versions.filter((v) => effectiveStartMs(v) < periodEnd).map((v) => v.version);
  const versionSeqs = versions.map((v) => contract.seqs.get(v)!).filter((seq) => seq !== undefined);
  const statement: Statement = {
    period,
    contract: { id: contract.id, versions, timezone: contract.timezone },
    currency: contract.currency,
    verified: totals.verified,
    reversed: totals.reversed,
    disputed: totals.disputed,
    discrepancies: lines.filter((line) => line.discrepancy).length,
    subtotal: money(totals.charge),
    credits: money(totals.credit),
    heldBack: money(totals.held),
    awaiting: totals.awaiting,
    awaitingAmount: money(totals.awaitingAmount),
    adjustments: adjustments.lines,
    adjustmentsTotal: money(totals.adjustments),
    total: money(totals.charge - totals.credit + totals.adjustments),
    lines: inNaturalOrder(lines, (line) => line.ticket, (a, b) => a.verifiedSeq - b.verifiedSeq),
    byCategory,
    signatures: signaturesOf(cut.db, [...new Set([...versionSeqs, ...decisions])]),
  };
  return statement;
}

/** The statement file's text: what `attest statement --format json` prints and what an issued statement stores. */
export function statementJson(statement: Statement): string {
  return JSON.stringify(statement, null, 2) + '\n';
}

/** A period's statement, its file text, and what it rests on. */
export interface StatementDocument {
  statement: Statement;
  /** What `attest statement --format json` prints: an issued period's stored text byte for byte. */
  text: string;
  /** The `statement.issued` event of an issued period; null for an open (or closed) one. */
  issued: IssuedStatementEvent | null;
  /** The events it was computed from: #1..treeSize (an issued one: its checkpoint's size). */
  treeSize: number;
}

/**
 * A period's statement as of the first `treeSize` events (default: the whole ledger): an issued period's closed
 * document exactly as it was issued; an open period computed from those events (with the adjustments to issued
 * periods when it is the first not yet issued).
 */
export function statementDocument(db: Db, period: string, contractId?: string, treeSize: number = headSeq(db)): StatementDocument {
  const { statement, issued, treeSize: size } = statementOrIssued(db, period, contractId, treeSize);
  return { statement, text: issued ? issued.payload.document : statementJson(statement), issued, treeSize: size };
}

/**
 * statementDocument without the file's text: the console's Statement view and the audit sample read only the
 * statement, and writing the text of a million-ticket month (pretty-printed JSON, thrown away) was 40% of the read.
 */
function statementOrIssued(db: Db, period: string, contractId: string | undefined, treeSize: number): Omit<StatementDocument, 'text'> {
  checkPeriod(period);
  const repository = new OutcomeRepository(db);
  const contract = resolveContract(repository, contractId);
  const issued = repository.issuedStatements(contract.id).find((i) => i.payload.period === period && i.seq <= treeSize);
  if (issued) return { statement: JSON.parse(issued.payload.document) as Statement, issued, treeSize: issued.payload.checkpoint.treeSize };
  return { statement: computeStatement(cutOf(db, contract, treeSize), period), issued: null, treeSize };
}

export function buildStatement(db: Db, period: string, contractId?: string): Statement {
  return statementOrIssued(db, period, contractId, headSeq(db)).statement;
}

/** The statement of `period` computed from the first `treeSize` events (what issuing records). */
export function statementAt(db: Db, period: string, contract: ContractVersions, treeSize: number): Statement {
  return computeStatement(cutOf(db, contract, treeSize), period);
}

/**
 * Periods with a statement, newest first: those in which the contract billed or credited anything, every issued
 * one, and the first period not yet issued when it carries adjustments.
 */
export function statementPeriods(db: Db, contractId?: string): string[] {
  const repository = new OutcomeRepository(db);
  const contract = resolveContract(repository, contractId);
  const cut = cutOf(db, contract, headSeq(db));
  const periods = periodsOfBook(statementBook(cut));
  const issued = cut.issued;
  for (const issue of issued) periods.add(issue.payload.period);
  const last = issued.at(-1);
  if (last) {
    const frontier = nextPeriod(last.payload.period);
    if (computeStatement(cut, frontier).adjustments.length > 0) periods.add(frontier);
  }
  return [...periods].sort().reverse();
}

const CSV_COLUMNS = ['ticket', 'category', 'version', 'status', 'verified_seq', 'verified_at', 'charge', 'credit', 'net', 'reversed_seq', 'reversal_reason', 'dispute_seq', 'discrepancy', 'evidence'];

/** One row per line, then a TOTAL row; CRLF line ends (RFC 4180). */
export function statementCsv(statement: Statement): string {
  const rows = [csvRow(CSV_COLUMNS)];
  for (const l of statement.lines) {
    rows.push(
      csvRow([l.ticket, l.category, l.version, l.status, l.verifiedSeq, l.verifiedAt, l.charge, l.credit, l.net, l.reversedSeq, l.reversalReason, l.disputeSeq, l.discrepancy, l.evidence.join(' ')]),
    );
  }
  rows.push(csvRow(['TOTAL', '', '', `${statement.currency} ${statement.period}`, '', '', statement.subtotal, statement.credits, statement.total, '', '', '', '', '']));
  return rows.join('\r\n') + '\r\n';
}
