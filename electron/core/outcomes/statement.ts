// A period's statement: verified resolutions billed, disputed ones held back, reversals credited — all from the
// outcome events, in integer minor units. Nothing depends on the clock, so reruns are byte-identical.
import { DateTime } from 'luxon';
import type { CategoryTotals, Statement, StatementLine } from '../../../shared/contracts/outcomes.ts';
import type { Db } from '../db/connection.ts';
import { effectiveStartMs } from './contract-schema.ts';
import { formatMinor } from './money.ts';
import { OutcomeInputError, openDispute, readBook, resolveContract } from './outcome-book.ts';
import { OutcomeRepository } from './outcome-repository.ts';
import { signaturesOf } from '../people/signatures.ts';

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** "T-2" before "T-10": digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = /^\d/.test(x) && /^\d/.test(y);
    if (nx && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

interface Sums {
  verified: number;
  reversed: number;
  disputed: number;
  charge: number;
  credit: number;
  held: number;
}

const emptySums = (): Sums => ({ verified: 0, reversed: 0, disputed: 0, charge: 0, credit: 0, held: 0 });

export function buildStatement(db: Db, period: string, contractId?: string): Statement {
  if (!PERIOD.test(period)) throw new OutcomeInputError(`period: "${period}" must be a month "YYYY-MM"`);
  const repository = new OutcomeRepository(db);
  const contract = resolveContract(repository, contractId);
  const money = (minor: number): string => formatMinor(minor, contract.digits);
  const lines: StatementLine[] = [];
  const totals = emptySums();
  const categories = new Map<string, Sums>();
  /** The dispute decisions the statement's lines rest on: their signatures are listed with it. */
  const decisions: number[] = [];

  for (const record of readBook(repository, contract).values()) {
    const billedHere = record.period === period;
    const creditedHere = record.reversal?.period === period;
    if (!billedHere && !creditedHere) continue;
    for (const dispute of record.disputes) if (dispute.decisionSeq !== null) decisions.push(dispute.decisionSeq);
    const held = billedHere && !record.reversal && openDispute(record) !== null;
    const charge = billedHere && !held ? record.priceMinor : 0;
    const credit = creditedHere ? record.reversal!.priceMinor : 0;
    const sums = categories.get(record.category) ?? emptySums();
    categories.set(record.category, sums);
    for (const target of [totals, sums]) {
      if (charge) target.verified++;
      if (credit) target.reversed++;
      if (held) {
        target.disputed++;
        target.held += record.priceMinor;
      }
      target.charge += charge;
      target.credit += credit;
    }
    const evidence = [...record.evidence, record.seq, ...(record.reversal ? [...record.reversal.evidence, record.reversal.seq] : [])];
    lines.push({
      ticket: record.ticket,
      category: record.category,
      version: record.version,
      status: held ? 'held' : billedHere && creditedHere ? 'billed_and_reversed' : billedHere ? 'billed' : 'reversed',
      verifiedSeq: record.seq,
      verifiedAt: record.at,
      charge: money(charge),
      credit: money(credit),
      net: money(charge - credit),
      reversedSeq: creditedHere ? record.reversal!.seq : null,
      reversalReason: creditedHere ? record.reversal!.reason : null,
      disputeSeq: held ? openDispute(record)!.seq : null,
      discrepancy: record.discrepancies.length > 0 || record.priceProblem !== null,
      evidence: [...new Set(evidence)].sort((a, b) => a - b),
    });
  }
  lines.sort((a, b) => naturalCompare(a.ticket, b.ticket) || a.verifiedSeq - b.verifiedSeq);

  const periodEnd = DateTime.fromFormat(period, 'yyyy-MM', { zone: contract.timezone }).plus({ months: 1 }).toMillis();
  const byCategory: Record<string, CategoryTotals> = {};
  for (const name of [...categories.keys()].sort()) {
    const sums = categories.get(name)!;
    byCategory[name] = { verified: sums.verified, reversed: sums.reversed, disputed: sums.disputed, subtotal: money(sums.charge), credits: money(sums.credit), total: money(sums.charge - sums.credit) };
  }
  const versions = contract.versions.filter((v) => effectiveStartMs(v) < periodEnd).map((v) => v.version);
  const versionSeqs = repository
    .contractVersions()
    .filter((stored) => stored.contract.id === contract.id && versions.includes(stored.contract.version))
    .map((stored) => stored.seq);
  return {
    period,
    contract: {
      id: contract.id,
      versions,
      timezone: contract.timezone,
    },
    currency: contract.currency,
    verified: totals.verified,
    reversed: totals.reversed,
    disputed: totals.disputed,
    discrepancies: lines.filter((line) => line.discrepancy).length,
    subtotal: money(totals.charge),
    credits: money(totals.credit),
    heldBack: money(totals.held),
    total: money(totals.charge - totals.credit),
    lines,
    byCategory,
    signatures: signaturesOf(db, [...versionSeqs, ...decisions]),
  };
}

/** Periods in which the contract billed or credited anything, newest first. */
export function statementPeriods(db: Db, contractId?: string): string[] {
  const repository = new OutcomeRepository(db);
  const contract = resolveContract(repository, contractId);
  const periods = new Set<string>();
  for (const record of readBook(repository, contract).values()) {
    periods.add(record.period);
    if (record.reversal) periods.add(record.reversal.period);
  }
  return [...periods].sort().reverse();
}

const CSV_COLUMNS = ['ticket', 'category', 'version', 'status', 'verified_seq', 'verified_at', 'charge', 'credit', 'net', 'reversed_seq', 'reversal_reason', 'dispute_seq', 'discrepancy', 'evidence'];

function csvCell(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per line, then a TOTAL row; CRLF line ends (RFC 4180). */
export function statementCsv(statement: Statement): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const l of statement.lines) {
    rows.push(
      [l.ticket, l.category, l.version, l.status, l.verifiedSeq, l.verifiedAt, l.charge, l.credit, l.net, l.reversedSeq, l.reversalReason, l.disputeSeq, l.discrepancy, l.evidence.join(' ')]
        .map(csvCell)
        .join(','),
    );
  }
  rows.push(['TOTAL', '', '', `${statement.currency} ${statement.period}`, '', '', statement.subtotal, statement.credits, statement.total, '', '', '', '', ''].map(csvCell).join(','));
  return rows.join('\r\n') + '\r\n';
}
