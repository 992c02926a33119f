// What one period of a contract's book says about each verified outcome: billed, held by an open dispute, awaiting
// the buyer's cosigned checkpoint, reversed — in integer minor units. Pure: the same book gives the same lines, so a
// period can be computed from the ledger as it is now and as it was when an earlier statement was issued, and compared.
import type { StatementLine } from '../../../shared/contracts/outcomes.ts';
import type { ContractVersions, VerifiedRecord } from './outcome-book.ts';
import { openDispute } from './outcome-book.ts';
import type { CosignedCheckpoint } from './outcome-repository.ts';

export type LineStatus = StatementLine['status'];

export interface PeriodLine {
  record: VerifiedRecord;
  status: LineStatus;
  /** Minor units charged in this period (0 when held, awaiting or only credited here). */
  charge: number;
  /** Minor units credited in this period. */
  credit: number;
  held: boolean;
  awaiting: boolean;
}

/**
 * Whether a verified outcome may be billed: always, unless the version it names says `requireCosignedCheckpoint`;
 * then only once a checkpoint covering its `outcome.verified` event (tree size ≥ its seq) is cosigned by one of that
 * version's buyer keys. Returns the seq of the first such cosignature, or null while none exists.
 */
export function coveringCosignature(record: VerifiedRecord, contract: ContractVersions, cosignatures: readonly CosignedCheckpoint[]): number | null | 'not_required' {
  const version = contract.versions.find((v) => v.version === record.version);
  if (!version?.requireCosignedCheckpoint) return 'not_required';
  const buyers = new Set(version.buyerKeys ?? []);
  return cosignatures.find((c) => buyers.has(c.cosigner) && c.treeSize >= record.seq)?.seq ?? null;
}

/** The line of every outcome billed or credited in `period`, keyed by its verification's seq. */
export function periodLines(book: ReadonlyMap<string, VerifiedRecord>, period: string, contract: ContractVersions, cosignatures: readonly CosignedCheckpoint[]): Map<number, PeriodLine> {
  const lines = new Map<number, PeriodLine>();
  for (const record of book.values()) {
    const billedHere = record.period === period;
    const creditedHere = record.reversal?.period === period;
    if (!billedHere && !creditedHere) continue;
    // Monotonic: cosignatures only accumulate, so an outcome awaiting now was never billed before.
    const awaiting = coveringCosignature(record, contract, cosignatures) === null;
    const held = billedHere && !record.reversal && openDispute(record) !== null;
    const charge = billedHere && !held && !awaiting ? record.priceMinor : 0;
    // A reversal credits only what was billable: an outcome still awaiting its cosigned checkpoint was never charged.
    const credit = creditedHere && !awaiting ? record.reversal!.priceMinor : 0;
    const status: LineStatus = held
      ? 'held'
      : awaiting
        ? 'awaiting_cosignature'
        : billedHere && creditedHere
          ? 'billed_and_reversed'
          : billedHere
            ? 'billed'
            : 'reversed';
    lines.set(record.seq, { record, status, charge, credit, held, awaiting: awaiting && !held });
  }
  return lines;
}

/** Every period a book bills or credits in. */
export function periodsOfBook(book: ReadonlyMap<string, VerifiedRecord>): Set<string> {
  const periods = new Set<string>();
  for (const record of book.values()) {
    periods.add(record.period);
    if (record.reversal) periods.add(record.reversal.period);
  }
  return periods;
}
